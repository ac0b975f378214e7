"""Cut marks for home sheets and crop marks for print-shop pages: thin, outside the cards, inside the printable area."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.impose.grid import PRINTER_MARGIN, Grid

MARK_WIDTH = 0.5  # points; print shops ask for at least 0.25 pt


def _registration(c: Canvas) -> None:
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(MARK_WIDTH)


def cut_marks(c: Canvas, grid: Grid, dx: float = 0.0, dy: float = 0.0, floor: float = 0.0,
              sides: bool = True, outer: tuple[float, float] | None = None) -> None:
    """A mark in the margins at every cut line, from just off the cards' colour to the printer-safe margin.

    ``floor``: the bottom marks end this high (points) above the paper's edge, so a caption below them
    stays clear; ``sides`` False leaves out the marks in the left and right margins; ``outer`` (left, bottom,
    right, top): how
    far the colour runs past the outer cards (default: the grid's bleed). A mark shorter than 1 mm is left out.
    """
    _registration(c)
    gap = (0.5 if grid.gutter_x or grid.gutter_y else 1) * mm
    ol, ob, orr, ot = outer if outer is not None else (grid.bleed_x, grid.bleed_y, grid.bleed_x, grid.bleed_y)
    safe = PRINTER_MARGIN * mm
    shortest = 1 * mm
    left, bottom = grid.x0 + dx - ol - gap, grid.y0 + dy - ob - gap
    right, top = grid.x0 + dx + grid.block_w + orr + gap, grid.y0 + dy + grid.block_h + ot + gap
    low = max(safe, floor)
    for x in grid.cut_xs():
        x += dx
        if grid.paper_h - safe - top >= shortest:
            c.line(x, top, x, grid.paper_h - safe)
        if bottom - low >= shortest:
            c.line(x, bottom, x, low)
    if not sides:
        return
    for y in grid.cut_ys():
        y += dy
        if left - safe >= shortest:
            c.line(left, y, safe, y)
        if grid.paper_w - safe - right >= shortest:
            c.line(right, y, grid.paper_w - safe, y)


def crop_marks(c: Canvas, x: float, y: float, w: float, h: float, bleed: float, length: float) -> None:
    """Corner crop marks on the trim lines, starting outside the bleed so they never print on the card."""
    _registration(c)
    off = bleed + 1 * mm
    for cx, sx in ((x, -1), (x + w, 1)):
        for cy, sy in ((y, -1), (y + h, 1)):
            c.line(cx + sx * off, cy, cx + sx * (off + length), cy)
            c.line(cx, cy + sy * off, cx, cy + sy * (off + length))
