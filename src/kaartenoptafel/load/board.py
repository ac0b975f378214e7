"""``board:`` in cards/board.yaml: the texts of the board, its tiles and its worksheets, read and checked.

:class:`Content` gives located access to the section (every mistake becomes a ``path:line:col`` error);
the readers below turn it into plain values for the layout (:mod:`kaartenoptafel.layout.board`).
"""

from __future__ import annotations

from typing import Any

from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.model import Kit
from kaartenoptafel.schema.board import BOARD
from kaartenoptafel.schema.check import node_at, unknown_keys

LAYOUT_FILE = "board.yaml"  # layouts/board.yaml: the board's geometry, colours and sizes
MISSING = object()


def dig(data: Any, key: tuple) -> Any:
    """The value at a path of mapping keys and list indexes, or MISSING."""
    node = data
    for k in key:
        if isinstance(node, dict) and k in node:
            node = node[k]
        elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
            node = node[k]
        else:
            return MISSING
    return node


class Content:
    """``board:`` of cards/board.yaml: every text filled with the game's variables, every mistake located.

    The keys a mapping allows, the least items of a list and the range of a number come from the declaration
    (:data:`kaartenoptafel.schema.board.BOARD`), looked up by the value's path."""

    def __init__(self, ctx, out: Collector):
        self.ctx, self.out = ctx, out
        self.section = ctx.kit.sections.get("board")
        self.data = self.section.data if self.section is not None else None
        if self.section is None:
            out.error(Pos("cards/board.yaml"), "there is no 'board:' section in cards/; the board and the worksheets "
                                               "take their texts from it (see the README)")
        elif not isinstance(self.data, dict):
            out.error(self.pos(), "'board' must be a mapping (partners, subtitle, centre, route, ...)")
            self.data = None

    def pos(self, *key) -> Pos:
        if self.section is None:
            return Pos("cards/board.yaml")
        return self.section.doc.pos(*self.section.key, *key)

    def key_pos(self, *key) -> Pos:
        return self.section.doc.key_pos(*self.section.key, *key) if self.section else self.pos()

    def get(self, *key) -> Any:
        return dig(self.data, key)

    def optional(self, *key) -> Any:
        """The value at ``key``, or None when it is not there."""
        value = self.get(*key)
        return None if value is MISSING else value

    def _name(self, key) -> str:
        return "board." + ".".join(str(k) for k in key)

    def text(self, *key, check_glyphs: bool = True) -> str:
        value = self.get(*key)
        if self.data is None:
            return ""
        if value is MISSING or value is None or value == "":
            self.out.error(self.pos(*key), f"'{self._name(key)}' is missing in cards/board.yaml; add a text")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be a text")
            return ""
        text = fill(str(value), self.ctx.kit.game.variables)
        if check_glyphs:
            missing = self.ctx.family.missing(text)
            if missing:
                shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
                self.out.error(self.pos(*key), f"'{self._name(key)}' has characters the font cannot draw: {shown}")
        return text

    def items(self, *key) -> list:
        least = node_at(BOARD, key).min_items
        value = self.get(*key)
        if self.data is None:
            return []
        if not isinstance(value, list) or len(value) < least:
            what = "is missing" if value is MISSING else "must be a list"
            self.out.error(self.pos(*key), f"'{self._name(key)}' {what}: give a list of at least {least}")
            return []
        return value

    def texts(self, *key) -> list[str]:
        return [self.text(*key, i) for i in range(len(self.items(*key)))]

    def mapping(self, *key) -> dict:
        node = node_at(BOARD, key)
        allowed = node.names
        value = self.get(*key)
        if self.data is None:
            return {}
        if not isinstance(value, dict):
            what = "is missing" if value is MISSING else "must be a mapping"
            self.out.error(self.pos(*key), f"'{self._name(key)}' {what}: it needs {one_of(allowed)}")
            return {}
        unknown_keys(self.out, node, value, lambda k: self.key_pos(*key, k), what=f"'{self._name(key)}'")
        return value

    def number(self, *key) -> int:
        node = node_at(BOARD, key)
        low, high = node.minimum, node.maximum
        value = self.get(*key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            if self.data is not None:
                self.out.error(self.pos(*key), f"'{self._name(key)}' must be a whole number from {low} to {high}")
            return low
        return value



class BoardTexts:
    """The board's own texts, every one filled with the game's variables."""

    partner_type: str  # the card type of the partners, and its fields with their name and role group
    name_field: str
    group_field: str
    subtitle: str
    centre_heading: str
    centre_text: str
    library_text: str
    more: str  # "en nog" before the number of partners that do not fit their sector
    world: list[str]
    route: list[tuple[str, str]]  # (name, text) per step
    legend_title: str
    legend: list[tuple[str, str]]  # (part, text)


def read_board_texts(c: Content, kit: Kit, places: int) -> BoardTexts:
    """The board's texts from ``board:`` of cards/board.yaml; ``places``: how many route steps the layout has room
    for (0: the layout gives none, reported there)."""
    texts = BoardTexts()
    partners = c.mapping("partners")
    texts.partner_type = str(partners.get("type", ""))
    texts.name_field = str(partners.get("name", ""))
    texts.group_field = str(partners.get("group", ""))
    if partners:
        if texts.partner_type not in kit.types:
            c.out.error(c.pos("partners", "type"), f"card type '{texts.partner_type}' does not exist"
                                                   f"{did_you_mean(texts.partner_type, kit.types)}; "
                                                   f"expected one of {one_of(kit.types)}")
        else:
            fields = kit.types[texts.partner_type].fields
            for key in ("name", "group"):
                value = str(partners.get(key, ""))
                if value not in fields:
                    c.out.error(c.pos("partners", key), f"'{value}' is not a field of '{texts.partner_type}'"
                                                        f"{did_you_mean(value, fields)}")
    texts.subtitle = c.text("subtitle")
    c.mapping("centre")
    texts.centre_heading = c.text("centre", "heading")
    texts.centre_text = c.text("centre", "text")
    texts.library_text = c.text("library")
    texts.more = c.text("more")
    texts.world = c.texts("world")
    texts.route = []
    for i, _ in enumerate(c.items("route")):
        c.mapping("route", i)
        texts.route.append((c.text("route", i, "name"), c.text("route", i, "text")))
    if texts.route and places and len(texts.route) != places:
        c.out.error(c.pos("route"), f"the route has {len(texts.route)} steps but layouts/{LAYOUT_FILE} has "
                                    f"{places} places for them (board.route.slots); make them equal")
    legend_keys = node_at(BOARD, ("legend",)).names  # title, then the parts in the order the legend lists them
    legend = c.mapping("legend")
    texts.legend_title = c.text("legend", "title")
    texts.legend = [(k, c.text("legend", k)) for k in legend_keys[1:] if k in legend]
    return texts


TILE_TEXTS = ("title", "tile", "row", "column", "glue", "strip", "full_size")


def read_tile_texts(content: Content) -> tuple[dict[str, str], list[str]]:
    content.mapping("tiles")
    return {k: content.text("tiles", k) for k in TILE_TEXTS}, content.texts("tiles", "steps")


def read_stall_texts(content: Content) -> tuple[str, str] | None:
    """The heading and text of the place where the route stalls; None when the kit has no ``board.stall``."""
    if content.optional("stall") is None:
        return None
    content.mapping("stall")
    return content.text("stall", "heading"), content.text("stall", "text")
