"""The table card's content (``table_card:`` in cards/tafel.yaml), checked and turned into plain data.

The table card lets players run a round without asking the facilitator: the rounds with their minutes and
what the table does, who does what at the table, the rules that use tokens and consent, and the checklist
that says when a route succeeded. It is checked at load time like the guide, so ``kot validate`` reports a
mistake (an unknown key, a round without minutes, minutes that do not add up to the game's ``duration``)
at its file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaartenoptafel.errors import Collector
from kaartenoptafel.load.guide import read_items, read_paragraphs
from kaartenoptafel.load.model import Game, Section
from kaartenoptafel.schema.check import check_value, unknown_keys
from kaartenoptafel.schema.tablecard import ROLE, ROUND, TABLE_CARD


@dataclass(frozen=True)
class TableRole:
    name: str
    does: str


@dataclass(frozen=True)
class TableRound:
    title: str
    minutes: int
    do: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableCard:
    """Texts still hold ``{variables}`` and ``**bold**``; the product fills them in."""

    title: str = ""
    intro: tuple[str, ...] = ()
    roles: tuple[TableRole, ...] = ()
    rounds: tuple[TableRound, ...] = ()
    rules: tuple[str, ...] = ()
    success: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rounds)


def parse_table_card(section: Section, game: Game, out: Collector) -> TableCard:
    """The table card section as plain data; every problem goes to ``out`` with its position."""
    doc, base = section.doc, tuple(section.key)
    data = section.data
    if not isinstance(data, dict):
        out.error(doc.pos(*base), "'table_card' must be a mapping with title, roles, rounds, rules and success")
        return TableCard()
    unknown_keys(out, TABLE_CARD, data, lambda k: doc.key_pos(*base, k))
    f = TABLE_CARD.fields
    title = data.get("title")
    if title is None or title == "":
        out.error(doc.pos(*base), "'table_card' has no 'title' (for example: Tafelkaart)")
        title = ""
    elif not check_value(out, f["title"], title, doc.pos(*base, "title")):
        title = ""
    card = TableCard(
        title=str(title),
        intro=read_paragraphs(out, data.get("intro"), doc.pos(*base, "intro"), f["intro"].what),
        roles=_roles(out, doc, base + ("roles",), data.get("roles")),
        rounds=_rounds(out, doc, base + ("rounds",), data.get("rounds")),
        rules=read_items(out, doc, base + ("rules",), data.get("rules"), f["rules"].what),
        success=read_items(out, doc, base + ("success",), data.get("success"), f["success"].what),
    )
    for key in ("rules", "success"):
        if not getattr(card, key) and key not in data:
            out.error(doc.pos(*base), f"'table_card' needs '{key}': a list of short sentences")
    if card.rounds and all(r.minutes > 0 for r in card.rounds) and card.minutes != game.duration:
        listing = " + ".join(str(r.minutes) for r in card.rounds)
        out.error(doc.key_pos(*base, "rounds"),
                  f"the table card's rounds take {listing} = {card.minutes} minutes, but the game lasts "
                  f"{game.duration} minutes ('duration' in cards/game.yaml); make them add up to {game.duration}")
    return card


def _roles(out: Collector, doc, key: tuple, value) -> tuple[TableRole, ...]:
    if value is None or value == []:
        out.error(doc.pos(*key[:-1]), "'table_card' needs 'roles': a list of {name, does}, such as the host "
                                      "and the timekeeper")
        return ()
    if not check_value(out, TABLE_CARD.fields["roles"], value, doc.pos(*key)):
        return ()
    roles = []
    for i, entry in enumerate(value):
        where = key + (i,)
        if not isinstance(entry, dict):
            out.error(doc.pos(*where), f"role {i + 1} of the table card must be a mapping with name and does")
            continue
        unknown_keys(out, ROLE, entry, lambda k, w=where: doc.key_pos(*w, k), n=i + 1)
        texts = {}
        for name in ROLE.names:
            item = entry.get(name)
            if item is None or item == "":
                out.error(doc.pos(*where), f"role {i + 1} of the table card has no '{name}'")
                item = ""
            elif not check_value(out, ROLE.fields[name], item, doc.pos(*where, name), n=i + 1):
                item = ""
            texts[name] = " ".join(str(item).split())
        roles.append(TableRole(texts["name"], texts["does"]))
    return tuple(roles)


def _rounds(out: Collector, doc, key: tuple, value) -> tuple[TableRound, ...]:
    if value is None or value == []:
        out.error(doc.pos(*key[:-1]), "'table_card' needs 'rounds': a list of rounds, each with title, minutes "
                                      "and do")
        return ()
    if not check_value(out, TABLE_CARD.fields["rounds"], value, doc.pos(*key)):
        return ()
    rounds = []
    f = ROUND.fields
    for i, entry in enumerate(value):
        where = key + (i,)
        if not isinstance(entry, dict):
            out.error(doc.pos(*where), f"round {i + 1} of the table card must be a mapping with title, minutes "
                                       "and do")
            continue
        unknown_keys(out, ROUND, entry, lambda k, w=where: doc.key_pos(*w, k), n=i + 1)
        title = entry.get("title")
        if title is None or title == "":
            out.error(doc.pos(*where), f"round {i + 1} of the table card has no 'title'")
            title = ""
        elif not check_value(out, f["title"], title, doc.pos(*where, "title"), n=i + 1):
            title = ""
        named = f"round {i + 1} ('{title}')" if title else f"round {i + 1}"
        minutes = entry.get("minutes")
        if minutes is None:
            out.error(doc.pos(*where), f"{named} of the table card has no 'minutes'")
            minutes = 0
        elif not check_value(out, f["minutes"], minutes, doc.pos(*where, "minutes"), n=i + 1, named=named):
            minutes = 0
        do = read_items(out, doc, where + ("do",), entry.get("do"), f["do"].what.format(n=i + 1))
        if not do and entry.get("do") is None:
            out.error(doc.pos(*where), f"{named} of the table card has no 'do': say what the table does, "
                                       "step by step")
        rounds.append(TableRound(str(title), minutes, do))
    return tuple(rounds)


def check_table_card(sections: dict[str, Section], game: Game, out: Collector) -> None:
    """Load-time hook: report every problem of the table card section (when the kit has one)."""
    if "table_card" in sections and game is not None:
        parse_table_card(sections["table_card"], game, out)
