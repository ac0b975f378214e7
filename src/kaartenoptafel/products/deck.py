"""The card deck, for home printing (sheets with duplex backs) and for the print shop (one card per page).

Cards are laid out and drawn one sheet at a time and then dropped, so memory stays flat however large
the deck; the back of a type without ``back_frames`` is drawn once per PDF as a form and reused,
a type with ``back_frames`` gets each card's own back, laid out with its front.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.grid import Grid, make_grid
from kaartenoptafel.impose.marks import crop_marks, cut_marks
from kaartenoptafel.layout.back import has_card_backs, layout_card_back, type_back
from kaartenoptafel.layout.card import CardLayout, Context, layout_card
from kaartenoptafel.products.labels import label
from kaartenoptafel.render.card import draw_card
from kaartenoptafel.render.dieline import die_line
from kaartenoptafel.render.pdf import compress_last_page, new_canvas
from kaartenoptafel.render.replay import replay
from kaartenoptafel.resolve import ResolvedCard

PRINTSHOP_MARK_SPACE = 8 * mm  # room outside the bleed for the crop marks


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

    def draw_back(self, card: ResolvedCard, lay: CardLayout | None = None) -> None:
        """Draw ``card``'s back at the origin: its own back (``lay``, from :meth:`back`) or its type's form."""
        if lay is not None:
            draw_card(self.c, lay, self.bleed)
        elif not has_card_backs(self.ctx, card.type):
            self.c.doForm(self.back_form(card.type))

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


def _caption(c: Canvas, ctx: Context, grid: Grid, text: str, dx: float = 0.0, dy: float = 0.0) -> None:
    """A small caption in the bottom margin, between the cut marks, inside the printable area."""
    c.setFillColorRGB(0.35, 0.35, 0.35)
    size = 6.5
    c.setFont(ctx.family.regular, size)
    y = max(6 * mm, grid.y0 / 2 - size / 2) + dy
    if grid.y0 - 1.5 * mm < y + size:  # no room below the cards (a tight paper): skip rather than overlap
        return
    c.drawString(grid.x0 + 2 * mm + dx, y, text[:150])


def type_sheets(cards: list[ResolvedCard], per_sheet: int) -> list[list[ResolvedCard]]:
    """The cards (in print order) cut into sheets: each type starts on a new sheet, so every stack is one type."""
    sheets: list[list[ResolvedCard]] = []
    for card in cards:
        if not sheets or len(sheets[-1]) == per_sheet or sheets[-1][0].type != card.type:
            sheets.append([])
        sheets[-1].append(card)
    return sheets


def write_home_deck(ctx: Context, cards: list[ResolvedCard], target, paper: str, duplex: str,
                    back_offset: tuple[float, float], out: Collector) -> DeckResult:
    """Fronts sheet, then its backs sheet mirrored for the duplex flip, for every ``cols x rows`` cards."""
    spec = ctx.spec
    grid = make_grid(paper, spec.width, spec.height)
    c = new_canvas(target, (grid.paper_w, grid.paper_h), ctx.family, ctx.kit.game.title, "home print deck",
                   duplex)
    faces = Faces(ctx, c, 0.0, out)
    dx, dy = back_offset[0] * mm, back_offset[1] * mm
    sheets = type_sheets(cards, grid.per_sheet)
    total = len(sheets)
    for sheet, chunk in enumerate(sheets):
        kind = ctx.kit.types[chunk[0].type].plural
        cache: dict[str, CardLayout | None] = {}
        for i, card in enumerate(chunk):
            if card.id not in cache:
                cache[card.id] = faces.front(card)
            lay = cache[card.id]
            if lay is None:
                continue
            x, y = grid.origin(*grid.cell(i))
            c.saveState()
            c.translate(x, y)
            draw_card(c, lay, 0.0)
            c.restoreState()
        replay(c, ("cut", grid), lambda: cut_marks(c, grid))  # the same marks on every sheet: written once
        key = "sheet_front" if duplex != "none" else "sheet_single"
        _caption(c, ctx, grid, label(ctx.kit, key, n=sheet + 1, total=total, type=kind))
        c.showPage()
        compress_last_page(c)
        if duplex == "none":
            continue
        backs: dict[str, CardLayout | None] = {}
        for i, card in enumerate(chunk):
            if card.id not in backs:
                backs[card.id] = faces.back(card)
            x, y = grid.origin(*grid.back_cell(i, duplex))
            c.saveState()
            c.translate(x + dx, y + dy)
            faces.draw_back(card, backs[card.id])
            c.restoreState()
        replay(c, ("cut", grid, dx, dy), lambda: cut_marks(c, grid, dx, dy))
        _caption(c, ctx, grid, label(ctx.kit, f"sheet_back_{duplex}", n=sheet + 1, total=total, type=kind), dx, dy)
        c.showPage()
        compress_last_page(c)
    pages = c.getPageNumber() - 1
    c.save()
    return DeckResult(pages, paper.upper() if paper == "a4" else paper.capitalize())


def write_printshop_deck(ctx: Context, cards: list[ResolvedCard], target, out: Collector) -> DeckResult:
    """One card face per page: TrimBox = the card, BleedBox = card + bleed, crop marks outside the bleed."""
    spec = ctx.spec
    w, h, b = spec.width * mm, spec.height * mm, spec.bleed * mm
    m = b + PRINTSHOP_MARK_SPACE
    c = new_canvas(target, (w + 2 * m, h + 2 * m), ctx.family, ctx.kit.game.title, "print-shop deck")
    c.setTrimBox((m, m, m + w, m + h))
    c.setBleedBox((m - b, m - b, m + w + b, m + h + b))
    faces = Faces(ctx, c, b, out)
    previous: tuple[str, CardLayout | None, CardLayout | None] | None = None
    for card in cards:
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
            replay(c, "crop", lambda: crop_marks(c, m, m, w, h, b, PRINTSHOP_MARK_SPACE - 2.5 * mm))
            replay(c, "die", lambda: die_line(c, m, m, w, h, spec.corner_radius * mm))  # spot CutContour
            c.showPage()
            compress_last_page(c)
    pages = c.getPageNumber() - 1
    c.save()
    return DeckResult(pages, f"{spec.width:g}x{spec.height:g}mm+{spec.bleed:g}mm bleed")
