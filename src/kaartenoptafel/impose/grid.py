"""Where cards go on a home-print sheet, and where their backs go for each kind of duplex flip.

Plain geometry, no drawing: the tests check alignment against these same numbers and the rendered pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

PAPER = {"a4": (210.0, 297.0), "letter": (215.9, 279.4), "a3": (297.0, 420.0)}
PRINTER_MARGIN = 5.0  # mm every home printer can print up to
DUPLEX = ("long", "short", "none")


@dataclass(frozen=True)
class Grid:
    paper_w: float  # points
    paper_h: float
    card_w: float
    card_h: float
    cols: int
    rows: int

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def x0(self) -> float:
        return (self.paper_w - self.cols * self.card_w) / 2

    @property
    def y0(self) -> float:
        return (self.paper_h - self.rows * self.card_h) / 2

    def cell(self, index: int) -> tuple[int, int]:
        """(row, col) of slot ``index``, filled left to right, top to bottom."""
        return divmod(index, self.cols)

    def origin(self, row: int, col: int) -> tuple[float, float]:
        """Bottom-left corner of the card at (row, col); row 0 is the top row."""
        return self.x0 + col * self.card_w, self.y0 + (self.rows - 1 - row) * self.card_h

    def back_cell(self, index: int, duplex: str) -> tuple[int, int]:
        """Where the back of slot ``index`` must print so it lands behind its front.

        Flip on the long edge of a portrait sheet mirrors the columns; the short edge mirrors the rows.
        A partial last sheet is mirrored the same way, so its backs still align.
        """
        row, col = self.cell(index)
        if duplex == "long":
            return row, self.cols - 1 - col
        if duplex == "short":
            return self.rows - 1 - row, col
        return row, col


def make_grid(paper: str, card_w_mm: float, card_h_mm: float) -> Grid:
    pw, ph = PAPER[paper]
    cols = int((pw - 2 * PRINTER_MARGIN) // card_w_mm)
    rows = int((ph - 2 * PRINTER_MARGIN) // card_h_mm)
    if cols < 1 or rows < 1:
        raise ValueError(f"a {card_w_mm:g} x {card_h_mm:g} mm card does not fit on {paper.upper()} paper")
    return Grid(pw * mm, ph * mm, card_w_mm * mm, card_h_mm * mm, cols, rows)
