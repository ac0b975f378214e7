"""layouts/board.yaml: the board's geometry, colours and text sizes, the tiles' and the worksheets' styles.

Read like the card layouts (with ``extends``), every mistake located; the readers return plain values that
the layout (:mod:`kaartenoptafel.layout.board`), the tiles and the worksheets use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm

from kaartenoptafel.errors import Collector, Pos, one_of
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.contrast import check_pair
from kaartenoptafel.layout.spec import Colour, parse_colour, read_layout
from kaartenoptafel.load.board import LAYOUT_FILE, MISSING, dig
from kaartenoptafel.render.ink import tint_of
from kaartenoptafel.schema.board import BOARD_LAYOUT
from kaartenoptafel.schema.check import node_at, unknown_keys



class Style:
    """layouts/board.yaml, read like the card layouts (with ``extends``); every mistake located.

    The keys a mapping allows and the range (and unit, and count) of a number come from the declaration
    (:data:`kaartenoptafel.schema.board.BOARD_LAYOUT`), looked up by the value's path."""

    def __init__(self, ctx: Context, out: Collector):
        self.out = out
        self.loc = read_layout(ctx.spec.root, LAYOUT_FILE, out)
        self.data = self.loc.data if self.loc is not None else {}
        if self.loc is not None:
            unknown_keys(out, BOARD_LAYOUT, self.data, lambda k: self.loc.key_pos(k))

    def pos(self, *key) -> Pos:
        return self.loc.pos(*key) if self.loc is not None else Pos(f"layouts/{LAYOUT_FILE}")

    def get(self, *key) -> Any:
        return dig(self.data, key)

    def _name(self, key) -> str:
        return ".".join(str(k) for k in key)

    def _missing(self, key) -> None:
        if self.loc is not None:
            self.out.error(self.pos(*key), f"'{self._name(key)}' is missing in layouts/{LAYOUT_FILE}")

    def keys(self, *key) -> None:
        node = node_at(BOARD_LAYOUT, key)
        allowed = node.names
        value = self.get(*key)
        if isinstance(value, dict):
            unknown_keys(self.out, node, value, lambda k: self.loc.key_pos(*key, k), what=f"'{self._name(key)}'")
        elif self.loc is not None:
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be a mapping with {one_of(allowed)}")

    def number(self, *key) -> float:
        node = node_at(BOARD_LAYOUT, key)
        low, high, unit = node.minimum, node.maximum, node.unit
        value = self.get(*key)
        if value is MISSING:
            self._missing(key)
            return low
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be a number from {low:g} to {high:g} {unit}, "
                                           f"not {value!r}")
            return low
        return float(value)

    def numbers(self, *key) -> list[float]:
        node = node_at(BOARD_LAYOUT, key)
        count = node.min_items if node.min_items == node.max_items else None  # a point, a box; else any length
        low, high, unit = node.item.minimum, node.item.maximum, node.item.unit
        value = self.get(*key)
        if value is MISSING:
            self._missing(key)
            return [low] * (count or 1)
        ok = isinstance(value, list) and (count is None or len(value) == count) and value and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high for v in value)
        if not ok:
            shape = f"[{', '.join(['n'] * count)}]" if count else "a list of numbers"
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be {shape}, each from {low:g} to {high:g} {unit}")
            return [low] * (count or 1)
        return [float(v) for v in value]

    def colour(self, *key) -> Colour:
        value = self.get(*key)
        if value is MISSING:
            self._missing(key)
            return Colour(rgb=(0.5, 0.5, 0.5))
        colour = parse_colour(value)
        if colour is None:
            self.out.error(self.pos(*key), f"colour {value!r} is not '#rrggbb' or [c, m, y, k] (0-100)")
            return Colour(rgb=(0.5, 0.5, 0.5))
        return colour

    def colours(self, *key) -> list[Colour]:
        value = self.get(*key)
        if not isinstance(value, list) or not value:
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be a list of colours")
            return [Colour(rgb=(0.85, 0.85, 0.85))]
        return [self.colour(*key, i) for i in range(len(value))]




class BoardStyle:
    """``board:`` of layouts/board.yaml; lengths in millimetres on the reference (A3) board, sizes in points."""

    bleed: float
    margin: float
    centre_ref: list[float]  # [x, y] of the rings' centre, from the top-left
    radii: dict[str, float]  # persona, library, sectors, world
    gap: float
    band: float
    sector_start: float  # degrees
    world_start: float
    padding: float
    tint: float
    library_repeat: int
    corner: float
    slot_ref: list[tuple[float, float]]  # the centre of each route step's card outline
    header: float
    arrow_radius: float
    arrow_width: float
    title_at: list[float]  # [x, y, width, height]
    legend_at: list[float]
    min_text: float
    sizes: dict[str, float]
    colours: dict[str, Colour]
    world_colours: list[Colour]


def read_board_style(ctx: Context, s: Style, out: Collector) -> BoardStyle:
    """``board:`` of layouts/board.yaml: sizes in reference millimetres (an A3 board), colours, text sizes."""
    look = BoardStyle()
    b = ("board",)
    s.keys(*b)
    look.bleed = s.number(*b, "bleed")
    look.margin = s.number(*b, "margin")
    look.centre_ref = s.numbers(*b, "centre")
    s.keys(*b, "rings")
    look.radii = {k: s.number(*b, "rings", k) for k in ("persona", "library", "sectors", "world")}
    order = ["persona", "library", "sectors", "world"]
    for inner, outer in zip(order, order[1:]):
        if look.radii[outer] <= look.radii[inner] + 5:
            out.error(s.pos(*b, "rings", outer), f"rings: '{outer}' ({look.radii[outer]:g} mm) must be more "
                                                      f"than 5 mm larger than '{inner}' ({look.radii[inner]:g} mm)")
    look.gap = s.number(*b, "gap")
    look.band = s.number(*b, "band")
    look.sector_start = s.number(*b, "sector_start")
    look.world_start = s.number(*b, "world_start")
    look.padding = s.number(*b, "padding")
    look.tint = s.number(*b, "tint")
    look.library_repeat = int(s.number(*b, "library_repeat"))
    look.corner = s.number(*b, "corner_radius")
    s.keys(*b, "route")
    raw_slots = s.get(*b, "route", "slots")
    look.slot_ref: list[tuple[float, float]] = []
    if not isinstance(raw_slots, list) or not raw_slots:
        out.error(s.pos(*b, "route", "slots"), "'board.route.slots' must be a list of [x, y], one per route step")
    else:
        for i in range(len(raw_slots)):
            look.slot_ref.append(tuple(s.numbers(*b, "route", "slots", i)))
    look.header = s.number(*b, "route", "header")
    look.arrow_radius = s.number(*b, "route", "radius")
    look.arrow_width = s.number(*b, "route", "width")
    look.title_at = s.numbers(*b, "title", "at")
    look.legend_at = s.numbers(*b, "legend", "at")
    look.min_text = s.number(*b, "min_text")
    names = ("title", "subtitle", "sector", "partner", "ring", "step", "slot", "legend")
    s.keys(*b, "text")
    look.sizes = {}
    for name in names:
        value = s.number(*b, "text", name)
        if value < look.min_text:
            out.error(s.pos(*b, "text", name), f"text size '{name}' is {value:g} pt, below min_text "
                                                    f"({look.min_text:g} pt): too small to read from a metre away")
        look.sizes[name] = value
    colour_names = ("background", "ink", "persona", "library", "library_text", "world_text", "route", "outline",
                    "fallback")
    s.keys(*b, "colours")
    look.colours = {name: s.colour(*b, "colours", name) for name in colour_names}
    look.world_colours = s.colours(*b, "colours", "world")
    _check_contrast(ctx, look, s, b, out)
    return look

def _check_contrast(ctx: Context, look: BoardStyle, s: Style, b: tuple, out: Collector) -> None:
    """Every board text colour against what it is printed on (WCAG 2 AA; board text is >= min_text)."""
    col, size = look.colours, look.min_text
    ink_pos = s.pos(*b, "colours", "ink")
    check_pair(out, col["ink"], col["background"], size, False, ink_pos, "board text (title, legend)")
    check_pair(out, col["ink"], col["persona"], size, False, ink_pos, "the centre's text")
    for gid, colour in ctx.spec.tables.get("groups", {}).items():
        check_pair(out, col["ink"], tint_of(colour, look.tint), size, False, ink_pos,
                   f"the partners in the sector of '{gid}' (colours.groups at tint {look.tint:g})")
    check_pair(out, col["library_text"], col["library"], size, True, s.pos(*b, "colours", "library_text"),
               "the library ring's text")
    for colour in look.world_colours:
        check_pair(out, col["world_text"], colour, size, True, s.pos(*b, "colours", "world_text"),
                   "the outer ring's text")



@dataclass(frozen=True)
class TileStyle:
    printer_margin: float
    mark_space: float
    label_band: float
    label_size: float
    shade: float
    cross: float
    map_text: float


def read_tile_style(style: Style) -> TileStyle:
    t = ("tiles",)
    style.keys(*t)
    return TileStyle(
        printer_margin=style.number(*t, "printer_margin"),
        mark_space=style.number(*t, "mark_space"),
        label_band=style.number(*t, "label_band"),
        label_size=style.number(*t, "label_size"),
        shade=style.number(*t, "shade"),
        cross=style.number(*t, "cross"),
        map_text=style.number(*t, "map_text"),
    )



@dataclass(frozen=True)
class SheetStyle:
    margin: float  # points
    header: float
    colour: Colour
    tint: float
    pitch: float
    sizes: dict
    widths: list[float]
    extra_rows: int
    min_row: float


def read_sheet_style(style) -> SheetStyle:
    w = ("worksheets",)
    style.keys(*w)
    names = ("title", "intro", "label", "body", "small")
    style.keys(*w, "text")
    style.keys(*w, "krachtenanalyse")
    colour = style.colour(*w, "colour")
    label_size = style.number(*w, "text", "label")
    check_pair(style.out, colour, Colour(rgb=(1.0, 1.0, 1.0)), label_size, True, style.pos(*w, "colour"),
               "the worksheets' headings (worksheets.colour on white)")
    return SheetStyle(
        margin=style.number(*w, "margin") * mm,
        header=style.number(*w, "header") * mm,
        colour=colour,
        tint=style.number(*w, "tint"),
        pitch=style.number(*w, "line_pitch") * mm,
        sizes={n: style.number(*w, "text", n) for n in names},
        widths=style.numbers(*w, "krachtenanalyse", "widths"),
        extra_rows=int(style.number(*w, "krachtenanalyse", "extra_rows")),
        min_row=style.number(*w, "krachtenanalyse", "min_row") * mm,
    )


def read_stall_place(style: Style, where: Pos, out: Collector) -> list[float] | None:
    """``board.stall.at`` ([x, y, width, height]) for the stall texts at ``where``; None (reported) when missing."""
    if style.get("board", "stall") is None or not isinstance(style.get("board", "stall"), dict):
        out.error(where, "cards/board.yaml has texts for the 'stall' place but layouts/board.yaml "
                         "gives it no place; add 'stall: {at: [x, y, width, height]}' under 'board:'")
        return None
    style.keys("board", "stall")
    return style.numbers("board", "stall", "at")
