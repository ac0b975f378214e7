"""Card references (field kind ``ref``): a card names another by id and prints that card's title."""

from __future__ import annotations

from kaartenoptafel.project import load_project
from kaartenoptafel.resolve import resolve

from conftest import REPO


def _values(region=None):
    kit = load_project(REPO, region)
    return kit, {c.id: c for c in resolve(kit)}


def test_a_reference_prints_the_named_cards_title_and_its_detail():
    kit, cards = _values()
    marco = cards["marco-werkzoekende"]
    assert marco.raw["waar"] == "uwv"  # the id stays in the model
    assert marco.values["waar"] == "UWV, in een gesprek met zijn werkcoach"
    assert "waar_detail" not in marco.values  # printed with its reference, not on its own
    for card in cards.values():
        if card.type == "situatie":  # every situation comes in at a role card of the kit
            assert kit.cards_of("rol") and card.raw["waar"] in {c.id for c in kit.cards_of("rol")}


def test_regions_print_no_removed_card_through_a_reference():
    for region in ("drenthe", "hoeksche-waard", "midden-brabant", "rivierenland", "english"):
        kit, cards = _values(region)
        titles = {c.id: c.title for c in cards.values()}
        for card in cards.values():
            if card.type == "situatie":
                assert card.raw["waar"] in titles, (region, card.id)
                assert card.values["waar"].startswith(titles[card.raw["waar"]]), (region, card.id)
    _, drenthe = _values("drenthe")
    assert drenthe["agnieszka-loon"].values["waar"].startswith("Het Juridisch Loket")
    _, english = _values("english")
    assert english["marco-werkzoekende"].values["waar"] == "UWV (employment agency), in a meeting with his work coach"
