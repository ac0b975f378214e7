"""`kot edit`: a local web editor for the card files, for people who do not write YAML.

The pieces, each small: :mod:`.yamlio` writes YAML files without disturbing what a person wrote,
:mod:`.workspace` holds the loaded kit and its problems per card, :mod:`.drafts` checks and renders a card
as it is being typed, :mod:`.edits` turns a form into file changes (base files or a region's overlay),
:mod:`.builder` runs `kot build` from the page, :mod:`.messages` holds the page's texts in each language,
and :mod:`.server` is the Starlette app that ties them together. Needs the ``edit`` extra.
"""
