"""cards/regions/<name>.yaml: a region or language overlay, which states only what differs from the base kit."""

from __future__ import annotations

from kaartenoptafel.schema.nodes import (AnyOf, Field, Int, ListOf, Mapping, Slug, Text)

VARIABLE_NAME_PATTERN = "^[A-Za-z0-9_-]+$"


def _changes(description: str) -> Field:
    return Field(Mapping(description + "; mappings merge key by key, a list or a text replaces, null removes a key",
                         extra=True))


OVERLAY = Mapping(
    "a region overlay", ({"extends": "base", "variables": {"gemeente": "Assen"}, "remove": ["uwv"]},),
    what="region overlay '{name}'",
    fields={
        "extends": Field(Text("base (the kit's own files, the default) or another overlay", ("base",),
                              numbers=False)),
        "name": Field(Text("the region's name, as listed by kot regions", ("Drenthe",))),
        "description": Field(Text("a line about the overlay")),
        "game": Field(Mapping("game facts that differ", what="'game' of the overlay", fields={
            "title": Field(Text("the title"), what="'game.title'"),
            "subtitle": Field(Text("the subtitle"), what="'game.subtitle'"),
            "language": Field(Text("the language", ("en",)), what="'game.language'"),
            "tables": Field(Int("tables", minimum=1), what="'game.tables'"),
            "duration": Field(Int("minutes", minimum=1), what="'game.duration'"),
            "groups": Field(Mapping("role groups to rename or add: id: name", keys=Slug(), extra=Text())),
        })),
        "variables": Field(Mapping("variables to set: name: text", ({"gemeente": "Assen"},),
                                   keys=Text(pattern=VARIABLE_NAME_PATTERN, numbers=False), extra=Text())),
        "layout": Field(Text("a layout file in layouts/ (it extends default.yaml)", ("drenthe.yaml",),
                             min_length=1, numbers=False)),
        "types": Field(Mapping("the texts of card types to change", extra=Mapping(
            what="the overlay's type '{tid}'",
            fields={
                "name": Field(Text("the type's name")),
                "plural": Field(Text("its plural")),
                "back": Field(Mapping(fields={"text": Field(Text("the text on the back"))})),
                "fields": Field(Mapping("field: what changes (a text alone is its new label)", extra=AnyOf(options=(
                    Text(numbers=False), Mapping(
                    what="field '{name}' of the overlay",
                    fields={
                        "label": Field(Text("the field's label")),
                        "choices": Field(AnyOf("new choices, or old: new to rename them (the cards follow)",
                                               options=(ListOf(item=Text(numbers=False), min_items=1),
                                                        Mapping(extra=Text())))),
                        "max": Field(Int("the most characters", minimum=1)),
                    }))))),
            }))),
        "add": Field(ListOf("cards to add, each starting with '- id: ...'", item=Mapping(
            fields={"id": Field(Text("unique id", numbers=False)), "type": Field(Text("the card type"))},
            extra=True))),
        "change": Field(Mapping("card id: {field: new value}", extra=Mapping(extra=True))),
        "remove": Field(AnyOf("card ids to remove", options=(ListOf(item=Text(numbers=False)),
                                                            Text(numbers=False)))),
        "counts": Field(Mapping("card id: copies to print", extra=Int(minimum=1))),
        "labels": Field(Mapping("label: new text", extra=Text())),
        "guide": _changes("changes to the guide"),
        "board": _changes("changes to the board's texts"),
        "table_card": _changes("changes to the table card"),
    },
)
