"""The board's geometry: rings, sectors with their partners, the route's card outlines and arrows, the title and
the legend, laid out for one board size in points and checked (every mistake a located error).

Lengths in layouts/board.yaml are millimetres on an A3 board (:data:`REFERENCE`); a larger board scales them,
except the card outlines, which keep the cards' size. Drawing is :mod:`kaartenoptafel.render.board`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from reportlab.lib.units import mm

from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.impose.tiles import Rect
from kaartenoptafel.layout.boardstyle import BoardStyle, Style
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.spec import Colour
from kaartenoptafel.layout.text import Fitted, Item, Overflow, TextStyle, fit
from kaartenoptafel.load.board import BoardTexts, Content
from kaartenoptafel.load.yamlfile import read_yaml
from kaartenoptafel.render.ink import ascent_descent, text_width
from kaartenoptafel.resolve import ResolvedCard

BOARD_SIZES = {"a3": (420.0, 297.0), "a2": (594.0, 420.0), "a1": (841.0, 594.0)}  # ISO 216, landscape
REFERENCE = "a3"  # the size layouts/board.yaml is written for


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


class Board:
    """The board for one size, laid out and checked; :mod:`kaartenoptafel.render.board` draws it."""

    def __init__(self, ctx: Context, content: Content, style: Style, look: BoardStyle, texts: BoardTexts,
                 cards: list[ResolvedCard], size: str, out: Collector):
        self.ctx, self.content, self.style, self.out = ctx, content, style, out
        self.look, self.texts = look, texts
        self.size = size
        ref_w, ref_h = BOARD_SIZES[REFERENCE]
        w_mm, h_mm = BOARD_SIZES[size]
        self.w_mm, self.h_mm = w_mm, h_mm
        self.W, self.H = w_mm * mm, h_mm * mm
        self.scale = min(w_mm / ref_w, h_mm / ref_h)
        self.ref = (ref_w, ref_h)
        family = ctx.family
        self.regular, self.bold = family.regular, family.bold
        self.laid_out = False  # True once every part has its place (not after a reading error)
        self.stall = None  # the place where the route stalls: layout/stall.py, once the rest is laid out
        # partners per group, in card order
        self.partners: dict[str, list[ResolvedCard]] = {g: [] for g in ctx.kit.game.groups}
        for card in cards:
            if card.type == self.texts.partner_type and card.raw.get(self.texts.group_field) in self.partners:
                self.partners[card.raw[self.texts.group_field]].append(card)
        self._lay_out()

    # scaling: reference millimetres (x, y from the top-left) to board points (y up)
    def L(self, v: float) -> float:
        return v * self.scale * mm

    def P(self, x: float, y: float) -> tuple[float, float]:
        ref_w, ref_h = self.ref
        return self.W / 2 + (x - ref_w / 2) * self.scale * mm, self.H / 2 + (ref_h / 2 - y) * self.scale * mm

    def pt(self, size: float) -> float:
        return size * self.scale

    # -- layout ---------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        if self.out.diagnostics:
            return
        self.cx, self.cy = self.P(*self.look.centre_ref)
        R = {k: self.L(v) for k, v in self.look.radii.items()}
        self.R = R
        self._check_inside(self.look.centre_ref, self.look.radii["world"], ("board", "rings", "world"))
        groups = self.ctx.kit.game.groups
        table = self.ctx.spec.tables.get("groups", {})
        n = max(len(groups), 1)
        step = 360.0 / n
        self.sectors = []
        for i, (gid, name) in enumerate(groups.items()):
            start = self.look.sector_start - i * step
            sector = Sector(gid, name, table.get(gid, self.look.colours["fallback"]), start, start - step)
            self._sector_text(sector)
            self.sectors.append(sector)
        self._ring_labels()
        self._slots()
        self._boxes()
        self.laid_out = True

    def _check_inside(self, centre, radius, key) -> None:
        x, y = centre
        m = self.look.margin
        ref_w, ref_h = self.ref
        if x - radius < m - 1e-6 or y - radius < m - 1e-6 or x + radius > ref_w - m + 1e-6 or y + radius > ref_h - m + 1e-6:
            self.out.error(self.style.pos(*key), f"the board's rings (radius {radius:g} mm round "
                                                 f"[{x:g}, {y:g}]) reach into the {m:g} mm margin")

    def _avail(self, inner: float, outer: float, half: float, r_max: float) -> float:
        """The widest straight line (points) that fits a sector between ``inner`` and ``outer`` from the centre."""
        pad = self.L(self.look.padding)
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
        asc, desc = ascent_descent(font, size)
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
                if text_width(joined(*candidate(take + 1)), font, size) > width:
                    break
                take += 1
            part, after = candidate(take)
            if text_width(joined(part, after), font, size) > width:
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
        half = (sector.start - sector.end) / 2 - math.degrees(self.L(self.look.gap) / 2 / max(self.R["library"], 1))
        pad = self.L(self.look.padding)
        r_top = self.R["sectors"] - self.L(self.look.band) - pad
        r_min = self.R["library"] + self.L(self.look.gap) / 2 + pad
        r_max = self.R["sectors"] - self.L(self.look.band)
        flip = sector.flipped
        names = [str(card.values.get(self.texts.name_field, card.title)) for card in self.partners.get(sector.group, [])]
        words = [(w, " ") for w in sector.name.split()]
        best = None
        size = self.pt(self.look.sizes["sector"])
        while size >= self.pt(self.look.min_text) - 1e-6 and best is None:
            start = r_top
            while start > r_min and best is None:  # a long word may need the wider middle of the sector
                best = self._place(words, self.bold, size, sector.colour, start, r_min, half, r_max, flip)
                start -= 1.0
            size -= 0.5
        if best is None:
            self.out.error(self._group_pos(sector.group),
                           f"role group '{sector.name}' does not fit its sector on the board, even at "
                           f"{self.look.min_text:g} pt; shorten its name or use fewer groups")
            return
        head_lines, r_after_head = best
        psize = self.pt(self.look.sizes["partner"])
        chosen: list[TextLine] = []
        by_length = sorted(range(len(names)), key=lambda k: (len(names[k]), k))
        for keep in range(len(names), -1, -1):  # as many partners as fit (the shortest names), then "en nog 2"
            picked = sorted(by_length[:keep])
            shown = [names[k] for k in picked] + ([f"{self.texts.more} {len(names) - keep}"] if keep < len(names) else [])
            if not shown:
                break
            placed = self._place([(t, " · ") for t in shown], self.regular, psize, self.look.colours["ink"],
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
            if all(text_width(l.text, l.font, l.size) <= self._avail(l.outer - l.height, l.outer, half, r_max)
                   for l in shifted):
                lines = shifted
        sector.lines = lines

    def _group_pos(self, gid: str) -> Pos:
        doc, _ = read_yaml(self.ctx.kit.root / "cards" / "game.yaml", self.ctx.kit.root)
        return doc.pos("groups", gid) if doc is not None else Pos("cards/game.yaml")

    def _ring_labels(self) -> None:
        """Check the curved labels of the library ring and the outer ring fit their arcs; pick their sizes."""
        size = self.pt(self.look.sizes["ring"])
        r_lib = (self.R["persona"] + self.R["library"]) / 2
        arc = 2 * math.pi * r_lib / self.look.library_repeat * 0.85
        self.library_size = self._fit_arc(self.texts.library_text, self.bold, size, arc, self.content.pos("library"))
        self.world_parts = []
        n = max(len(self.texts.world), 1)
        r_world = (self.R["sectors"] + self.R["world"]) / 2
        for i, text in enumerate(self.texts.world):
            start = self.look.world_start - i * 360.0 / n
            arc = 2 * math.pi * r_world / n - 2 * self.L(self.look.padding) - self.L(self.look.gap)
            fitted = self._fit_arc(text, self.bold, size, arc, self.content.pos("world", i))
            self.world_parts.append((text, start, start - 360.0 / n, fitted))
        band = self.R["world"] - self.R["sectors"] - self.L(self.look.gap)
        asc, desc = ascent_descent(self.bold, size)
        if asc - desc > band - self.L(self.look.padding):
            self.out.error(self.style.pos("board", "rings", "world"),
                           f"the outer ring is too narrow for its {self.look.sizes['ring']:g} pt labels; make it wider")

    def _fit_arc(self, text: str, font: str, size: float, arc: float, pos: Pos) -> float:
        while size >= self.pt(self.look.min_text) - 1e-6:
            if text_width(text, font, size) <= arc:
                return size
            size -= 0.5
        self.out.error(pos, f"'{text}' is too long for its ring on the board, even at {self.look.min_text:g} pt; shorten it")
        return size

    def _text_style(self, colour: Colour, bold: bool = False, align: str = "center") -> TextStyle:
        return TextStyle(self.ctx.family, colour.hex(), colour.hex(), 1.15, align, bold, hyphenate=False,
                         lang=self.ctx.kit.game.language)

    def fit_text(self, text: str, colour: Colour, width: float, height: float, size: float, pos: Pos, what: str,
                 bold: bool = False, align: str = "center", scaled: bool = True) -> Fitted | None:
        """Fit ``text`` at ``size`` (shrinking to min_text); unscaled inside card outlines, which keep their size."""
        k = self.scale if scaled else 1.0
        try:
            return fit((Item("t", None, text=text),), self._text_style(colour, bold, align), width, height,
                       size * k, self.look.min_text * k)
        except Overflow as over:
            self.out.error(pos, f"{what} does not fit on the board: it runs {over.overflow_pt / mm:.1f} mm past its "
                                f"space even at {self.look.min_text:g} pt; shorten it")
            return None

    def _slots(self) -> None:
        spec = self.ctx.spec
        cw, ch = spec.width * mm, spec.height * mm
        ink = self.look.colours["ink"]
        # the persona card lies in the centre circle
        half_diag = math.hypot(cw, ch) / 2
        if half_diag > self.R["persona"] - self.L(self.look.gap):
            need = (half_diag / mm + self.look.gap) / self.scale
            self.out.error(self.style.pos("board", "rings", "persona"),
                           f"the situation card ({spec.width:g} x {spec.height:g} mm) does not fit in the centre circle "
                           f"of a {self.size.upper()} board; make rings.persona at least {math.ceil(need)} mm "
                           "(or choose a larger board)")
        text = f"**{self.texts.centre_heading}**\n{self.texts.centre_text}"
        pad = self.look.padding * mm  # inside a card outline nothing scales
        fitted = self.fit_text(text, ink, cw - 2 * pad, ch - 2 * pad, self.look.sizes["slot"], self.content.pos("centre"),
                           "the centre text", scaled=False)
        self.persona = Slot(self.cx - cw / 2, self.cy - ch / 2, cw, ch, fitted)
        # the route steps in the corners
        self.steps: list[Step] = []
        rects = []
        for i, ((name, hint), centre) in enumerate(zip(self.texts.route, self.look.slot_ref)):
            x, y = self.P(*centre)
            slot_fit = self.fit_text(hint, ink, cw - 2 * pad, ch - 2 * pad, self.look.sizes["slot"],
                                 self.content.pos("route", i, "text"), f"route step {i + 1}'s text", scaled=False)
            slot = Slot(x - cw / 2, y - ch / 2, cw, ch, slot_fit)
            header = self.L(self.look.header)
            size = self.pt(self.look.sizes["step"])
            disc = header * 0.78
            header_w = max(cw, self.L(spec.width))  # on a larger board the header grows, the card does not
            while size > self.pt(self.look.min_text) and disc + header * 0.25 + text_width(name, self.bold, size) > header_w:
                size -= 0.5
            if disc + header * 0.25 + text_width(name, self.bold, size) > header_w + 1e-6:
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
            self.check_rect(rect, ("board", "route", "slots", i), f"route step {i + 1}'s card outline")

    def check_rect(self, rect: Rect, key: tuple, what: str) -> None:
        m = self.L(self.look.margin)
        if rect.x0 < m - 0.01 or rect.y0 < m - 0.01 or rect.x1 > self.W - m + 0.01 or rect.y1 > self.H - m + 0.01:
            self.out.error(self.style.pos(*key), f"{what} reaches into the {self.look.margin:g} mm margin of a "
                                                 f"{self.size.upper()} board; move it")
        # it must stay clear of the outer ring and of the route arrows
        def distance(px: float, py: float) -> float:
            return math.hypot(px - min(max(px, rect.x0), rect.x1), py - min(max(py, rect.y0), rect.y1))

        gap = self.L(self.look.gap)
        if distance(self.cx, self.cy) < self.R["world"] + gap:
            self.out.error(self.style.pos(*key), f"{what} overlaps the rings on a {self.size.upper()} board; "
                                                 "move it further out")
            return
        radius, half = self.L(self.look.arrow_radius), self.L(self.look.arrow_width) * 1.8
        for start, end in self.arrows:
            steps = max(2, int(abs(start - end)))
            for k in range(steps + 1):
                a = math.radians(start + (end - start) * k / steps)
                if distance(self.cx + radius * math.cos(a), self.cy + radius * math.sin(a)) < half + gap:
                    self.out.error(self.style.pos(*key), f"{what} overlaps a route arrow on a "
                                                         f"{self.size.upper()} board; move it")
                    return

    def _boxes(self) -> None:
        ink = self.look.colours["ink"]
        # title and subtitle
        x, y, w, h = self.look.title_at
        x0, y1 = self.P(x, y)
        self.title_box = Rect(x0, y1 - self.L(h), x0 + self.L(w), y1)
        self.check_rect(self.title_box, ("board", "title", "at"), "the title box")
        title = self.fit_text(self.ctx.kit.game.title, ink, self.L(w), self.L(h) * 0.55, self.look.sizes["title"],
                          self.style.pos("board", "title"), "the game's title", bold=True, align="left")
        sub = None
        if title is not None:
            sub = self.fit_text(self.texts.subtitle, ink, self.L(w), self.L(h) - title.height - self.L(3), self.look.sizes["subtitle"],
                            self.content.pos("subtitle"), "the subtitle", align="left")
        self.title_fits = (title, sub)
        # legend: a swatch and a line of text per part
        x, y, w, h = self.look.legend_at
        x0, y1 = self.P(x, y)
        self.legend_box = Rect(x0, y1 - self.L(h), x0 + self.L(w), y1)
        self.check_rect(self.legend_box, ("board", "legend", "at"), "the legend")
        swatch = self.L(6)
        size = self.pt(self.look.sizes["legend"])
        self.legend_fits: list[tuple[str, Fitted]] = []
        while True:
            style = self._text_style(ink, align="left")
            head = fit((Item("t", None, text=self.texts.legend_title),), replace(style, bold=True), self.L(w), 1e6, size, size)
            items = [(k, fit((Item("t", None, text=t),), style, self.L(w) - swatch * 1.5, 1e6, size, size))
                     for k, t in self.texts.legend]
            total = head.height + sum(f.height + size * 0.45 for _, f in items) + size * 0.3
            if total <= self.L(h) or size <= self.pt(self.look.min_text):
                break
            size -= 0.5
        if total > self.L(h) + 0.01:
            self.out.error(self.content.pos("legend"), f"the legend does not fit its box on the board, even at "
                                                       f"{self.look.min_text:g} pt; shorten it")
        self.legend_head, self.legend_fits, self.legend_size = head, items, size
