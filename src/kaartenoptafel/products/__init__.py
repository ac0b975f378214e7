"""Products: the deck, the board and the guide, each a composition of the same pipeline stages."""
