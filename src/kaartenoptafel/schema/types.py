"""cards/types.yaml: the card types, their fields (kind, label, limits) and their backs."""

from __future__ import annotations

from kaartenoptafel.load.model import FIELD_KINDS, RESERVED_CARD_KEYS
from kaartenoptafel.schema.nodes import AnyOf, Bool, Choice, Field, Int, ListOf, Mapping, Name, Slug, Text

PER = ("table", "session")

FIELD = Mapping(
    "one field of the card type", ({"kind": "text", "label": "Vraag", "required": True, "max": 150},),
    what="field '{name}'",
    fields={
        "kind": Field(Choice("what the field holds (default text)", choices=FIELD_KINDS)),
        "label": Field(Text("the field's name as printed and in messages", ("Organisatie",)),
                       what="the label of field '{name}'"),
        "required": Field(Bool("every card of the type must fill it in")),
        "max": Field(Int("the most characters (text, list items) or the highest number", (120,), minimum=1), what="field '{name}': 'max'",
                    too_low="{what} must be at least {minimum}"),
        "min": Field(Int("the lowest number (number fields)", (1,)), what="field '{name}': 'min'"),
        "max_items": Field(Int("the most items (list fields)", (3,), minimum=1), what="field '{name}': 'max_items'",
                          too_low="{what} must be at least {minimum}"),
        "choices": Field(AnyOf("the values a choice field allows, or 'groups' (the groups of game.yaml)",
                               (["laag", "midden", "hoog"], "groups"),
                               options=(ListOf(item=Text(), min_items=1), Choice(choices=("groups",))))),
        "to": Field(Text("the card type a ref field names (kind: ref)", ("rol",), numbers=False)),
        "detail": Field(Text("the field of the named card printed after its name (kind: ref)", ("titel",),
                             numbers=False)),
    },
    rules=(
        {"if": {"properties": {"kind": {"const": "choice"}}, "required": ["kind"]}, "then": {"required": ["choices"]}},
        {"if": {"properties": {"kind": {"const": "ref"}}, "required": ["kind"]}, "then": {"required": ["to"]},
         "else": {"not": {"anyOf": [{"required": ["to"]}, {"required": ["detail"]}]}}},
    ),
)

TYPE = Mapping(
    "a card type", ({"name": "Rol", "plural": "Rollen", "fields": {"titel": {"kind": "text", "required": True}}},),
    what="type '{tid}'",
    fields={
        "name": Field(Text("the type's name", ("Rol",)), what="'name' of type '{tid}'"),
        "plural": Field(Text("the name of several", ("Rollen",)), what="'plural' of type '{tid}'"),
        "title_field": Field(Text("the field that is the card's title (default titel)", ("titel",), numbers=False)),
        "fields": Field(Mapping("field name: its spec", keys=Name(excluded=RESERVED_CARD_KEYS), extra=FIELD,
                                min_properties=1), required=True),
        "back": Field(Mapping("the back of the cards", what="the back of '{tid}'", fields={
            "text": Field(Text("the text on the back"), what="the back text of '{tid}'")})),
        "per": Field(Choice("print a set for every table (table) or one for the whole session (session)",
                            choices=PER)),
    },
)

TYPES = Mapping(
    "the card types", what="types.yaml",
    fields={"types": Field(Mapping("type id: the type", keys=Slug(), extra=Field(TYPE, what="type '{tid}'")),
                           required=True)},
)
