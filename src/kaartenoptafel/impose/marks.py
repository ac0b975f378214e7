"""Cut marks for home sheets and crop marks for print-shop pages: thin, outside the cards, inside the printable area."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.impose.grid import PRINTER_MARGIN, Grid

MARK_WIDTH = 0.5  # points; print shops ask for at least 0.25 pt


def _registration(c: Canvas) -> None:
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(MARK_WIDTH)


def cut_marks(c: Canvas, grid: Grid, dx: float = 0.0, dy: float = 0.0) -> None:
    """A mark in the margins at every card edge, from 1 mm off the cards to the printer-safe margin."""
    _registration(c)
    gap = 1 * mm
    safe = PRINTER_MARGIN * mm
    left, bottom = grid.x0 + dx, grid.y0 + dy
    right, top = left + grid.cols * grid.card_w, bottom + grid.rows * grid.card_h
    for i in range(grid.cols + 1):
        x = left + i * grid.card_w
        if top + gap < grid.paper_h - safe:
            c.line(x, top + gap, x, grid.paper_h - safe)
        if bottom - gap > safe:
            c.line(x, bottom - gap, x, safe)
    for j in range(grid.rows + 1):
        y = bottom + j * grid.card_h
        if left - gap > safe:
            c.line(left - gap, y, safe, y)
        if right + gap < grid.paper_w - safe:
            c.line(right + gap, y, grid.paper_w - safe, y)


def crop_marks(c: Canvas, x: float, y: float, w: float, h: float, bleed: float, length: float) -> None:
    """Corner crop marks on the trim lines, starting outside the bleed so they never print on the card."""
    _registration(c)
    off = bleed + 1 * mm
    for cx, sx in ((x, -1), (x + w, 1)):
        for cy, sy in ((y, -1), (y + h, 1)):
            c.line(cx + sx * off, cy, cx + sx * (off + length), cy)
            c.line(cx, cy + sy * off, cx, cy + sy * (off + length))
