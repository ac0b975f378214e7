"""Tiling a poster over small sheets: the fewest sheets, each with a glue strip, as pure geometry.

Everything here is millimetres. Board coordinates have their origin at the board's bottom-left
corner, y up; rows count from the top (row 0 is the top strip of the board), columns from the left.

A tile prints its *cell* (the part of the board it shows once the poster is assembled) and, where it
has a neighbour to the right or below, a glue strip of ``overlap`` mm: the first ``overlap`` mm of
that neighbour's cell. The neighbour is trimmed along its cell edge and glued on top of the strip,
so the cells tile the board exactly and every seam is backed by ``overlap`` mm of paper.

All cells but the last in a row (column) are equally wide (high) and the last is ``overlap`` wider,
so every sheet prints a picture of the same size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EPS = 1e-6


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: "Rect", tol: float = EPS) -> bool:
        return (other.x0 >= self.x0 - tol and other.y0 >= self.y0 - tol
                and other.x1 <= self.x1 + tol and other.y1 <= self.y1 + tol)

    def intersection(self, other: "Rect") -> "Rect | None":
        x0, y0 = max(self.x0, other.x0), max(self.y0, other.y0)
        x1, y1 = min(self.x1, other.x1), min(self.y1, other.y1)
        if x1 <= x0 + EPS or y1 <= y0 + EPS:
            return None
        return Rect(x0, y0, x1, y1)


def tile_code(row: int, col: int) -> str:
    """'A1' for the top-left tile: a letter per row (A..Z, AA..), a number per column."""
    letters = ""
    n = row + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{col + 1}"


@dataclass(frozen=True)
class Tile:
    row: int
    col: int
    cell: Rect  # the part of the board this tile shows on the finished poster
    shown: Rect  # what it prints: its cell plus its glue strips
    glue_right: bool  # a strip on the right, under the next tile in the row
    glue_below: bool  # a strip at the bottom, under the tile below
    origin: tuple[float, float]  # sheet position of shown's bottom-left corner (mm from the sheet's bottom-left)

    @property
    def code(self) -> str:
        return tile_code(self.row, self.col)

    def to_sheet(self, x: float, y: float) -> tuple[float, float]:
        """A board point to sheet coordinates (mm)."""
        return self.origin[0] + x - self.shown.x0, self.origin[1] + y - self.shown.y0

    @property
    def on_sheet(self) -> Rect:
        """Where the picture lies on the sheet."""
        x0, y0 = self.origin
        return Rect(x0, y0, x0 + self.shown.w, y0 + self.shown.h)


@dataclass(frozen=True)
class TilePlan:
    board_w: float
    board_h: float
    sheet_w: float  # as the sheet is used (landscape sheets have sheet_w > sheet_h)
    sheet_h: float
    landscape: bool
    overlap: float
    printer_margin: float
    mark_space: float
    label_band: float
    col_edges: tuple[float, ...]  # x of every cell boundary, 0 .. board_w
    row_edges: tuple[float, ...]  # y of every cell boundary from the top: board_h .. 0
    tiles: tuple[Tile, ...]  # row by row, left to right

    @property
    def cols(self) -> int:
        return len(self.col_edges) - 1

    @property
    def rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def usable(self) -> Rect:
        """The part of a sheet a tile's picture may use: inside the printer margin, the mark space and the label band."""
        m = self.printer_margin + self.mark_space
        return Rect(m, m + self.label_band, self.sheet_w - m, self.sheet_h - m)

    @property
    def label_area(self) -> Rect:
        m = self.printer_margin
        return Rect(m, m, self.sheet_w - m, m + self.label_band)

    def tile(self, row: int, col: int) -> Tile:
        return self.tiles[row * self.cols + col]


def count_for(length: float, usable: float, overlap: float) -> int:
    """The fewest cells for ``length`` when each sheet holds ``usable`` and all but the last carry a strip."""
    if length <= usable + EPS:
        return 1
    if usable <= overlap + EPS:
        raise ValueError(f"a {overlap:g} mm glue strip leaves no room on a sheet that holds {usable:g} mm")
    # n sheets cover at most n * usable - (n - 1) * overlap
    return math.ceil((length - overlap) / (usable - overlap) - EPS)


def split(length: float, n: int, overlap: float) -> list[float]:
    """Cell sizes: n - 1 equal cells and a last one ``overlap`` longer, so every sheet prints the same size."""
    if n == 1:
        return [length]
    base = (length - overlap) / n
    return [base] * (n - 1) + [base + overlap]


def _edges(sizes: list[float], start: float, end: float) -> tuple[float, ...]:
    """Boundaries from ``start`` to exactly ``end`` (no rounding drift at the far edge)."""
    sign = 1.0 if end >= start else -1.0
    edges = [start]
    for size in sizes[:-1]:
        edges.append(edges[-1] + sign * size)
    edges.append(end)
    return tuple(edges)


def plan_tiles(board_w: float, board_h: float, paper_w: float, paper_h: float, overlap: float = 10.0,
               printer_margin: float = 5.0, mark_space: float = 4.0, label_band: float = 8.0) -> TilePlan:
    """The tiling of a ``board_w`` x ``board_h`` board over paper that needs the fewest sheets.

    Both sheet orientations are tried; a tie goes to the one that leaves the most room to spare.
    Raises ValueError when a sheet cannot hold even a glue strip.
    """
    if min(board_w, board_h, paper_w, paper_h) <= 0 or overlap < 0:
        raise ValueError("sizes must be positive")
    best = None
    for landscape in (False, True):
        sw, sh = (max(paper_w, paper_h), min(paper_w, paper_h)) if landscape else (min(paper_w, paper_h), max(paper_w, paper_h))
        uw = sw - 2 * (printer_margin + mark_space)
        uh = sh - 2 * (printer_margin + mark_space) - label_band
        if uw <= 0 or uh <= 0:
            continue
        try:
            cols, rows = count_for(board_w, uw, overlap), count_for(board_h, uh, overlap)
        except ValueError:
            continue
        pic_w = split(board_w, cols, overlap)[0] + (overlap if cols > 1 else 0)
        pic_h = split(board_h, rows, overlap)[0] + (overlap if rows > 1 else 0)
        spare = min(uw - pic_w, uh - pic_h)
        key = (cols * rows, -spare, landscape)
        if best is None or key < best[0]:
            best = (key, landscape, sw, sh, cols, rows)
    if best is None:
        raise ValueError(f"a {paper_w:g} x {paper_h:g} mm sheet is too small for a {overlap:g} mm glue strip "
                         "and the printer margin")
    _, landscape, sw, sh, cols, rows = best
    col_edges = _edges(split(board_w, cols, overlap), 0.0, board_w)
    row_edges = _edges(split(board_h, rows, overlap), board_h, 0.0)
    m = printer_margin + mark_space
    area = Rect(m, m + label_band, sw - m, sh - m)
    tiles = []
    for r in range(rows):
        for c in range(cols):
            cell = Rect(col_edges[c], row_edges[r + 1], col_edges[c + 1], row_edges[r])
            right, below = c < cols - 1, r < rows - 1
            shown = Rect(cell.x0, cell.y0 - (overlap if below else 0.0), cell.x1 + (overlap if right else 0.0), cell.y1)
            origin = (area.x0 + (area.w - shown.w) / 2, area.y0 + (area.h - shown.h) / 2)
            tiles.append(Tile(r, c, cell, shown, right, below, origin))
    return TilePlan(board_w, board_h, sw, sh, landscape, overlap, printer_margin, mark_space, label_band,
                    col_edges, row_edges, tuple(tiles))


def seams(plan: TilePlan) -> list[tuple[Tile, Tile, Rect]]:
    """Every glued seam: (the tile underneath, the tile on top, the strip they share in board mm)."""
    found = []
    for t in plan.tiles:
        for dr, dc, flag in ((0, 1, t.glue_right), (1, 0, t.glue_below)):
            if flag:
                other = plan.tile(t.row + dr, t.col + dc)
                strip = t.shown.intersection(other.cell)
                if strip is not None:
                    found.append((t, other, strip))
    return found
