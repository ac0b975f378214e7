"""The card deck, for home printing (sheets with duplex backs) and for the print shop (one card per page).

Cards are laid out and drawn one sheet at a time and then dropped, so memory stays flat however large
the deck; the back of a type without ``back_frames`` is drawn once per PDF as a form and reused,
a type with ``back_frames`` gets each card's own back, laid out with its front.
"""

from __future__ import annotations

import io
from contextlib import ExitStack
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.errors import Collector, ContentError, Diagnostic
from kaartenoptafel.impose.grid import MARK_ROOM, PRINTER_MARGIN, Grid, GridError, make_grid
from kaartenoptafel.impose.marks import crop_marks, cut_marks
from kaartenoptafel.layout.back import has_card_backs, layout_card_back, type_back
from kaartenoptafel.layout.card import CardLayout, Context, layout_card
from kaartenoptafel.products.labels import label
from kaartenoptafel.render.card import draw_card
from kaartenoptafel.render.dieline import die_line
from kaartenoptafel.render.pdf import compress_last_page, new_canvas
from kaartenoptafel.render.replay import adopt, portable, replay
from kaartenoptafel.resolve import ResolvedCard

PRINTSHOP_MARK_SPACE = 8 * mm  # room outside the bleed for the crop marks
CAPTION_SIZE = 6.5  # points: the sheet caption
CAPTION_BASE = PRINTER_MARGIN * mm + 0.6 * mm  # its baseline: descenders stay inside the printable area
CAPTION_INK = CAPTION_BASE + 1.75 * mm  # the top of its tallest letters
CAPTION_TOP = CAPTION_BASE + 2.3 * mm  # what the caption needs, with a little air: marks and colour stop here
BACK_BLEED_MAX = 4 * mm  # the backs' colour runs at most this far past the outer cards
BACK_OVERLAP = 0.3 * mm  # neighbouring backs (one type, one colour) overlap this much in the gutter: no hairline


@dataclass(frozen=True)
class DeckResult:
    pages: int
    paper: str


class Faces:
    """Fronts and backs for one PDF: each distinct card laid out once per sheet, each back once per PDF."""

    def __init__(self, ctx: Context, c: Canvas, bleed: float, out: Collector):
        self.ctx, self.c, self.bleed, self.out = ctx, c, bleed, out
        self.back_forms: dict[str, str] = {}

    def front(self, card: ResolvedCard) -> CardLayout | None:
        return layout_card(self.ctx, card, self.out)

    def draw_back(self, card: ResolvedCard, lay: CardLayout | None = None, sides=None) -> None:
        """Draw ``card``'s back at the origin: its own back (``lay``, from :meth:`back`) or its type's form.

        ``sides`` (left, bottom, right, top points, each at most the form's bleed): how far the back's colour
        runs past each cut here; None: the form's bleed all round.
        """
        if lay is None and has_card_backs(self.ctx, card.type):
            return  # its back could not be laid out (already reported)
        if sides is not None:  # clipped here, drawn alike everywhere: a back seen before is replayed, not redrawn
            spec = self.ctx.spec_of(card.type)
            w, h = spec.width * mm, spec.height * mm
            bl, bb, br, bt = sides
            self.c.saveState()
            path = self.c.beginPath()
            path.rect(-bl, -bb, w + bl + br, h + bb + bt)
            self.c.clipPath(path, stroke=0, fill=0)
        if lay is not None:
            draw_card(self.c, lay, self.bleed)
        else:
            self.c.doForm(self.back_form(card.type))
        if sides is not None:
            self.c.restoreState()

    def back(self, card: ResolvedCard) -> CardLayout | None:
        """The card's own back when its type has ``back_frames``, else None (the type's form serves)."""
        if not has_card_backs(self.ctx, card.type):
            return None
        return layout_card_back(self.ctx, card, self.out)

    def back_form(self, type_id: str) -> str:
        """The name of the form holding this type's back, drawn into the PDF on first use."""
        if type_id not in self.back_forms:
            name = f"back_{type_id}_{len(self.back_forms)}"
            lay = type_back(self.ctx, self.ctx.kit.types[type_id])
            b = self.bleed
            self.c.beginForm(name, -b, -b, lay.width + b, lay.height + b)
            draw_card(self.c, lay, b)
            self.c.endForm()
            self.back_forms[type_id] = name
        return self.back_forms[type_id]


def _caption(c: Canvas, ctx: Context, grid: Grid, text: str, dx: float = 0.0) -> None:
    """A small caption in the bottom margin, below the cut marks (they stop above it), inside the printable area."""
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.setFont(ctx.family.regular, CAPTION_SIZE)
    if grid.y0 - grid.bleed_y - 0.05 * mm < CAPTION_INK:  # no room below the cards: skip, never overlap
        return
    c.drawString(grid.x0 + 2 * mm + dx, CAPTION_BASE, text[:150])


def type_sheets(cards: list[ResolvedCard], per_sheet) -> list[list[ResolvedCard]]:
    """The cards (in print order) cut into sheets: each type starts on a new sheet, so every stack is one type.

    ``per_sheet``: cards per sheet, or a mapping type id -> cards per sheet (types of another size).
    """
    sheets: list[list[ResolvedCard]] = []
    for card in cards:
        full = per_sheet[card.type] if isinstance(per_sheet, dict) else per_sheet
        if not sheets or len(sheets[-1]) == full or sheets[-1][0].type != card.type:
            sheets.append([])
        sheets[-1].append(card)
    return sheets


def round_guides(c: Canvas, grid: Grid, n: int) -> None:
    """A thin light-grey circle on the cut of each of the first ``n`` round tokens of a sheet."""
    c.setStrokeColorRGB(0.8, 0.8, 0.8)  # light grey: seen on dark and on light tokens
    c.setLineWidth(0.5)
    r = min(grid.card_w, grid.card_h) / 2
    for i in range(n):
        x, y = grid.origin(*grid.cell(i))
        c.circle(x + grid.card_w / 2, y + grid.card_h / 2, r, stroke=1, fill=0)


def home_grid(ctx: Context, paper: str, gutter: float | None = None, type_id: str | None = None) -> Grid:
    """The home sheet's grid for the card size (or ``type_id``'s own size); a size that does not fit is a
    located error at the layout line that sets it."""
    spec = ctx.spec_of(type_id) if type_id else ctx.spec
    try:
        return make_grid(paper, spec.width, spec.height, gutter)
    except GridError as exc:
        raise ContentError([Diagnostic(spec.size_pos, str(exc))]) from None


def back_outer(grid: Grid) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) points the backs' colour runs past the outer cards of a home sheet.

    As far as the printable margin allows, up to BACK_BLEED_MAX: a printer that shifts the back side
    then still prints colour, not white, up to each card's cut. The backs carry no side marks (the
    cards are cut from the fronts); a top or bottom mark stays where there is room for it beside the colour.
    """
    if not (grid.gutter_x or grid.gutter_y):
        return (0.0, 0.0, 0.0, 0.0)  # the butted sheet: as before, backs stop at the cut
    safe = PRINTER_MARGIN * mm
    side = min(BACK_BLEED_MAX, max(grid.bleed_x, grid.x0 - safe))
    top_room = grid.paper_h - grid.y0 - grid.block_h - safe
    bottom_room = grid.y0 - CAPTION_TOP

    def vertical(room: float) -> float:
        if room - MARK_ROOM * mm >= 2 * mm:
            room -= MARK_ROOM * mm  # keep a mark
        return min(BACK_BLEED_MAX, max(grid.bleed_y, room))

    return (side, vertical(bottom_room), side, vertical(top_room))


def paper_name(paper: str) -> str:
    """The home paper as the manifest and the guide name it: A4, Letter."""
    return paper.upper() if paper == "a4" else paper.capitalize()


def printshop_paper(ctx: Context) -> str:
    """The print-shop deck's page as the manifest names it: the card and its bleed."""
    return f"{ctx.spec.width:g}x{ctx.spec.height:g}mm+{ctx.spec.bleed:g}mm bleed"


def home_sheets(ctx: Context, cards: list[ResolvedCard], paper: str, gutter: float | None = None) -> tuple[dict, list]:
    """(type id -> its grid, the cards cut into sheets) of a home deck: each size fills sheets of its own."""
    grids = {tid: home_grid(ctx, paper, gutter, tid) for tid in {card.type for card in cards}}
    return grids, type_sheets(cards, {tid: g.per_sheet for tid, g in grids.items()})


def home_pages(ctx: Context, cards: list[ResolvedCard], paper: str, duplex: str, gutter: float | None = None) -> int:
    """The pages :func:`write_home_deck` writes, by arithmetic: a fronts page per sheet, and a backs page when duplex."""
    return len(home_sheets(ctx, cards, paper, gutter)[1]) * (1 if duplex == "none" else 2)


def home_cells(grid: Grid, duplex: str, back_offset: tuple[float, float]) -> dict:
    """The trim rectangle [x, y, w, h] (mm from the page's bottom-left) of every slot of a full sheet.

    ``fronts[i]`` and ``backs[i]`` are the same card: its front, and where its back prints (offset included).
    """
    to_mm = 1 / mm

    def rect(x: float, y: float) -> list[float]:
        return [round(x * to_mm, 3), round(y * to_mm, 3), round(grid.card_w * to_mm, 3), round(grid.card_h * to_mm, 3)]

    fronts = [rect(*grid.origin(*grid.cell(i))) for i in range(grid.per_sheet)]
    backs = []
    if duplex != "none":
        for i in range(grid.per_sheet):
            x, y = grid.origin(*grid.back_cell(i, duplex))
            backs.append(rect(x + back_offset[0] * mm, y + back_offset[1] * mm))
    return {"fronts": fronts, "backs": backs}


def home_sheet_facts(ctx: Context, paper: str, duplex: str, back_offset: tuple[float, float],
                     gutter: float | None, cards: list[ResolvedCard] | None = None) -> dict:
    """What the manifest says about a home deck's sheets, so tools and tests can find every card (mm).

    ``sheets_by_type``: the first and last fronts sheet (1-based, as the captions count) of each type."""
    grid = home_grid(ctx, paper, gutter)
    to_mm = 1 / mm
    by_type: dict[str, list[int]] = {}
    if cards:
        per = {tid: home_grid(ctx, paper, gutter, tid).per_sheet for tid in {card.type for card in cards}}
        for n, chunk in enumerate(type_sheets(cards, per), 1):
            by_type.setdefault(chunk[0].type, [n, n])[1] = n
    return {
        "sheets_by_type": by_type,
        "card_mm": [ctx.spec.width, ctx.spec.height],
        "gutter_mm": [round(grid.gutter_x * to_mm, 3), round(grid.gutter_y * to_mm, 3)],
        "bleed_mm": [round(grid.bleed_x * to_mm, 3), round(grid.bleed_y * to_mm, 3)],
        "back_bleed_mm": [round(v * to_mm, 3) for v in back_outer(grid)],
        "cells_mm": home_cells(grid, duplex, back_offset),
        "sizes": component_sizes(ctx, paper, gutter),
    }


def component_sizes(ctx: Context, paper: str | None = None, gutter: float | None = None) -> list[dict]:
    """Each size the deck prints, with its shape, its types, the copies printed and (home) how many per sheet."""
    sizes: dict[tuple, dict] = {}
    printed: dict[str, int] = {}
    for card in ctx.kit.cards:
        printed[card.type] = printed.get(card.type, 0) + card.count
    for tid in ctx.kit.types:
        if tid not in printed:
            continue
        spec = ctx.spec_of(tid)
        key = (spec.width, spec.height, ctx.spec.shape(tid))
        entry = sizes.setdefault(key, {"size_mm": [spec.width, spec.height], "shape": key[2], "types": [], "copies": 0})
        entry["types"].append(tid)
        entry["copies"] += printed[tid]
        if paper:
            entry["per_sheet"] = home_grid(ctx, paper, gutter, tid).per_sheet
    return list(sizes.values())


PART_CARDS = 400  # cards (whole sheets) drawn per part of a long home deck: its memory, whatever the number of cards
SINGLE_CARDS = 1000  # up to this many cards a home deck is one document: it holds no more than a part and pikepdf


def home_parts(sheets: list[list[ResolvedCard]], part_cards: int | None = None) -> list[tuple[int, int]]:
    """The sheets cut into parts of at most ``part_cards`` cards (PART_CARDS), whole sheets each (a sheet's
    backs stay with its fronts), at least one sheet a part: [(first sheet, sheet after the last)]."""
    limit = PART_CARDS if part_cards is None else part_cards
    parts: list[tuple[int, int]] = []
    first, held = 0, 0
    for n, chunk in enumerate(sheets):
        if n > first and held + len(chunk) > limit:
            parts.append((first, n))
            first, held = n, 0
        held += len(chunk)
    parts.append((first, len(sheets)))
    return parts


def write_home_deck(ctx: Context, cards: list[ResolvedCard], target, paper: str, duplex: str,
                    back_offset: tuple[float, float], out: Collector, gutter: float | None = None) -> DeckResult:
    """Fronts sheet, then its backs sheet mirrored for the duplex flip, for every ``cols x rows`` cards.

    A deck of more than SINGLE_CARDS cards is drawn in parts of whole sheets (PART_CARDS cards at most, or one
    sheet), each part's pages written to the file (write.pdfstream) before the next is drawn, so the peak
    memory is one part's; a smaller deck is one reportlab document, as it always was.
    """
    grids, sheets = home_sheets(ctx, cards, paper, gutter)
    grid = home_grid(ctx, paper, gutter)
    reach = max([max(back_outer(g) + (g.bleed_x + BACK_OVERLAP, g.bleed_y + BACK_OVERLAP)) for g in grids.values()],
                default=0.0)
    parts = home_parts(sheets) if len(cards) > SINGLE_CARDS else [(0, len(sheets))]
    size = (grid.paper_w, grid.paper_h)

    def canvas(into, name):
        c = new_canvas(into, size, ctx.family, ctx.kit.game.title, "home print deck", duplex)
        c._doc.kot_subset_salt = c._doc.kot_subset_salt.rsplit("|", 1)[0] + "|" + Path(str(name)).name
        return c

    def draw(c, first: int, stop: int) -> None:
        faces = Faces(ctx, c, reach, out)
        for n in range(first, stop):
            _home_sheet(c, ctx, faces, grids[sheets[n][0].type], sheets[n], n, len(sheets), duplex, back_offset)

    name = target if isinstance(target, (str, PathLike)) else getattr(target, "name", "")
    if len(parts) == 1:
        c = canvas(target, name)
        draw(c, 0, len(sheets))
        pages = c.getPageNumber() - 1
        c.save()
        return DeckResult(pages, paper_name(paper))
    import pikepdf

    from kaartenoptafel.write.pdfstream import StreamWriter, head_of

    fonts, pages, head = SharedFonts(keep_names=True), 0, None
    with ExitStack() as stack:
        fh = stack.enter_context(open(target, "wb")) if isinstance(target, (str, PathLike)) else target
        writer = StreamWriter(fh, "1.4")
        for first, stop in parts:
            buffer = io.BytesIO()
            c = canvas(buffer, name)
            fonts.attach(c)
            draw(c, first, stop)
            pages += c.getPageNumber() - 1
            fonts.keep(c)
            c.save()
            del c
            with pikepdf.open(buffer) as pdf:
                writer.add_part(pdf)
                if head is None:
                    head = head_of(pdf)
            del buffer
        writer.close(head)
    return DeckResult(pages, paper_name(paper))


def _home_sheet(c: Canvas, ctx: Context, faces: Faces, grid: Grid, chunk: list[ResolvedCard], sheet: int, total: int,
                duplex: str, back_offset: tuple[float, float]) -> None:
    """Sheet number ``sheet`` (0-based) of ``total``: its fronts page, then (duplex) its backs page."""
    dx, dy = back_offset[0] * mm, back_offset[1] * mm
    kind = ctx.kit.types[chunk[0].type].plural
    outer = back_outer(grid)  # each size on its own sheets: a token sheet holds many more than 9
    round_cut = ctx.spec.shape(chunk[0].type) == "round"
    cache: dict[str, CardLayout | None] = {}
    for i, card in enumerate(chunk):
        if card.id not in cache:
            cache[card.id] = faces.front(card)
        lay = cache[card.id]
        if lay is None:
            continue
        row, col = grid.cell(i)
        x, y = grid.origin(row, col)
        c.saveState()
        c.translate(x, y)
        draw_card(c, lay, grid.bleed_sides(row, col))
        c.restoreState()
    if round_cut:  # a round token: a thin circle on its cut, inside the square the marks give
        replay(c, ("round", grid, len(chunk)), lambda: round_guides(c, grid, len(chunk)))
    # the same marks on every sheet: written once
    replay(c, ("cut", grid), lambda: cut_marks(c, grid, floor=CAPTION_TOP))
    key = "sheet_front" if duplex != "none" else "sheet_single"
    _caption(c, ctx, grid, label(ctx.kit, key, n=sheet + 1, total=total, type=kind))
    c.showPage()
    compress_last_page(c)
    if duplex == "none":
        return
    backs: dict[str, CardLayout | None] = {}
    c.saveState()  # the backs' colour stays inside the printable area and clear of the caption
    path = c.beginPath()
    safe = PRINTER_MARGIN * mm
    floor = max(safe, min(CAPTION_TOP, grid.y0 + min(dy, 0.0)))  # never into a card: a tight paper's caption is lower
    path.rect(safe, floor, grid.paper_w - 2 * safe, grid.paper_h - safe - floor)
    c.clipPath(path, stroke=0, fill=0)
    for i, card in enumerate(chunk):
        if card.id not in backs:
            backs[card.id] = faces.back(card)
        row, col = grid.back_cell(i, duplex)
        x, y = grid.origin(row, col)
        c.saveState()
        c.translate(x + dx, y + dy)
        faces.draw_back(card, backs[card.id], grid.bleed_sides(row, col, outer, BACK_OVERLAP))
        c.restoreState()
    c.restoreState()
    replay(c, ("cut", grid, dx, dy), lambda: cut_marks(c, grid, dx, dy, CAPTION_TOP, sides=False, outer=outer))
    _caption(c, ctx, grid, label(ctx.kit, f"sheet_back_{duplex}", n=sheet + 1, total=total, type=kind), dx)
    c.showPage()
    compress_last_page(c)


class SharedFonts:
    """reportlab's font subsets shared by several documents drawn one after another (the parts of a long deck).

    Each TrueType font keeps, per document, which glyph has which code in which subset; a document that
    takes over the previous one's state draws every character with the code it had there, and its subsets
    hold all glyphs used so far, so the last part's subsets serve every part (see write.pdfstream).
    ``keep_names``: each font also keeps its resource name (``/F1``...) in every part, so what one part drew can be
    replayed in the next (render.replay.portable and adopt): a face drawn once is not drawn again in a later part.
    """

    def __init__(self, keep_names: bool = False) -> None:
        self.states: dict[str, object] = {}
        self.names: dict[str, str] = {}
        self.keep_names = keep_names
        self.recorded: list = []  # with keep_names: what the part before drew, to replay (render.replay.portable)

    def attach(self, c: Canvas) -> None:
        """Give the new canvas ``c`` the subsets of the documents before it (and, with ``keep_names``, their drawings)."""
        from reportlab.pdfbase import pdfmetrics

        doc = c._doc
        for name, state in self.states.items():
            state.frozen = 0
            font = pdfmetrics.getFont(name)
            font.state[doc] = state
            if self.keep_names and self.names_kept:
                doc.fontMapping[name] = self.names[name]  # the name it had; the next new font gets the next number
                doc.delayedFonts.append(font)
            else:
                state.internalName = None  # the new document names and embeds the font when it first uses it
        if self.keep_names and self.recorded and self.names_kept:
            adopt(c, self.recorded)  # a face drawn in an earlier part is replayed, not drawn again

    @property
    def names_kept(self) -> bool:
        """Whether the fonts' names can be kept: the earlier documents had only these fonts, named F1..Fn."""
        return sorted(self.names.values()) == sorted(f"/F{i}" for i in range(1, len(self.names) + 1)) \
            and set(self.names) == set(self.states)

    def keep(self, c: Canvas) -> None:
        """Remember the subsets of ``c``'s document (call before ``c.save()``, which drops them), and with
        ``keep_names`` what it drew."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name in sorted(pdfmetrics.getRegisteredFontNames()):
            font = pdfmetrics.getFont(name)
            if isinstance(font, TTFont) and c._doc in font.state:
                self.states[name] = font.state[c._doc]
        self.names = dict(c._doc.fontMapping)
        if self.keep_names:
            self.recorded = portable(c)


def write_printshop_deck(ctx: Context, cards: list[ResolvedCard], target, out: Collector,
                         fonts: SharedFonts | None = None) -> DeckResult:
    """One card face per page: TrimBox = the card, BleedBox = card + bleed, crop marks outside the bleed.

    ``fonts``: font subsets shared with the other parts of a deck drawn in parts (write.printshop)."""
    spec = ctx.spec
    w, h, b = spec.width * mm, spec.height * mm, spec.bleed * mm
    m = b + PRINTSHOP_MARK_SPACE
    c = new_canvas(target, (w + 2 * m, h + 2 * m), ctx.family, ctx.kit.game.title, "print-shop deck")
    if fonts is not None:
        fonts.attach(c)
    c.setTrimBox((m, m, m + w, m + h))
    c.setBleedBox((m - b, m - b, m + w + b, m + h + b))
    faces = Faces(ctx, c, b, out)
    size = (spec.width, spec.height)
    previous: tuple[str, CardLayout | None, CardLayout | None] | None = None
    for card in cards:
        own = ctx.spec_of(card.type)
        if (own.width, own.height) != size:  # a component of another size: its own page, TrimBox and BleedBox
            size = (own.width, own.height)
            w, h = own.width * mm, own.height * mm
            c.setPageSize((w + 2 * m, h + 2 * m))
            c.setTrimBox((m, m, m + w, m + h))
            c.setBleedBox((m - b, m - b, m + w + b, m + h + b))
        if previous is None or previous[0] != card.id:
            previous = (card.id, faces.front(card), faces.back(card))
        lay, back = previous[1], previous[2]
        if lay is None:
            continue
        for side in ("front", "back"):
            c.saveState()
            c.translate(m, m)
            if side == "front":
                draw_card(c, lay, b)
            else:
                faces.draw_back(card, back)
            c.restoreState()
            replay(c, ("crop", w, h), lambda: crop_marks(c, m, m, w, h, b, PRINTSHOP_MARK_SPACE - 2.5 * mm))
            radius = min(w, h) / 2 if ctx.spec.shape(card.type) == "round" else spec.corner_radius * mm
            replay(c, ("die", w, h, radius), lambda: die_line(c, m, m, w, h, radius))  # spot CutContour
            c.showPage()
            compress_last_page(c)
    pages = c.getPageNumber() - 1
    if fonts is not None:
        fonts.keep(c)
    c.save()
    return DeckResult(pages, printshop_paper(ctx))
