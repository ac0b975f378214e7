"""Where cards go on a home-print sheet, and where their backs go for each kind of duplex flip.

Plain geometry, no drawing: the tests check alignment against these same numbers and the rendered pixels.

Cards sit ``gutter`` apart; each card's colour runs half the gutter past its cut (its bleed), so the
colours of two neighbours meet in the middle of the gutter and a cut a little off the line still shows
the card's own colour, not white. ``gutter 0`` gives the butted sheet (one cut between two cards).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

PAPER = {"a4": (210.0, 297.0), "letter": (215.9, 279.4), "a3": (297.0, 420.0)}
PRINTER_MARGIN = 5.0  # mm every home printer can print up to
MARK_ROOM = 2.5  # mm a cut mark needs beyond the bleed: 0.5 mm gap and a 2 mm line
DUPLEX = ("long", "short", "none")
# The default gutter (mm, between columns and between rows): the widest that keeps 9 poker cards, their
# bleed and cut marks on the sheet, 5 mm from every edge. A4: 189 + 2 x 2 + 2 x 1 bleed + 2 x 2.5 marks
# = 200 mm wide. Letter (279.4 mm tall) has 5.4 mm for three 88 mm rows beyond the margins: its rows touch.
DEFAULT_GUTTER = {"a4": (2.0, 2.0), "letter": (3.0, 0.0), "a3": (4.0, 4.0)}


@dataclass(frozen=True)
class Grid:
    paper_w: float  # points
    paper_h: float
    card_w: float
    card_h: float
    cols: int
    rows: int
    gutter_x: float = 0.0  # points between two columns
    gutter_y: float = 0.0  # points between two rows

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def bleed_x(self) -> float:
        """How far a card's colour runs past its left and right cut (half the gutter)."""
        return self.gutter_x / 2

    @property
    def bleed_y(self) -> float:
        return self.gutter_y / 2

    @property
    def block_w(self) -> float:
        """Width from the first column's left cut to the last column's right cut."""
        return self.cols * self.card_w + (self.cols - 1) * self.gutter_x

    @property
    def block_h(self) -> float:
        return self.rows * self.card_h + (self.rows - 1) * self.gutter_y

    @property
    def x0(self) -> float:
        return (self.paper_w - self.block_w) / 2

    @property
    def y0(self) -> float:
        return (self.paper_h - self.block_h) / 2

    def cell(self, index: int) -> tuple[int, int]:
        """(row, col) of slot ``index``, filled left to right, top to bottom."""
        return divmod(index, self.cols)

    def origin(self, row: int, col: int) -> tuple[float, float]:
        """Bottom-left corner of the card at (row, col); row 0 is the top row."""
        return (self.x0 + col * (self.card_w + self.gutter_x),
                self.y0 + (self.rows - 1 - row) * (self.card_h + self.gutter_y))

    def cut_xs(self) -> list[float]:
        """Every vertical cut line (points): both edges of every column (one line where columns touch)."""
        return sorted({round(self.origin(0, c)[0] + d, 6) for c in range(self.cols) for d in (0, self.card_w)})

    def cut_ys(self) -> list[float]:
        return sorted({round(self.origin(r, 0)[1] + d, 6) for r in range(self.rows) for d in (0, self.card_h)})

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

    def bleed_sides(self, row: int, col: int, outer: tuple | None = None,
                    overlap: float = 0.0) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) points the card at (row, col) may colour past its cut.

        Towards a neighbour: half the gutter. At the sheet's edge: the same, or ``outer`` (left, bottom,
        right, top) when given (the backs, whose colour runs out towards the printable margin). ``overlap``
        is added towards a neighbour (backs of one colour overlap a little, so no hairline shows between them).
        """
        bx = self.bleed_x + overlap if self.gutter_x else 0.0
        by = self.bleed_y + overlap if self.gutter_y else 0.0
        ol, ob, orr, ot = outer if outer is not None else (bx, by, bx, by)
        return (ol if col == 0 else bx, ob if row == self.rows - 1 else by,
                orr if col == self.cols - 1 else bx, ot if row == 0 else by)


class GridError(ValueError):
    """The cards do not fit on the paper (with this gutter); the message says what does."""


def make_grid(paper: str, card_w_mm: float, card_h_mm: float, gutter: float | None = None) -> Grid:
    """The most cards of this size that fit on ``paper``, ``gutter`` mm apart (None: the paper's default)."""
    pw, ph = PAPER[paper]
    gx, gy = DEFAULT_GUTTER.get(paper, (2.0, 2.0)) if gutter is None else (gutter, gutter)
    room = 2 * PRINTER_MARGIN

    def count(paper_mm: float, card: float, gap: float) -> int:
        # n cards, n - 1 gutters, a bleed of half a gutter on both outer sides and room for the marks
        extra = gap + (2 * MARK_ROOM if gap else 0)
        return int((paper_mm - room - extra + gap) // (card + gap))

    cols, rows = count(pw, card_w_mm, gx), count(ph, card_h_mm, gy)
    if cols < 1 or rows < 1:
        plain = int((pw - room) // card_w_mm) >= 1 and int((ph - room) // card_h_mm) >= 1
        hint = "; with --gutter 0 it does" if plain and (gx or gy) else ""
        raise GridError(f"a {card_w_mm:g} x {card_h_mm:g} mm card does not fit on {paper.upper()} paper "
                        f"with a {max(gx, gy):g} mm gutter and 5 mm margins{hint}")
    return Grid(pw * mm, ph * mm, card_w_mm * mm, card_h_mm * mm, cols, rows, gx * mm, gy * mm)
