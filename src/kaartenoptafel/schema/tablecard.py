"""cards/tafel.yaml: the table card (``table_card:``): roles, rounds, rules and the success checklist."""

from __future__ import annotations

from kaartenoptafel.schema.common import items, paragraphs
from kaartenoptafel.schema.nodes import AnyOf, Field, Int, ListOf, Mapping, Text

ROLE = Mapping(
    "who does what at the table", ({"name": "Gastheer", "does": "Leest de situatie voor."},),
    what="role {n} of the table card",
    fields={
        "name": Field(Text("the role", min_length=1), required=True, what="'name' of role {n}"),
        "does": Field(Text("what the role does", min_length=1), required=True, what="'does' of role {n}"),
    },
)

ROUND = Mapping(
    "a round: title, minutes and what the table does", what="round {n} of the table card",
    fields={
        "title": Field(Text("the round's title", min_length=1), required=True, what="the title of round {n}"),
        "minutes": Field(Int("how long it takes; the rounds add up to the game's duration", (15,), minimum=1),
                         required=True, what="the minutes of round {n}",
                         too_low="{named} must take at least {minimum} minute, not {value}"),
        "do": Field(AnyOf("what the table does, step by step", options=(ListOf(item=Text()), Text())),
                    required=True, what="'do' of round {n}"),
    },
)

TABLE_CARD = Mapping(
    "the table card: one per table, so players run a round without asking", what="'table_card'",
    fields={
        "title": Field(Text("the card's title", ("Tafelkaart",), min_length=1), required=True,
                       what="the table card's 'title'"),
        "intro": Field(paragraphs("a short introduction"), what="'intro'"),
        "roles": Field(ListOf("who does what at the table", item=ROLE, min_items=1), required=True, what="'roles'"),
        "rounds": Field(ListOf("the rounds, in order", item=ROUND, min_items=1), required=True, what="'rounds'"),
        "rules": Field(items("the rules that use tokens and consent"), required=True, what="'rules'"),
        "success": Field(items("the checklist: when did a route succeed?"), required=True, what="'success'"),
    },
)

FILE = Mapping("a file of cards/ with the table card", fields={"table_card": Field(TABLE_CARD, required=True)})
