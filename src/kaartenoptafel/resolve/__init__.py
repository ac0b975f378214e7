"""Resolve stage: fill in ``{variables}``, show choices by their display names and card references
(kind ``ref``) by the named card's title, expand counts.

Region overlays are applied while loading (see :mod:`kaartenoptafel.resolve.overlay`), so that
validation sees the kit a region really prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import operator
from collections.abc import Mapping
from typing import Any

from kaartenoptafel.errors import Pos
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.model import Card, Kit


@dataclass(frozen=True, slots=True)
class ResolvedCard:
    """A card ready to lay out: every text final, every choice a display name.

    It shares what it does not change with its :class:`Card` (``raw`` is the card's ``fields``, ``field_pos`` its
    positions, ``values`` too when nothing was filled in): neither is ever changed after loading."""

    id: str
    type: str
    title: str
    values: dict[str, Any]
    count: int
    tags: tuple[str, ...]
    raw: dict[str, Any]  # the validated values before filling, e.g. group ids for colours
    pos: Pos | None = None
    field_pos: Mapping[str, Pos] = field(default_factory=dict, compare=False)


def resolve_value(value: Any, variables: dict[str, str]) -> Any:
    if isinstance(value, str):
        return fill(value, variables)
    if isinstance(value, list):
        items = [resolve_value(v, variables) for v in value]
        return value if all(map(operator.is_, items, value)) else items  # unchanged: the same list, no copy
    return value


def resolve_card(kit: Kit, card: Card, titles: dict[str, str] | None = None) -> ResolvedCard:
    """``card`` with its texts final; ``titles`` (card id -> title, made from the kit when not given) names refs."""
    ctype = kit.types[card.type]
    variables = kit.game.variables
    values: dict[str, Any] = {}
    details = {spec.detail for spec in ctype.fields.values() if spec.kind == "ref" and spec.detail}
    for name, value in card.fields.items():
        spec = ctype.fields[name]
        if name in details:
            continue  # printed after its reference's title
        if spec.kind == "choice" and value in kit.game.groups and spec.choices == tuple(kit.game.groups):
            value = kit.game.groups[value]
        if spec.kind == "ref":
            if titles is None:
                titles = card_titles(kit)
            value = titles.get(value, value)
            if spec.detail and card.fields.get(spec.detail):
                value = f"{value}, {card.fields[spec.detail]}"
        values[name] = resolve_value(value, variables)
    title = str(values.get(ctype.title_field, card.id))
    if len(values) == len(card.fields) and all(values[name] is value for name, value in card.fields.items()):
        values = card.fields  # nothing filled in: share the card's own values
    return ResolvedCard(card.id, card.type, title, values, card.count, card.tags, card.fields, card.pos,
                        card.field_pos)


def card_titles(kit: Kit) -> dict[str, str]:
    """Every card's title as written (variables are filled when the referring card resolves)."""
    return {card.id: str(card.fields.get(kit.types[card.type].title_field, card.id)) for card in kit.cards}


def resolve(kit: Kit) -> list[ResolvedCard]:
    """Every card of the kit, resolved, in source order."""
    titles = card_titles(kit)
    return [resolve_card(kit, card, titles) for card in kit.cards]


def deck_order(kit: Kit, cards: list[ResolvedCard]) -> list[ResolvedCard]:
    """The cards in print order: by the order of the types in cards/types.yaml, then as the files list them.

    A person cutting the sheets gets a clean stack per type (each type also starts on its own sheet).
    """
    rank = {tid: i for i, tid in enumerate(kit.types)}
    return sorted(cards, key=lambda card: rank.get(card.type, len(rank)))  # sorted() is stable: file order stays


def expand(cards: list[ResolvedCard]) -> list[ResolvedCard]:
    """One entry per printed copy (``count: 3`` gives three)."""
    return [card for card in cards for _ in range(card.count)]


def fill_text(kit: Kit, text: str) -> str:
    return fill(text, kit.game.variables)
