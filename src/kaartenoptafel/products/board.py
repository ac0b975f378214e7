"""The board: the network the players build, as one poster page and as tiles to print at home and glue.

The board is data: its texts come from ``cards/board.yaml`` (``board:``), its geometry, colours and font
sizes from ``layouts/board.yaml``, the sectors from the role groups in ``cards/game.yaml`` and their
colours from ``colours.groups`` in the card layout. The person in need is at the centre, the library
ring around it, the partners in one sector per role group, the wider world in the outer ring, and the
route (find, refer, train, follow up) in the corners, each step with a card-size outline, and beside it
the place where the route stalls (:mod:`kaartenoptafel.products.stall`).

The board is drawn once, as a Form XObject, and placed on the poster page (with bleed, TrimBox,
BleedBox and crop marks) and, clipped and shifted, on every tile (see :mod:`kaartenoptafel.impose.tiles`).
All geometry is laid out and checked before anything is drawn; mistakes become located errors.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.build import Job, Product, register_check, register_product
from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.impose.marks import crop_marks
from kaartenoptafel.impose.tiles import Rect, TilePlan, plan_tiles, seams, tile_code
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.spec import Colour, parse_colour, read_layout
from kaartenoptafel.layout.text import Fitted, Item, Overflow, TextStyle, fit
from kaartenoptafel.load.checks import check_keys, fill
from kaartenoptafel.load.yamlfile import read_yaml
from kaartenoptafel.render.card import set_fill, set_stroke
from kaartenoptafel.products.stall import draw_stall, lay_out_stall
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.resolve import ResolvedCard
from kaartenoptafel.write.atomic import write_bytes_atomic

BOARD_SIZES = {"a3": (420.0, 297.0), "a2": (594.0, 420.0), "a1": (841.0, 594.0)}  # ISO 216, landscape
REFERENCE = "a3"  # the size layouts/board.yaml is written for
MARK_ROOM = 8 * mm  # poster: room outside the bleed for the crop marks (as on the print-shop deck)
LAYOUT_FILE = "board.yaml"
_MISSING = object()


# -- located access to the two YAML files ------------------------------------------------------


def dig(data: Any, key: tuple) -> Any:
    """The value at a path of mapping keys and list indexes, or _MISSING."""
    node = data
    for k in key:
        if isinstance(node, dict) and k in node:
            node = node[k]
        elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
            node = node[k]
        else:
            return _MISSING
    return node


class Content:
    """``board:`` of cards/board.yaml: every text filled with the game's variables, every mistake located."""

    def __init__(self, ctx: Context, out: Collector):
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
        return None if value is _MISSING else value

    def _name(self, key) -> str:
        return "board." + ".".join(str(k) for k in key)

    def text(self, *key, check_glyphs: bool = True) -> str:
        value = self.get(*key)
        if self.data is None:
            return ""
        if value is _MISSING or value is None or value == "":
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

    def items(self, *key, least: int = 1) -> list:
        value = self.get(*key)
        if self.data is None:
            return []
        if not isinstance(value, list) or len(value) < least:
            what = "is missing" if value is _MISSING else "must be a list"
            self.out.error(self.pos(*key), f"'{self._name(key)}' {what}: give a list of at least {least}")
            return []
        return value

    def texts(self, *key, least: int = 1) -> list[str]:
        return [self.text(*key, i) for i in range(len(self.items(*key, least=least)))]

    def mapping(self, *key, allowed: tuple[str, ...]) -> dict:
        value = self.get(*key)
        if self.data is None:
            return {}
        if not isinstance(value, dict):
            what = "is missing" if value is _MISSING else "must be a mapping"
            self.out.error(self.pos(*key), f"'{self._name(key)}' {what}: it needs {one_of(allowed)}")
            return {}
        check_keys(self.out, value, allowed, lambda k: self.key_pos(*key, k), f"'{self._name(key)}'")
        return value

    def number(self, *key, low: int, high: int) -> int:
        value = self.get(*key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            if self.data is not None:
                self.out.error(self.pos(*key), f"'{self._name(key)}' must be a whole number from {low} to {high}")
            return low
        return value


class Style:
    """layouts/board.yaml, read like the card layouts (with ``extends``); every mistake located."""

    def __init__(self, ctx: Context, out: Collector):
        self.out = out
        self.loc = read_layout(ctx.spec.root, LAYOUT_FILE, out)
        self.data = self.loc.data if self.loc is not None else {}
        if self.loc is not None:
            check_keys(out, self.data, ("extends", "board", "tiles", "worksheets"), lambda k: self.loc.key_pos(k),
                       f"layouts/{LAYOUT_FILE}")

    def pos(self, *key) -> Pos:
        return self.loc.pos(*key) if self.loc is not None else Pos(f"layouts/{LAYOUT_FILE}")

    def get(self, *key) -> Any:
        return dig(self.data, key)

    def _name(self, key) -> str:
        return ".".join(str(k) for k in key)

    def _missing(self, key) -> None:
        if self.loc is not None:
            self.out.error(self.pos(*key), f"'{self._name(key)}' is missing in layouts/{LAYOUT_FILE}")

    def keys(self, *key, allowed: tuple[str, ...]) -> None:
        value = self.get(*key)
        if isinstance(value, dict):
            check_keys(self.out, value, allowed, lambda k: self.loc.key_pos(*key, k), f"'{self._name(key)}'")
        elif self.loc is not None:
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be a mapping with {one_of(allowed)}")

    def number(self, *key, low: float, high: float, unit: str = "mm") -> float:
        value = self.get(*key)
        if value is _MISSING:
            self._missing(key)
            return low
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            self.out.error(self.pos(*key), f"'{self._name(key)}' must be a number from {low:g} to {high:g} {unit}, "
                                           f"not {value!r}")
            return low
        return float(value)

    def numbers(self, *key, count: int | None, low: float, high: float, unit: str = "mm") -> list[float]:
        value = self.get(*key)
        if value is _MISSING:
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
        if value is _MISSING:
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


# -- the board's parts, in points -------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One straight line of text in a sector, perpendicular to the sector's middle ray."""

    text: str
    font: str
    size: float
    colour: Colour
    outer: float  # distance from the centre of the line's outer edge (ascender side unless flipped)
    height: float  # ascent - descent


@dataclass
class Sector:
    group: str
    name: str
    colour: Colour
    start: float  # degrees; the sector runs clockwise from start to end (start > end)
    end: float
    lines: list[TextLine] = field(default_factory=list)

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2

    @property
    def flipped(self) -> bool:
        """Text in the lower half is turned so that it reads upright from that side of the table."""
        return math.sin(math.radians(self.middle)) < -1e-9


@dataclass(frozen=True)
class Slot:
    """A card outline: its rectangle (points, board coordinates) and the text printed inside it."""

    x: float
    y: float
    w: float
    h: float
    fitted: Fitted | None


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    slot: Slot
    name_size: float
    header_x: float  # the header (number and name) starts here, above the card; it scales with the board
    header_w: float


def strip_grey(shade: float) -> float:
    """The grey level (0 black .. 1 white) of a tile's glue strip for ``tiles.shade`` (0 white .. 1 darkest)."""
    return 1 - 0.4 * shade


def tint_of(colour: Colour, strength: float) -> Colour:
    """``colour`` at ``strength`` on white paper."""
    if colour.cmyk is not None:
        return Colour(cmyk=tuple(v * strength for v in colour.cmyk))
    return Colour(rgb=tuple(1 - (1 - v) * strength for v in colour.rgb))


def _ascent_descent(font: str, size: float) -> tuple[float, float]:
    face = pdfmetrics.getFont(font).face
    return face.ascent * size / 1000, face.descent * size / 1000  # descent is negative


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


class Board:
    """The board for one size, laid out and checked; ``draw`` paints it with its bottom-left trim corner at 0,0."""

    def __init__(self, ctx: Context, content: Content, style: Style, cards: list[ResolvedCard], size: str,
                 out: Collector):
        self.ctx, self.content, self.style, self.out = ctx, content, style, out
        self.size = size
        self.words = True  # False: draw the shapes only (the assembly map's small board)
        ref_w, ref_h = BOARD_SIZES[REFERENCE]
        w_mm, h_mm = BOARD_SIZES[size]
        self.w_mm, self.h_mm = w_mm, h_mm
        self.W, self.H = w_mm * mm, h_mm * mm
        self.scale = min(w_mm / ref_w, h_mm / ref_h)
        self.ref = (ref_w, ref_h)
        family = ctx.family
        self.regular, self.bold = family.regular, family.bold
        self._read_style()
        self._read_content(cards)
        self._lay_out()

    # scaling: reference millimetres (x, y from the top-left) to board points (y up)
    def L(self, v: float) -> float:
        return v * self.scale * mm

    def P(self, x: float, y: float) -> tuple[float, float]:
        ref_w, ref_h = self.ref
        return self.W / 2 + (x - ref_w / 2) * self.scale * mm, self.H / 2 + (ref_h / 2 - y) * self.scale * mm

    def pt(self, size: float) -> float:
        return size * self.scale

    # -- reading --------------------------------------------------------------------------------

    def _read_style(self) -> None:
        s = self.style
        b = ("board",)
        s.keys(*b, allowed=("bleed", "margin", "centre", "rings", "gap", "band", "sector_start", "world_start",
                            "padding", "tint", "library_repeat", "corner_radius", "route", "title", "legend",
                            "stall", "min_text", "text", "colours"))
        self.bleed = s.number(*b, "bleed", low=0, high=10)
        self.margin = s.number(*b, "margin", low=0, high=40)
        self.centre_ref = s.numbers(*b, "centre", count=2, low=0, high=420)
        s.keys(*b, "rings", allowed=("persona", "library", "sectors", "world"))
        self.radii = {k: s.number(*b, "rings", k, low=5, high=300) for k in ("persona", "library", "sectors", "world")}
        order = ["persona", "library", "sectors", "world"]
        for inner, outer in zip(order, order[1:]):
            if self.radii[outer] <= self.radii[inner] + 5:
                self.out.error(s.pos(*b, "rings", outer), f"rings: '{outer}' ({self.radii[outer]:g} mm) must be more "
                                                          f"than 5 mm larger than '{inner}' ({self.radii[inner]:g} mm)")
        self.gap = s.number(*b, "gap", low=0, high=10)
        self.band = s.number(*b, "band", low=0, high=30)
        self.sector_start = s.number(*b, "sector_start", low=-360, high=360, unit="degrees")
        self.world_start = s.number(*b, "world_start", low=-360, high=360, unit="degrees")
        self.padding = s.number(*b, "padding", low=0, high=20)
        self.tint = s.number(*b, "tint", low=0, high=1, unit="")
        self.library_repeat = int(s.number(*b, "library_repeat", low=1, high=4, unit="times"))
        self.corner = s.number(*b, "corner_radius", low=0, high=10)
        s.keys(*b, "route", allowed=("slots", "header", "radius", "width"))
        raw_slots = s.get(*b, "route", "slots")
        self.slot_ref: list[tuple[float, float]] = []
        if not isinstance(raw_slots, list) or not raw_slots:
            self.out.error(s.pos(*b, "route", "slots"), "'board.route.slots' must be a list of [x, y], one per route step")
        else:
            for i in range(len(raw_slots)):
                self.slot_ref.append(tuple(s.numbers(*b, "route", "slots", i, count=2, low=0, high=420)))
        self.header = s.number(*b, "route", "header", low=5, high=40)
        self.arrow_radius = s.number(*b, "route", "radius", low=10, high=300)
        self.arrow_width = s.number(*b, "route", "width", low=0.3, high=10)
        self.title_at = s.numbers(*b, "title", "at", count=4, low=0, high=420)
        self.legend_at = s.numbers(*b, "legend", "at", count=4, low=0, high=420)
        self.min_text = s.number(*b, "min_text", low=6, high=40, unit="pt")
        names = ("title", "subtitle", "sector", "partner", "ring", "step", "slot", "legend")
        s.keys(*b, "text", allowed=names)
        self.sizes = {}
        for name in names:
            value = s.number(*b, "text", name, low=4, high=120, unit="pt")
            if value < self.min_text:
                self.out.error(s.pos(*b, "text", name), f"text size '{name}' is {value:g} pt, below min_text "
                                                        f"({self.min_text:g} pt): too small to read from a metre away")
            self.sizes[name] = value
        colour_names = ("background", "ink", "persona", "library", "library_text", "world_text", "route", "outline",
                        "fallback")
        s.keys(*b, "colours", allowed=colour_names + ("world",))
        self.colours = {name: s.colour(*b, "colours", name) for name in colour_names}
        self.world_colours = s.colours(*b, "colours", "world")
        self._check_contrast(s, b)

    def _check_contrast(self, s: Style, b: tuple) -> None:
        """Every board text colour against what it is printed on (WCAG 2 AA; board text is >= min_text)."""
        from kaartenoptafel.layout.contrast import check_pair

        col, size = self.colours, self.min_text
        ink_pos = s.pos(*b, "colours", "ink")
        check_pair(self.out, col["ink"], col["background"], size, False, ink_pos, "board text (title, legend)")
        check_pair(self.out, col["ink"], col["persona"], size, False, ink_pos, "the centre's text")
        for gid, colour in self.ctx.spec.tables.get("groups", {}).items():
            check_pair(self.out, col["ink"], tint_of(colour, self.tint), size, False, ink_pos,
                       f"the partners in the sector of '{gid}' (colours.groups at tint {self.tint:g})")
        check_pair(self.out, col["library_text"], col["library"], size, True, s.pos(*b, "colours", "library_text"),
                   "the library ring's text")
        for colour in self.world_colours:
            check_pair(self.out, col["world_text"], colour, size, True, s.pos(*b, "colours", "world_text"),
                       "the outer ring's text")

    def _read_content(self, cards: list[ResolvedCard]) -> None:
        c = self.content
        kit = self.ctx.kit
        partners = c.mapping("partners", allowed=("type", "name", "group"))
        self.partner_type = str(partners.get("type", ""))
        self.name_field = str(partners.get("name", ""))
        self.group_field = str(partners.get("group", ""))
        if partners:
            if self.partner_type not in kit.types:
                c.out.error(c.pos("partners", "type"), f"card type '{self.partner_type}' does not exist"
                                                       f"{did_you_mean(self.partner_type, kit.types)}; "
                                                       f"expected one of {one_of(kit.types)}")
            else:
                fields = kit.types[self.partner_type].fields
                for key in ("name", "group"):
                    value = str(partners.get(key, ""))
                    if value not in fields:
                        c.out.error(c.pos("partners", key), f"'{value}' is not a field of '{self.partner_type}'"
                                                            f"{did_you_mean(value, fields)}")
        self.subtitle = c.text("subtitle")
        c.mapping("centre", allowed=("heading", "text"))
        self.centre_heading = c.text("centre", "heading")
        self.centre_text = c.text("centre", "text")
        self.library_text = c.text("library")
        self.more = c.text("more")
        self.world = c.texts("world")
        self.route = []
        for i, _ in enumerate(c.items("route")):
            c.mapping("route", i, allowed=("name", "text"))
            self.route.append((c.text("route", i, "name"), c.text("route", i, "text")))
        if self.route and self.slot_ref and len(self.route) != len(self.slot_ref):
            c.out.error(c.pos("route"), f"the route has {len(self.route)} steps but layouts/{LAYOUT_FILE} has "
                                        f"{len(self.slot_ref)} places for them (board.route.slots); make them equal")
        legend_keys = ("title", "centre", "library", "sectors", "world", "route")
        legend = c.mapping("legend", allowed=legend_keys)
        self.legend_title = c.text("legend", "title")
        self.legend = [(k, c.text("legend", k)) for k in legend_keys[1:] if k in legend]
        # partners per group, in card order
        self.partners: dict[str, list[ResolvedCard]] = {g: [] for g in kit.game.groups}
        for card in cards:
            if card.type == self.partner_type and card.raw.get(self.group_field) in self.partners:
                self.partners[card.raw[self.group_field]].append(card)

    # -- layout ---------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        if self.out.diagnostics:
            return
        self.cx, self.cy = self.P(*self.centre_ref)
        R = {k: self.L(v) for k, v in self.radii.items()}
        self.R = R
        self._check_inside(self.centre_ref, self.radii["world"], ("board", "rings", "world"))
        groups = self.ctx.kit.game.groups
        table = self.ctx.spec.tables.get("groups", {})
        n = max(len(groups), 1)
        step = 360.0 / n
        self.sectors = []
        for i, (gid, name) in enumerate(groups.items()):
            start = self.sector_start - i * step
            sector = Sector(gid, name, table.get(gid, self.colours["fallback"]), start, start - step)
            self._sector_text(sector)
            self.sectors.append(sector)
        self._ring_labels()
        self._slots()
        self._boxes()
        self.stall = lay_out_stall(self)

    def _check_inside(self, centre, radius, key) -> None:
        x, y = centre
        m = self.margin
        ref_w, ref_h = self.ref
        if x - radius < m - 1e-6 or y - radius < m - 1e-6 or x + radius > ref_w - m + 1e-6 or y + radius > ref_h - m + 1e-6:
            self.out.error(self.style.pos(*key), f"the board's rings (radius {radius:g} mm round "
                                                 f"[{x:g}, {y:g}]) reach into the {m:g} mm margin")

    def _avail(self, inner: float, outer: float, half: float, r_max: float) -> float:
        """The widest straight line (points) that fits a sector between ``inner`` and ``outer`` from the centre."""
        pad = self.L(self.padding)
        if half >= 89.0:
            side = 1e9
        else:
            side = inner * math.tan(math.radians(half)) - pad / math.cos(math.radians(half))
        if r_max <= outer:
            return 0.0
        round_ = math.sqrt(r_max * r_max - outer * outer)
        return 2 * max(0.0, min(side, round_))

    def _place(self, tokens: list[tuple[str, str]], font: str, size: float, colour: Colour, r: float, r_min: float,
               half: float, r_max: float, reverse: bool) -> tuple[list[TextLine], float] | None:
        """Wrap ``tokens`` ((text, separator before it) pairs) into lines running inwards from ``r``.

        Lines are filled from the first token, or with ``reverse`` from the last (for upside-down sectors,
        whose first line must be the innermost). Returns the lines in reading order and the radius below
        them; None when they do not fit.

        A name too long for a line wraps between its words. So that a reader can tell a wrapped name from two
        names, a line that ends where a name ends, with more names to follow, ends with the separator
        ("UWV ·"): a line without it continues on the next.
        """
        asc, desc = _ascent_descent(font, size)
        height = asc - desc
        tokens = list(tokens)
        mark = "·" if any(sep.strip() for _, sep in tokens[1:]) else ""  # only lists of names carry the mark

        def joined(part: list[tuple[str, str]], after: tuple[str, str] | None) -> str:
            text = part[0][0] + "".join(sep + t for t, sep in part[1:]) if part else ""
            return text + f" {mark}" if mark and after is not None and after[1].strip() else text

        lines: list[TextLine] = []
        following = None  # reverse: the first token of the line after this one in reading order
        while tokens:
            if r - height < r_min - 1e-6:
                return None
            width = self._avail(r - height, r, half, r_max)

            def candidate(n: int):
                if reverse:
                    return tokens[-n:], following
                return tokens[:n], (tokens[n] if n < len(tokens) else None)

            take = 1
            while take < len(tokens):
                if _width(joined(*candidate(take + 1)), font, size) > width:
                    break
                take += 1
            part, after = candidate(take)
            if _width(joined(part, after), font, size) > width:
                text, sep = part[0]
                if " " not in text:
                    return None
                words = text.split()  # a name too long for one line breaks between its words
                split = [(words[0], sep)] + [(w, " ") for w in words[1:]]
                tokens = tokens[:-1] + split if reverse else split + tokens[1:]
                continue
            tokens = tokens[:-take] if reverse else tokens[take:]
            lines.append(TextLine(joined(part, after), font, size, colour, r, height))
            following = part[0]
            r -= height + size * 0.08
        return (lines[::-1] if reverse else lines), r

    def _sector_text(self, sector: Sector) -> None:
        half = (sector.start - sector.end) / 2 - math.degrees(self.L(self.gap) / 2 / max(self.R["library"], 1))
        pad = self.L(self.padding)
        r_top = self.R["sectors"] - self.L(self.band) - pad
        r_min = self.R["library"] + self.L(self.gap) / 2 + pad
        r_max = self.R["sectors"] - self.L(self.band)
        flip = sector.flipped
        names = [str(card.values.get(self.name_field, card.title)) for card in self.partners.get(sector.group, [])]
        words = [(w, " ") for w in sector.name.split()]
        best = None
        size = self.pt(self.sizes["sector"])
        while size >= self.pt(self.min_text) - 1e-6 and best is None:
            start = r_top
            while start > r_min and best is None:  # a long word may need the wider middle of the sector
                best = self._place(words, self.bold, size, sector.colour, start, r_min, half, r_max, flip)
                start -= 1.0
            size -= 0.5
        if best is None:
            self.out.error(self._group_pos(sector.group),
                           f"role group '{sector.name}' does not fit its sector on the board, even at "
                           f"{self.min_text:g} pt; shorten its name or use fewer groups")
            return
        head_lines, r_after_head = best
        psize = self.pt(self.sizes["partner"])
        chosen: list[TextLine] = []
        by_length = sorted(range(len(names)), key=lambda k: (len(names[k]), k))
        for keep in range(len(names), -1, -1):  # as many partners as fit (the shortest names), then "en nog 2"
            picked = sorted(by_length[:keep])
            shown = [names[k] for k in picked] + ([f"{self.more} {len(names) - keep}"] if keep < len(names) else [])
            if not shown:
                break
            placed = self._place([(t, " · ") for t in shown], self.regular, psize, self.colours["ink"],
                                 r_after_head - psize * 0.4, r_min, half, r_max, flip)
            if placed is not None:
                chosen = placed[0]
                break
        lines = chosen + head_lines if flip else head_lines + chosen  # reading order: the PDF's text follows it
        # centre the block between the band and the library ring when it still fits there
        bottom = min(line.outer - line.height for line in lines)
        spare = bottom - r_min
        if spare > 1:
            shifted = [replace(line, outer=line.outer - spare / 2) for line in lines]
            if all(_width(l.text, l.font, l.size) <= self._avail(l.outer - l.height, l.outer, half, r_max)
                   for l in shifted):
                lines = shifted
        sector.lines = lines

    def _group_pos(self, gid: str) -> Pos:
        doc, _ = read_yaml(self.ctx.kit.root / "cards" / "game.yaml", self.ctx.kit.root)
        return doc.pos("groups", gid) if doc is not None else Pos("cards/game.yaml")

    def _ring_labels(self) -> None:
        """Check the curved labels of the library ring and the outer ring fit their arcs; pick their sizes."""
        size = self.pt(self.sizes["ring"])
        r_lib = (self.R["persona"] + self.R["library"]) / 2
        arc = 2 * math.pi * r_lib / self.library_repeat * 0.85
        self.library_size = self._fit_arc(self.library_text, self.bold, size, arc, self.content.pos("library"))
        self.world_parts = []
        n = max(len(self.world), 1)
        r_world = (self.R["sectors"] + self.R["world"]) / 2
        for i, text in enumerate(self.world):
            start = self.world_start - i * 360.0 / n
            arc = 2 * math.pi * r_world / n - 2 * self.L(self.padding) - self.L(self.gap)
            fitted = self._fit_arc(text, self.bold, size, arc, self.content.pos("world", i))
            self.world_parts.append((text, start, start - 360.0 / n, fitted))
        band = self.R["world"] - self.R["sectors"] - self.L(self.gap)
        asc, desc = _ascent_descent(self.bold, size)
        if asc - desc > band - self.L(self.padding):
            self.out.error(self.style.pos("board", "rings", "world"),
                           f"the outer ring is too narrow for its {self.sizes['ring']:g} pt labels; make it wider")

    def _fit_arc(self, text: str, font: str, size: float, arc: float, pos: Pos) -> float:
        while size >= self.pt(self.min_text) - 1e-6:
            if _width(text, font, size) <= arc:
                return size
            size -= 0.5
        self.out.error(pos, f"'{text}' is too long for its ring on the board, even at {self.min_text:g} pt; shorten it")
        return size

    def _text_style(self, colour: Colour, bold: bool = False, align: str = "center") -> TextStyle:
        return TextStyle(self.ctx.family, colour.hex(), colour.hex(), 1.15, align, bold, hyphenate=False,
                         lang=self.ctx.kit.game.language)

    def _fit(self, text: str, colour: Colour, width: float, height: float, size: float, pos: Pos, what: str,
             bold: bool = False, align: str = "center", scaled: bool = True) -> Fitted | None:
        """Fit ``text`` at ``size`` (shrinking to min_text); unscaled inside card outlines, which keep their size."""
        k = self.scale if scaled else 1.0
        try:
            return fit((Item("t", None, text=text),), self._text_style(colour, bold, align), width, height,
                       size * k, self.min_text * k)
        except Overflow as over:
            self.out.error(pos, f"{what} does not fit on the board: it runs {over.overflow_pt / mm:.1f} mm past its "
                                f"space even at {self.min_text:g} pt; shorten it")
            return None

    def _slots(self) -> None:
        spec = self.ctx.spec
        cw, ch = spec.width * mm, spec.height * mm
        ink = self.colours["ink"]
        # the persona card lies in the centre circle
        half_diag = math.hypot(cw, ch) / 2
        if half_diag > self.R["persona"] - self.L(self.gap):
            need = (half_diag / mm + self.gap) / self.scale
            self.out.error(self.style.pos("board", "rings", "persona"),
                           f"the situation card ({spec.width:g} x {spec.height:g} mm) does not fit in the centre circle "
                           f"of a {self.size.upper()} board; make rings.persona at least {math.ceil(need)} mm "
                           "(or choose a larger board)")
        text = f"**{self.centre_heading}**\n{self.centre_text}"
        pad = self.padding * mm  # inside a card outline nothing scales
        fitted = self._fit(text, ink, cw - 2 * pad, ch - 2 * pad, self.sizes["slot"], self.content.pos("centre"),
                           "the centre text", scaled=False)
        self.persona = Slot(self.cx - cw / 2, self.cy - ch / 2, cw, ch, fitted)
        # the route steps in the corners
        self.steps: list[Step] = []
        rects = []
        for i, ((name, hint), centre) in enumerate(zip(self.route, self.slot_ref)):
            x, y = self.P(*centre)
            slot_fit = self._fit(hint, ink, cw - 2 * pad, ch - 2 * pad, self.sizes["slot"],
                                 self.content.pos("route", i, "text"), f"route step {i + 1}'s text", scaled=False)
            slot = Slot(x - cw / 2, y - ch / 2, cw, ch, slot_fit)
            header = self.L(self.header)
            size = self.pt(self.sizes["step"])
            disc = header * 0.78
            header_w = max(cw, self.L(spec.width))  # on a larger board the header grows, the card does not
            while size > self.pt(self.min_text) and disc + header * 0.25 + _width(name, self.bold, size) > header_w:
                size -= 0.5
            if disc + header * 0.25 + _width(name, self.bold, size) > header_w + 1e-6:
                self.out.error(self.content.pos("route", i, "name"), f"route step '{name}' is too long for the space "
                                                                     "above its card; shorten it")
            self.steps.append(Step(i + 1, name, slot, size, x - header_w / 2, header_w))
            rects.append(Rect(min(slot.x, x - header_w / 2), slot.y, max(slot.x + cw, x + header_w / 2),
                              slot.y + ch + header))
        for i, a in enumerate(rects):
            for j, b in enumerate(rects[:i]):
                if a.intersection(b):
                    self.out.error(self.style.pos("board", "route", "slots", i),
                                   f"the card outlines of route steps {j + 1} and {i + 1} overlap")
        self.route_rects = rects
        # the arrows from each step to the next run clockwise round the board
        angles = [math.degrees(math.atan2(r.y0 + (r.y1 - r.y0) / 2 - self.cy, r.x0 + (r.x1 - r.x0) / 2 - self.cx))
                  for r in rects]
        self.arrows = [(a, a - (a - b) % 360.0) for a, b in zip(angles, angles[1:])]
        for i, rect in enumerate(rects):
            self._check_rect(rect, ("board", "route", "slots", i), f"route step {i + 1}'s card outline")

    def _check_rect(self, rect: Rect, key: tuple, what: str) -> None:
        m = self.L(self.margin)
        if rect.x0 < m - 0.01 or rect.y0 < m - 0.01 or rect.x1 > self.W - m + 0.01 or rect.y1 > self.H - m + 0.01:
            self.out.error(self.style.pos(*key), f"{what} reaches into the {self.margin:g} mm margin of a "
                                                 f"{self.size.upper()} board; move it")
        # it must stay clear of the outer ring and of the route arrows
        def distance(px: float, py: float) -> float:
            return math.hypot(px - min(max(px, rect.x0), rect.x1), py - min(max(py, rect.y0), rect.y1))

        gap = self.L(self.gap)
        if distance(self.cx, self.cy) < self.R["world"] + gap:
            self.out.error(self.style.pos(*key), f"{what} overlaps the rings on a {self.size.upper()} board; "
                                                 "move it further out")
            return
        radius, half = self.L(self.arrow_radius), self.L(self.arrow_width) * 1.8
        for start, end in self.arrows:
            steps = max(2, int(abs(start - end)))
            for k in range(steps + 1):
                a = math.radians(start + (end - start) * k / steps)
                if distance(self.cx + radius * math.cos(a), self.cy + radius * math.sin(a)) < half + gap:
                    self.out.error(self.style.pos(*key), f"{what} overlaps a route arrow on a "
                                                         f"{self.size.upper()} board; move it")
                    return

    def _boxes(self) -> None:
        ink = self.colours["ink"]
        # title and subtitle
        x, y, w, h = self.title_at
        x0, y1 = self.P(x, y)
        self.title_box = Rect(x0, y1 - self.L(h), x0 + self.L(w), y1)
        self._check_rect(self.title_box, ("board", "title", "at"), "the title box")
        title = self._fit(self.ctx.kit.game.title, ink, self.L(w), self.L(h) * 0.55, self.sizes["title"],
                          self.style.pos("board", "title"), "the game's title", bold=True, align="left")
        sub = None
        if title is not None:
            sub = self._fit(self.subtitle, ink, self.L(w), self.L(h) - title.height - self.L(3), self.sizes["subtitle"],
                            self.content.pos("subtitle"), "the subtitle", align="left")
        self.title_fits = (title, sub)
        # legend: a swatch and a line of text per part
        x, y, w, h = self.legend_at
        x0, y1 = self.P(x, y)
        self.legend_box = Rect(x0, y1 - self.L(h), x0 + self.L(w), y1)
        self._check_rect(self.legend_box, ("board", "legend", "at"), "the legend")
        swatch = self.L(6)
        size = self.pt(self.sizes["legend"])
        self.legend_fits: list[tuple[str, Fitted]] = []
        while True:
            style = self._text_style(ink, align="left")
            head = fit((Item("t", None, text=self.legend_title),), replace(style, bold=True), self.L(w), 1e6, size, size)
            items = [(k, fit((Item("t", None, text=t),), style, self.L(w) - swatch * 1.5, 1e6, size, size))
                     for k, t in self.legend]
            total = head.height + sum(f.height + size * 0.45 for _, f in items) + size * 0.3
            if total <= self.L(h) or size <= self.pt(self.min_text):
                break
            size -= 0.5
        if total > self.L(h) + 0.01:
            self.out.error(self.content.pos("legend"), f"the legend does not fit its box on the board, even at "
                                                       f"{self.min_text:g} pt; shorten it")
        self.legend_head, self.legend_fits, self.legend_size = head, items, size

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, c: Canvas) -> None:
        b = self.bleed * mm
        set_fill(c, self.colours["background"])
        c.rect(-b, -b, self.W + 2 * b, self.H + 2 * b, stroke=0, fill=1)
        self._draw_rings(c)
        self._draw_sectors(c)
        self._draw_route(c)
        self._draw_slot(c, self.persona)
        self._draw_boxes(c)
        draw_stall(self, c, self.stall)

    def _wedge(self, c: Canvas, r0: float, r1: float, start: float, end: float) -> None:
        """Fill the ring part between radii r0 < r1, clockwise from ``start`` to ``end`` degrees."""
        cx, cy = self.cx, self.cy
        p = c.beginPath()
        if start - end >= 359.999:
            p.circle(cx, cy, r1)
            if r0 > 0:
                p.circle(cx, cy, r0)
            c.drawPath(p, stroke=0, fill=1, fillMode=1)  # even-odd: a ring
            return
        p.arc(cx - r1, cy - r1, cx + r1, cy + r1, startAng=end, extent=start - end)
        if r0 > 0:
            p.arcTo(cx - r0, cy - r0, cx + r0, cy + r0, startAng=start, extent=-(start - end))
        else:
            p.lineTo(cx, cy)
        p.close()
        c.drawPath(p, stroke=0, fill=1)

    def _ray(self, c: Canvas, angle: float, r0: float, r1: float) -> None:
        a = math.radians(angle)
        c.line(self.cx + r0 * math.cos(a), self.cy + r0 * math.sin(a), self.cx + r1 * math.cos(a), self.cy + r1 * math.sin(a))

    def _draw_rings(self, c: Canvas) -> None:
        R = self.R
        gap = self.L(self.gap)
        # outer ring: the wider world
        for i, (text, start, end, size) in enumerate(self.world_parts):
            set_fill(c, self.world_colours[i % len(self.world_colours)])
            self._wedge(c, R["sectors"], R["world"], start, end)
        # sectors
        for sector in self.sectors:
            set_fill(c, tint_of(sector.colour, self.tint))
            self._wedge(c, R["library"], R["sectors"], sector.start, sector.end)
            if self.band > 0:
                set_fill(c, sector.colour)
                self._wedge(c, R["sectors"] - self.L(self.band), R["sectors"], sector.start, sector.end)
        # library ring and the centre
        set_fill(c, self.colours["library"])
        self._wedge(c, R["persona"], R["library"], 360.0, 0.0)
        set_fill(c, self.colours["persona"])
        c.circle(self.cx, self.cy, R["persona"], stroke=0, fill=1)
        # white lines between the parts
        if gap > 0:
            set_stroke(c, self.colours["background"])
            c.setLineWidth(gap)
            for radius in (R["persona"], R["library"], R["sectors"]):
                c.circle(self.cx, self.cy, radius, stroke=1, fill=0)
            if len(self.sectors) > 1:
                for sector in self.sectors:
                    self._ray(c, sector.start, R["library"], R["sectors"])
            if len(self.world_parts) > 1:
                for _, start, _, _ in self.world_parts:
                    self._ray(c, start, R["sectors"], R["world"])
        # curved labels
        r_lib = (R["persona"] + R["library"]) / 2
        for k in range(self.library_repeat):
            middle = 90.0 - k * 360.0 / self.library_repeat
            self._arc_text(c, self.library_text, self.bold, self.library_size, self.colours["library_text"], r_lib, middle)
        r_world = (R["sectors"] + R["world"]) / 2
        for text, start, end, size in self.world_parts:
            self._arc_text(c, text, self.bold, size, self.colours["world_text"], r_world, (start + end) / 2)

    def _arc_text(self, c: Canvas, text: str, font: str, size: float, colour: Colour, radius: float,
                  middle: float) -> None:
        """Text along a circle, centred on ``middle`` degrees; in the lower half it reads upright from below."""
        asc, desc = _ascent_descent(font, size)
        cap = (asc + desc) / 2  # puts the letters' optical middle on the radius
        lower = math.sin(math.radians(middle)) < -1e-9
        base = radius + cap if lower else radius - cap
        if not self.words:
            return
        total = _width(text, font, size)
        set_fill(c, colour)
        c.setFont(font, size)
        pos = -total / 2
        for ch in text:
            adv = _width(ch, font, size)
            offset = (pos + adv / 2) / base
            angle = math.radians(middle) + (offset if lower else -offset)
            c.saveState()
            c.translate(self.cx + base * math.cos(angle), self.cy + base * math.sin(angle))
            c.rotate(math.degrees(angle) + (90 if lower else -90))
            c.drawString(-adv / 2, 0, ch)
            c.restoreState()
            pos += adv

    def _draw_sectors(self, c: Canvas) -> None:
        if not self.words:
            return
        for sector in self.sectors:
            middle = math.radians(sector.middle)
            for line in sector.lines:
                asc, desc = _ascent_descent(line.font, line.size)
                base = line.outer + desc if sector.flipped else line.outer - asc
                c.saveState()
                c.translate(self.cx + base * math.cos(middle), self.cy + base * math.sin(middle))
                c.rotate(sector.middle + (90 if sector.flipped else -90))
                set_fill(c, line.colour)
                c.setFont(line.font, line.size)
                c.drawCentredString(0, 0, line.text)
                c.restoreState()

    def _draw_fitted(self, c: Canvas, fitted: Fitted, x: float, top: float, words: bool | None = None) -> float:
        y = top
        for flow, height, space in fitted.flowables:
            y -= space + height
            if self.words if words is None else words:
                flow.drawOn(c, x, y)
        return y

    def _draw_slot(self, c: Canvas, slot: Slot) -> None:
        set_fill(c, self.colours["persona"])
        set_stroke(c, self.colours["outline"])
        c.setLineWidth(max(0.8, self.pt(1.0)))
        c.setDash(self.pt(4), self.pt(3))
        c.roundRect(slot.x, slot.y, slot.w, slot.h, self.corner * mm, stroke=1, fill=1)
        c.setDash()
        if slot.fitted is not None:
            pad = self.padding * mm
            self._draw_fitted(c, slot.fitted, slot.x + pad, slot.y + slot.h / 2 + slot.fitted.height / 2)

    def _draw_route(self, c: Canvas) -> None:
        route = self.colours["route"]
        radius = self.L(self.arrow_radius)
        width = self.L(self.arrow_width)
        set_stroke(c, route)
        set_fill(c, route)
        c.setLineWidth(width)
        c.setLineCap(1)
        head = width * 3.2
        for a, b in self.arrows:
            sweep = a - b  # clockwise
            end = a - sweep + math.degrees(head / radius)
            p = c.beginPath()
            p.arc(self.cx - radius, self.cy - radius, self.cx + radius, self.cy + radius, startAng=end,
                  extent=a - math.degrees(head * 0.3 / radius) - end)
            c.drawPath(p, stroke=1, fill=0)
            # the arrowhead points clockwise along the circle at b
            tip = math.radians(a - sweep)
            back = math.radians(a - sweep + math.degrees(head / radius))
            tx, ty = self.cx + radius * math.cos(tip), self.cy + radius * math.sin(tip)
            bx, by = self.cx + radius * math.cos(back), self.cy + radius * math.sin(back)
            nx, ny = math.cos(back) * width * 1.6, math.sin(back) * width * 1.6
            p = c.beginPath()
            p.moveTo(tx, ty)
            p.lineTo(bx + nx, by + ny)
            p.lineTo(bx - nx, by - ny)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
        c.setLineCap(0)
        for step in self.steps:
            self._draw_slot(c, step.slot)
            header = self.L(self.header)
            disc = header * 0.78
            cy = step.slot.y + step.slot.h + header * 0.52
            set_fill(c, route)
            c.circle(step.header_x + disc / 2, cy, disc / 2, stroke=0, fill=1)
            set_fill(c, self.ctx.spec.colours["paper"])
            nsize = disc * 0.62
            if not self.words:
                continue
            asc, desc = _ascent_descent(self.bold, nsize)
            c.setFont(self.bold, nsize)
            c.drawCentredString(step.header_x + disc / 2, cy - (asc + desc) / 2, str(step.number))
            set_fill(c, route)
            asc, desc = _ascent_descent(self.bold, step.name_size)
            c.setFont(self.bold, step.name_size)
            c.drawString(step.header_x + disc + header * 0.25, cy - (asc + desc) / 2, step.name)

    def _draw_boxes(self, c: Canvas) -> None:
        title, sub = self.title_fits
        box = self.title_box
        if title is not None:
            y = self._draw_fitted(c, title, box.x0, box.y1)
            if sub is not None:
                self._draw_fitted(c, sub, box.x0, y - self.L(3))
        box = self.legend_box
        size = self.legend_size
        y = self._draw_fitted(c, self.legend_head, box.x0, box.y1) - size * 0.3
        swatch = self.L(6)
        for key, fitted in self.legend_fits:
            y -= size * 0.45
            first_line = fitted.flowables[0][1] if fitted.flowables else size
            self._swatch(c, key, box.x0, y - first_line / 2 - swatch / 2 + size * 0.1, swatch)
            y = self._draw_fitted(c, fitted, box.x0 + swatch * 1.5, y)

    def _swatch(self, c: Canvas, key: str, x: float, y: float, s: float) -> None:
        set_stroke(c, self.colours["outline"])
        c.setLineWidth(0.6)
        if key == "centre":
            set_fill(c, self.colours["persona"])
            c.circle(x + s / 2, y + s / 2, s / 2, stroke=1, fill=1)
        elif key == "library":
            set_fill(c, self.colours["library"])
            c.circle(x + s / 2, y + s / 2, s / 2, stroke=0, fill=1)
            set_fill(c, self.colours["persona"])
            c.circle(x + s / 2, y + s / 2, s / 4, stroke=0, fill=1)
        elif key == "sectors":
            colours = [sec.colour for sec in self.sectors] or [self.colours["fallback"]]
            n = min(len(colours), 4)
            for k in range(n):
                set_fill(c, colours[k])
                p = c.beginPath()
                p.moveTo(x + s / 2, y + s / 2)
                p.arcTo(x, y, x + s, y + s, startAng=90 - k * 360 / n, extent=-360 / n)
                p.close()
                c.drawPath(p, stroke=0, fill=1)
        elif key == "world":
            set_fill(c, self.world_colours[-1])
            c.roundRect(x, y, s, s, s * 0.2, stroke=0, fill=1)
        elif key == "route":
            set_fill(c, self.colours["route"])
            p = c.beginPath()
            p.moveTo(x, y + s * 0.3)
            p.lineTo(x + s * 0.55, y + s * 0.3)
            p.lineTo(x + s * 0.55, y)
            p.lineTo(x + s, y + s / 2)
            p.lineTo(x + s * 0.55, y + s)
            p.lineTo(x + s * 0.55, y + s * 0.7)
            p.lineTo(x, y + s * 0.7)
            p.close()
            c.drawPath(p, stroke=0, fill=1)


# -- the files -------------------------------------------------------------------------------


def _board_form(c: Canvas, board: Board, name: str = "board") -> str:
    b = board.bleed * mm
    c.beginForm(name, -b, -b, board.W + b, board.H + b)
    board.draw(c)
    c.endForm()
    return name


def write_poster(ctx: Context, board: Board) -> bytes:
    """One page: the board at its size as TrimBox, the background run into the bleed, crop marks outside it."""
    b = board.bleed * mm
    m = b + MARK_ROOM
    buf = io.BytesIO()
    c = new_canvas(buf, (board.W + 2 * m, board.H + 2 * m), ctx.family, ctx.kit.game.title, "board poster")
    c.setTrimBox((m, m, m + board.W, m + board.H))
    c.setBleedBox((m - b, m - b, m + board.W + b, m + board.H + b))
    name = _board_form(c, board)
    c.saveState()
    c.translate(m, m)
    c.doForm(name)
    c.restoreState()
    crop_marks(c, m, m, board.W, board.H, b, MARK_ROOM - 2.5 * mm)
    c.showPage()
    c.save()
    return buf.getvalue()


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
    style.keys(*t, allowed=("printer_margin", "mark_space", "label_band", "label_size", "shade", "cross", "map_text"))
    return TileStyle(
        printer_margin=style.number(*t, "printer_margin", low=0, high=20),
        mark_space=style.number(*t, "mark_space", low=2, high=20),
        label_band=style.number(*t, "label_band", low=5, high=30),
        label_size=style.number(*t, "label_size", low=6, high=20, unit="pt"),
        shade=style.number(*t, "shade", low=0, high=1, unit=""),
        cross=style.number(*t, "cross", low=1, high=10),
        map_text=style.number(*t, "map_text", low=7, high=20, unit="pt"),
    )


def tile_plan(board: Board, paper: str, overlap: float, ts: TileStyle) -> TilePlan:
    pw, ph = PAPER[paper]
    return plan_tiles(board.w_mm, board.h_mm, pw, ph, overlap, ts.printer_margin, ts.mark_space, ts.label_band)


TILE_TEXTS = ("title", "tile", "row", "column", "glue", "strip", "full_size")


def read_tile_texts(content: Content) -> tuple[dict[str, str], list[str]]:
    content.mapping("tiles", allowed=TILE_TEXTS + ("steps",))
    return {k: content.text("tiles", k) for k in TILE_TEXTS}, content.texts("tiles", "steps")


class _Tiles:
    """The tiles PDF: an assembly map, then one sheet per tile."""

    def __init__(self, ctx: Context, board: Board, texts: tuple[dict[str, str], list[str]], plan: TilePlan,
                 ts: TileStyle, paper: str):
        self.ctx, self.board, self.plan, self.ts, self.paper = ctx, board, plan, ts, paper
        self.ink = board.colours["ink"]
        self.t, self.steps = texts
        self.crosses = self._cross_points()

    def _cross_points(self) -> list[tuple[float, float]]:
        """Points on the seams (mm, board coordinates) where both tiles print an alignment cross."""
        points = set()
        for under, over, strip in seams(self.plan):
            if under.glue_right and over.col == under.col + 1:
                x = over.cell.x0
                ys = (over.cell.y0, (over.cell.y0 + over.cell.y1) / 2, over.cell.y1)
                points.update((x, y) for y in ys if 0 < y < self.plan.board_h)
            if under.glue_below and over.row == under.row + 1:
                y = over.cell.y1
                xs = (over.cell.x0, (over.cell.x0 + over.cell.x1) / 2, over.cell.x1)
                points.update((x, y) for x in xs if 0 < x < self.plan.board_w)
        return sorted(points)

    def write(self) -> bytes:
        plan = self.plan
        buf = io.BytesIO()
        c = new_canvas(buf, (plan.sheet_w * mm, plan.sheet_h * mm), self.ctx.family, self.ctx.kit.game.title,
                       "board tiles", "none")  # single-sided, at 100 %
        name = _board_form(c, self.board)
        self.board.words = False  # the map's small board shows the shapes, no text (it would print below 7 pt)
        try:
            plain = _board_form(c, self.board, "board_map")
        finally:
            self.board.words = True
        self._map_page(c, plain)
        c.showPage()
        for tile in plan.tiles:
            self._tile_page(c, name, tile)
            c.showPage()
        c.save()
        return buf.getvalue()

    # the first page: how the sheets go together
    def _map_page(self, c: Canvas, form: str) -> None:
        plan, ts = self.plan, self.ts
        m = (plan.printer_margin + 5) * mm
        W, H = plan.sheet_w * mm, plan.sheet_h * mm
        style = TextStyle(self.ctx.family, self.ink.hex(), self.board.colours["route"].hex(), 1.25, "left",
                          hyphenate=False, lang=self.ctx.kit.game.language)
        title = fit((Item("t", None, text=self.t["title"]),), replace(style, bold=True), W - 2 * m, 1e6,
                    ts.map_text * 1.5, ts.map_text * 1.5)
        y = self.board._draw_fitted(c, title, m, H - m, words=True)
        items = tuple(Item(f"s{i}", None, text=f"**{i + 1}.** {s}") for i, s in enumerate(self.steps))
        steps = fit(items, style, W - 2 * m, H * 0.3, ts.map_text, min(ts.map_text, 8))
        y = self.board._draw_fitted(c, steps, m, y - 3 * mm, words=True)
        # the map: the board, small, with its cells
        foot = ts.map_text * 2.2
        avail_w, avail_h = W - 2 * m, y - 6 * mm - m - foot
        k = min(avail_w / self.board.W, avail_h / self.board.H)
        ox = m + (avail_w - self.board.W * k) / 2
        oy = m + foot + (avail_h - self.board.H * k) / 2
        c.saveState()
        c.translate(ox, oy)
        c.scale(k, k)
        p = c.beginPath()
        p.rect(0, 0, self.board.W, self.board.H)
        c.clipPath(p, stroke=0, fill=0)
        c.doForm(form)
        c.restoreState()
        c.setFillColorRGB(1, 1, 1)
        c.setFillAlpha(0.35)
        c.rect(ox, oy, self.board.W * k, self.board.H * k, stroke=0, fill=1)
        c.setFillAlpha(1)
        s = k * mm  # board mm to map points
        c.setStrokeColorRGB(0.1, 0.1, 0.1)
        c.setLineWidth(1.2)
        for tile in plan.tiles:
            cell = tile.cell
            c.rect(ox + cell.x0 * s, oy + cell.y0 * s, cell.w * s, cell.h * s, stroke=1, fill=0)
        size = max(10.0, min(28.0, min(plan.tiles[0].cell.w, plan.tiles[0].cell.h) * s * 0.22))
        for tile in plan.tiles:
            cell = tile.cell
            x, yc = ox + (cell.x0 + cell.w / 2) * s, oy + (cell.y0 + cell.h / 2) * s
            w = _width(tile.code, self.board.bold, size) + size * 0.8
            c.setFillColorRGB(1, 1, 1)
            c.roundRect(x - w / 2, yc - size * 0.75, w, size * 1.5, size * 0.25, stroke=0, fill=1)
            c.setFillColorRGB(0.1, 0.1, 0.1)
            c.setFont(self.board.bold, size)
            asc, desc = _ascent_descent(self.board.bold, size)
            c.drawCentredString(x, yc - (asc + desc) / 2, tile.code)
        # the glue strips, shaded on the map too
        set_fill(c, self.ink)
        c.setFillAlpha(0.25)
        for tile in plan.tiles:
            for strip in self._strips(tile):
                c.rect(ox + strip.x0 * s, oy + strip.y0 * s, strip.w * s, strip.h * s, stroke=0, fill=1)
        c.setFillAlpha(1)
        foot_text = (f"{self.board.size.upper()} · {plan.cols * plan.rows} × {self.paper.upper()} · "
                     f"{self.t['strip']} {plan.overlap:g} mm · {self.t['full_size']}")
        set_fill(c, self.ink)
        c.setFont(self.board.regular, ts.map_text)
        c.drawCentredString(W / 2, m, foot_text)

    def _strips(self, tile) -> list[Rect]:
        """The glue strips of ``tile`` in board mm (the corner counts with the right strip)."""
        strips = []
        if tile.glue_right:
            strips.append(Rect(tile.cell.x1, tile.shown.y0, tile.shown.x1, tile.shown.y1))
        if tile.glue_below:
            strips.append(Rect(tile.shown.x0, tile.shown.y0, tile.cell.x1, tile.cell.y0))
        return strips

    def _tile_page(self, c: Canvas, form: str, tile) -> None:
        plan, ts = self.plan, self.ts
        sx, sy = tile.origin
        pic = tile.on_sheet
        # the board, clipped to what this tile prints
        c.saveState()
        p = c.beginPath()
        p.rect(pic.x0 * mm, pic.y0 * mm, pic.w * mm, pic.h * mm)
        c.clipPath(p, stroke=0, fill=0)
        c.translate((sx - tile.shown.x0) * mm, (sy - tile.shown.y0) * mm)
        c.doForm(form)
        c.restoreState()

        def at(x: float, y: float) -> tuple[float, float]:
            px, py = tile.to_sheet(x, y)
            return px * mm, py * mm

        # glue strips: plain grey (the next sheet covers them), the seam dashed, 'plak hier' written along them
        grey = strip_grey(ts.shade)
        for strip in self._strips(tile):
            x0, y0 = at(strip.x0, strip.y0)
            c.setFillColorRGB(grey, grey, grey)
            c.rect(x0, y0, strip.w * mm, strip.h * mm, stroke=0, fill=1)
        c.setStrokeColorRGB(0.15, 0.15, 0.15)
        c.setLineWidth(0.7)
        c.setDash(3, 2)
        if tile.glue_right:
            c.line(*at(tile.cell.x1, tile.shown.y0), *at(tile.cell.x1, tile.shown.y1))
        if tile.glue_below:
            c.line(*at(tile.shown.x0, tile.cell.y0), *at(tile.shown.x1, tile.cell.y0))
        c.setDash()
        size = min(ts.label_size, plan.overlap * mm * 0.55)
        if size >= 4:
            c.setFillColorRGB(0.1, 0.1, 0.1)
            c.setFont(self.board.bold, size)
            asc, desc = _ascent_descent(self.board.bold, size)
            if tile.glue_right:
                other = tile_code(tile.row, tile.col + 1)
                text = f"{self.t['glue']} {other}"
                x = (tile.cell.x1 + plan.overlap / 2) * mm
                self._repeat(c, text, size, at(tile.cell.x1 + plan.overlap / 2, tile.cell.y0)[0],
                             at(0, tile.cell.y0)[1], at(0, tile.cell.y1)[1], vertical=True, shift=(asc + desc) / 2)
            if tile.glue_below:
                other = tile_code(tile.row + 1, tile.col)
                text = f"{self.t['glue']} {other}"
                y = at(0, tile.cell.y0 - plan.overlap / 2)[1] - (asc + desc) / 2
                self._repeat(c, text, size, y, at(tile.cell.x0, 0)[0], at(tile.cell.x1, 0)[0], vertical=False)
        # alignment crosses on the seams; half of the cross on a cut edge is cut away
        c.saveState()
        p = c.beginPath()
        p.rect(pic.x0 * mm, pic.y0 * mm, pic.w * mm, pic.h * mm)
        c.clipPath(p, stroke=0, fill=0)
        arm = ts.cross * mm
        for x, y in self.crosses:
            if tile.shown.x0 - 1e-6 <= x <= tile.shown.x1 + 1e-6 and tile.shown.y0 - 1e-6 <= y <= tile.shown.y1 + 1e-6:
                px, py = at(x, y)
                c.setStrokeColorRGB(1, 1, 1)
                c.setLineWidth(1.6)
                c.line(px - arm, py, px + arm, py)
                c.line(px, py - arm, px, py + arm)
                c.setStrokeColorRGB(0, 0, 0)
                c.setLineWidth(0.5)
                c.line(px - arm, py, px + arm, py)
                c.line(px, py - arm, px, py + arm)
                c.circle(px, py, arm * 0.45, stroke=1, fill=0)
        c.restoreState()
        # cut marks: on the left and top edge always, on the right and bottom where there is no strip
        self._cut_marks(c, pic, left=True, top=True, right=not tile.glue_right, bottom=not tile.glue_below)
        # the label in the foot of the sheet
        band = plan.label_area
        set_fill(c, self.ink)
        c.setFont(self.board.bold, ts.label_size)
        letter = tile.code.rstrip("0123456789")
        text = f"{self.t['tile']} {tile.code}"
        y = band.y0 * mm + (band.h * mm - ts.label_size * 0.7) / 2
        c.drawString(band.x0 * mm, y, text)
        x = band.x0 * mm + _width(text, self.board.bold, ts.label_size) + 3 * mm
        c.setFont(self.board.regular, ts.label_size)
        rest = (f"{self.t['row']} {letter}, {self.t['column']} {tile.col + 1} · {self.ctx.kit.game.title} · "
                f"{self.board.size.upper()} · {self.t['full_size']}")
        c.drawString(x, y, rest)
        self._locator(c, tile, band)

    def _repeat(self, c: Canvas, text: str, size: float, fixed: float, a: float, b: float, vertical: bool,
                shift: float = 0.0) -> None:
        """``text`` along a strip from a to b (points), as often as it fits with room between."""
        width = _width(text, self.board.bold, size)
        step = width + 25 * mm
        count = max(1, int((abs(b - a) - width) // step) + 1) if abs(b - a) > width else 0
        if count == 0:
            return
        used = width + (count - 1) * step
        start = min(a, b) + (abs(b - a) - used) / 2 + width / 2
        for k in range(count):
            centre = start + k * step
            if vertical:
                c.saveState()
                c.translate(fixed, centre)
                c.rotate(90)
                c.drawCentredString(0, -shift, text)
                c.restoreState()
            else:
                c.drawCentredString(centre, fixed, text)

    def _cut_marks(self, c: Canvas, pic: Rect, left: bool, top: bool, right: bool, bottom: bool) -> None:
        gap, length = 1 * mm, (self.ts.mark_space - 1.5) * mm
        x0, y0, x1, y1 = pic.x0 * mm, pic.y0 * mm, pic.x1 * mm, pic.y1 * mm
        c.setStrokeColorRGB(0, 0, 0)
        c.setLineWidth(0.5)
        if left:
            c.line(x0, y1 + gap, x0, y1 + gap + length)
            c.line(x0, y0 - gap, x0, y0 - gap - length)
        if right:
            c.line(x1, y1 + gap, x1, y1 + gap + length)
            c.line(x1, y0 - gap, x1, y0 - gap - length)
        if top:
            c.line(x0 - gap, y1, x0 - gap - length, y1)
            c.line(x1 + gap, y1, x1 + gap + length, y1)
        if bottom:
            c.line(x0 - gap, y0, x0 - gap - length, y0)
            c.line(x1 + gap, y0, x1 + gap + length, y0)

    def _locator(self, c: Canvas, tile, band: Rect) -> None:
        """A small grid at the right of the label band with this tile filled in."""
        plan = self.plan
        h = band.h * mm * 0.7
        cell = h / plan.rows
        cw = cell * 1.4
        x0 = band.x1 * mm - cw * plan.cols
        y0 = band.y0 * mm + (band.h * mm - h) / 2
        c.setLineWidth(0.4)
        c.setStrokeColorRGB(0.2, 0.2, 0.2)
        for r in range(plan.rows):
            for col in range(plan.cols):
                here = (r, col) == (tile.row, tile.col)
                if here:
                    set_fill(c, self.board.colours["route"])
                else:
                    c.setFillColorRGB(1, 1, 1)
                c.rect(x0 + col * cw, y0 + (plan.rows - 1 - r) * cell, cw, cell, stroke=1, fill=1)


# -- the product -----------------------------------------------------------------------------


def prepare_board(ctx: Context, cards: list[ResolvedCard], size: str, out: Collector):
    """Read and lay out the board; returns (board or None, content, style); problems go to ``out``."""
    content = Content(ctx, out)
    style = Style(ctx, out)
    board = None
    if content.data is not None and style.loc is not None:
        board = Board(ctx, content, style, cards, size, out)
    return (None if out.diagnostics else board), content, style


def _board_product(job: Job) -> None:
    """board-poster, board-tiles and both worksheets; every problem of any of them is reported at once."""
    from kaartenoptafel.products import worksheets

    ctx, opts = job.ctx, job.options
    out = Collector()
    board, content, style = prepare_board(ctx, job.cards, opts.board_size, out)
    ts = read_tile_style(style)
    texts = read_tile_texts(content)
    plan = None
    if board is not None:
        try:
            plan = tile_plan(board, opts.paper, opts.overlap, ts)
        except ValueError as exc:
            out.error(style.pos("tiles"), f"cannot tile the board: {exc}")
    sheets = worksheets.make_worksheets(ctx, content, style, board, job.cards, opts.paper, out)
    if out.diagnostics or board is None or plan is None:
        job.out.extend(out.diagnostics)
        return
    size, paper = opts.board_size, opts.paper
    poster = job.stage / f"board-poster-{size}.pdf"
    from kaartenoptafel.write import printshop

    data, about = printshop.finish(ctx, job.cards, write_poster(ctx, board), poster.name, job.out)  # CMYK PDF/X-4
    if data is None:
        return
    write_bytes_atomic(poster, data)
    job.products.append(Product("board-poster", poster.name, 1,
                                f"{size.upper()} ({board.w_mm:g}x{board.h_mm:g}mm)+{board.bleed:g}mm bleed",
                                {"board_size": size, "trim_mm": [board.w_mm, board.h_mm], "bleed_mm": board.bleed,
                                 **about}))
    job.progress.advance(1, "board poster")
    tiles = job.stage / f"board-tiles-{size}-{paper}.pdf"
    write_bytes_atomic(tiles, _Tiles(ctx, board, texts, plan, ts, paper).write())
    job.products.append(Product("board-tiles", tiles.name, 1 + len(plan.tiles), worksheets.paper_name(paper),
                                {"board_size": size, "overlap_mm": plan.overlap, "cols": plan.cols, "rows": plan.rows,
                                 "orientation": "landscape" if plan.landscape else "portrait"}))
    for kind, data, pages in sheets:
        path = job.stage / f"{kind}-{paper}.pdf"
        write_bytes_atomic(path, data)
        job.products.append(Product(kind, path.name, pages, worksheets.paper_name(paper)))
    job.progress.advance(1, "board tiles, worksheets")


def _check_board(ctx: Context, cards: list[ResolvedCard], out: Collector) -> None:
    """What `kot build` would find (`kot validate`): the board, its tiles on A4 and both worksheets."""
    from kaartenoptafel.build import BuildOptions
    from kaartenoptafel.products import worksheets

    board, content, style = prepare_board(ctx, cards, "a3", out)
    ts = read_tile_style(style)
    read_tile_texts(content)
    if board is not None:
        try:
            tile_plan(board, "a4", BuildOptions.overlap, ts)
        except ValueError as exc:
            out.error(style.pos("tiles"), f"cannot tile the board: {exc}")
    worksheets.make_worksheets(ctx, content, style, board, cards, "a4", out)


register_product("board", _board_product)
register_check("board", _check_board)
