"""The game the default kit prints: its rules are consistent between cards, table card and guide, in every variant.

These check the content itself (cards/*.yaml and the regions), not the engine: that every role states its tokens,
that the table has what the rules ask for (a library, a Taalhuis and a funder for up to five tables), that the
guide and the table card tell the same rounds, that the debrief is at least 20 minutes, that the four debrief
parts each have question cards, that no event works only "this round", and that the printed guide carries the
rules and the worked example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaartenoptafel.errors import Collector
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.guide import parse_guide
from kaartenoptafel.project import load_project
from kaartenoptafel.load.tablecard import parse_table_card

REPO = Path(__file__).resolve().parent.parent
VARIANTS = [None, "drenthe", "hoeksche-waard", "midden-brabant", "rivierenland", "english"]
MAX_TABLES = 5  # the guide: one facilitator runs 2 to 5 tables


def parts(region):
    kit = load_project(REPO, region)
    out = Collector()
    guide = parse_guide(kit.sections["guide"], kit.game, kit.types, out)
    card = parse_table_card(kit.sections["table_card"], kit.game, out)
    out.raise_if_any()
    return kit, guide, card


@pytest.mark.parametrize("region", VARIANTS)
def test_every_role_states_its_time_and_money(region):
    kit = load_project(REPO, region)
    roles = kit.cards_of("rol")
    assert roles
    for card in roles:
        assert 1 <= card.fields.get("tijd", 0) <= 3, card.id
        assert 0 <= card.fields.get("geld", -1) <= 3, card.id
    # a pack per table holds the Bibliotheek, the Taalhuis and a funder: enough of each for five tables
    copies = {c.id: c.count for c in roles}
    assert copies["bibliotheek"] >= MAX_TABLES and copies["taalhuis"] >= MAX_TABLES
    funders = [c.id for c in roles if c.fields["geld"] > 0]
    assert len(funders) >= MAX_TABLES, funders
    # the roc and the volksuniversiteit train only with money: their cards say so
    for trainer in ("roc", "volksuniversiteit"):
        card = next(c for c in roles if c.id == trainer)
        assert card.fields["geld"] == 0 and re.search(r"\b1 (geld|money)\b", card.fields["beperking"]), trainer


@pytest.mark.parametrize("region", VARIANTS)
def test_guide_and_table_card_tell_the_same_rounds_and_the_debrief_is_at_least_20_minutes(region):
    kit, guide, card = parts(region)
    assert [(r.title, r.minutes) for r in guide.rounds] == [(r.title, r.minutes) for r in card.rounds]
    assert sum(r.minutes for r in guide.rounds) == kit.game.duration
    # the debrief: the rounds after the event round (at the table, then with everyone)
    titles = [r.title for r in guide.rounds]
    event = next(i for i, t in enumerate(titles) if re.search(r"gebeurtenis|event", t, re.I))
    assert sum(r.minutes for r in guide.rounds[event + 1:]) >= 20, titles
    assert guide.example and len(guide.example.steps) >= 5  # four steps and one agreement, then the score
    assert len(card.success) == 4


@pytest.mark.parametrize("region", [None, "english"])
def test_each_debrief_part_has_question_cards_and_no_event_lasts_only_a_round(region):
    kit = load_project(REPO, region)
    parts_seen = {c.fields.get("deel") for c in kit.cards_of("vraag")}
    assert len(parts_seen - {None}) == 4, parts_seen
    for card in kit.cards_of("gebeurtenis"):
        effect = card.fields["effect"]
        assert not re.search(r"deze ronde|this round", effect, re.I), card.id  # round 5 is the last one played
        # an effect is done with what is on the table: tokens, route cards, agreements or the box
        assert re.search(r"tijd|geld|toestemming|afspraak|stap|time|money|consent|agreement|step", effect,
                         re.I), card.id


def test_the_printed_guide_has_the_rules_the_example_and_the_source_of_its_figure(built):
    kit, guide, card = parts(None)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(str(built / "guide-a4.pdf")).pages))
    quotes = str.maketrans("\u2018\u2019\u201a\u201c\u201d\u201e", "'''\"\"\"")  # typography curls the quotes
    text = text.replace("\u00ad", "").replace("- ", "").translate(quotes)  # the guide hyphenates long words

    def plain(s):
        s = re.sub(r"\s+", " ", fill(s, kit.game.variables).replace("**", "")).strip()
        return s.replace("- ", "").translate(quotes)

    for rule in card.rules + card.success:
        assert plain(rule)[:60] in text, rule
    assert plain(guide.example.title) in text
    assert "PIAAC 2023" in text and "Stichting Lezen & Schrijven" in text and "3 miljoen" in text
    assert "2,5 miljoen" not in text


def test_what_the_guide_quotes_from_the_table_card_is_printed_on_it(built):
    """The guide sends tables to a place on the table card ('Zet de vinkjes bij ...'): that name must be on the
    printed table card. It once said 'Geslaagd?' while the card's list was headed 'Is de route gelukt?'."""
    kit, guide, card = parts(None)
    quotes = str.maketrans("\u2018\u2019", "''")
    table_card = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(built / "table-card-a4.pdf")).pages)
                          .translate(quotes).split())
    texts = [s for r in guide.rounds for s in r.steps] + list(guide.example.steps) + list(guide.debrief)
    mentions = [m for t in texts for m in re.findall(r"'([^']+)'[^.]{0,20}?op de tafelkaart|vinkjes bij '([^']+)'", t)]
    named = {x for pair in mentions for x in pair if x}
    assert named, "the guide names the table card's success list"
    for name in named:
        assert fill(name, kit.game.variables) in table_card, name
    # and every place the table card's rules name in quotes ('Hier hapert het', 'Komt binnen bij', 'Zegt niet',
    # 'Moeite met') is printed on the board or on a card
    board = " ".join(p.extract_text() or "" for p in PdfReader(str(built / "board-poster-a3.pdf")).pages)
    deck = " ".join(p.extract_text() or "" for p in PdfReader(str(built / "deck-a4.pdf")).pages)
    places = {q for rule in card.rules + card.success for q in re.findall(r"'([^']+)'", rule)}
    assert {"Hier hapert het", "Komt binnen bij", "Zegt niet"} <= places
    for place in places:
        if place in ("vinden", "Brengt", "Haalt"):  # a route step (lower case in a sentence) and the role's lists
            assert place.capitalize() in board + deck, place
            continue
        assert " ".join(place.split()) in " ".join((board + deck).split()), place
