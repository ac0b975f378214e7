"""Card references: a field of kind ``ref`` names another card by its id and prints as that card's title.

Checked after every card is validated (a reference may point forward, to a later file): the id must be a
card of the field's ``to`` type; a card a region overlay removed is reported at the overlay's own remove
line, so the region's author sees where the reference broke and can change the referring field there.
"""

from __future__ import annotations

from kaartenoptafel.errors import Collector, Pos, did_you_mean
from kaartenoptafel.load.model import Card, CardType


def check_ref_specs(types: dict[str, CardType], out: Collector) -> None:
    """Every ref field's ``to`` is a card type; its ``detail`` (if any) is a text field of its own type."""
    for ctype in types.values():
        for spec in ctype.fields.values():
            if spec.kind != "ref":
                continue
            if spec.to not in types:
                out.error(spec.pos, f"field '{spec.name}' of type '{ctype.id}' refers to cards of type '{spec.to}', "
                                    f"which does not exist{did_you_mean(str(spec.to), types)}")
            detail = ctype.fields.get(spec.detail) if spec.detail else None
            if spec.detail and (detail is None or detail.kind != "text"):
                out.error(spec.pos, f"field '{spec.name}': 'detail: {spec.detail}' must be a text field of type "
                                    f"'{ctype.id}'{did_you_mean(spec.detail, ctype.fields)}")


def check_refs(cards: list[Card], types: dict[str, CardType], removed: dict[str, Pos], out: Collector,
               broken: set[str] = frozenset()) -> None:
    """Every ref value names an existing card of the right type; a removed one is an error at its remove line.

    ``broken``: ids of cards that failed validation (already reported); a reference to one is not reported again.
    """
    by_id = {card.id: card for card in cards}
    for card in cards:
        for name, spec in types[card.type].fields.items():
            target = card.fields.get(name) if spec.kind == "ref" else None
            if target is None:
                continue
            pos = card.field_pos.get(name, card.pos)
            found = by_id.get(target)
            if (found is not None and found.type == spec.to) or (found is None and target in broken):
                continue
            if found is not None:
                out.error(pos, f"field '{name}' names '{target}', a '{found.type}' card; it must name a "
                               f"'{spec.to}' card", card.id)
            elif target in removed:
                out.error(removed[target], f"this removes the card, but card '{card.id}' still refers to it "
                                           f"in '{name}' ({pos}); keep the card, or change that field in this file "
                                           f"(change: {{{card.id}: {{{name}: ...}}}})", target)
            else:
                same = [c.id for c in cards if c.type == spec.to]
                out.error(pos, f"field '{name}': there is no '{spec.to}' card '{target}'{did_you_mean(target, same)}",
                          card.id)
