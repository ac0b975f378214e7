"""cards/game.yaml: the game's title, language, tables, duration, variables and role groups."""

from __future__ import annotations

from kaartenoptafel.schema.nodes import AnyOf, Field, Int, Mapping, Slug, Text

PLAYERS = AnyOf(
    "players at one table: a number, or {min: N, max: N} (default 4 to 6)", (5, {"min": 4, "max": 6}),
    options=(
        Int(minimum=1, maximum=50),
        Mapping(fields={"min": Field(Int("the fewest players at a table", minimum=1, maximum=50)),
                        "max": Field(Int("the most players at a table", minimum=1, maximum=50))},
                what="players_per_table"),
    ),
)

GAME = Mapping(
    "the game: its title, language, tables and duration, the variables the texts use and the role groups",
    what="game.yaml",
    fields={
        "title": Field(Text("the game's title, on every product", ("Kaarten op Tafel",)), required=True,
                       what="'title'"),
        "subtitle": Field(Text("a line under the title", ("Het netwerk rond digitale inclusie",)), what="'subtitle'"),
        "language": Field(Text("the language of the texts (nl, en): hyphenation and quotation marks", ("nl",)),
                          required=True, what="'language'"),
        "players_per_table": Field(PLAYERS),
        "tables": Field(Int("how many tables play at once (a set of cards for each)", (4,), minimum=1, maximum=200),
                        required=True, what="'tables'"),
        "duration": Field(Int("the session in minutes; the guide's and table card's rounds add up to it", (75,),
                              minimum=1, maximum=1440), required=True, what="'duration'"),
        "variables": Field(Mapping("texts the cards use as {name}, such as {gemeente}",
                                   ({"gemeente": "Assen"},), extra=Field(Text(), what="variables '{name}'"),
                                   nullable=True), what="'variables'"),
        "groups": Field(Mapping("the role groups: id: name (choice fields with choices: groups use them)",
                                ({"zorg": "Zorg en welzijn"},), keys=Slug(),
                                extra=Field(Text(), what="groups '{name}'"), nullable=True),
                        what="'groups'"),
    },
)
