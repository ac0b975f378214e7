"""The board on paper: the poster page (trim, bleed, crop marks) and the tiles to print at home and glue.

Both place the board's Form XObject (:func:`kaartenoptafel.render.board.board_form`): whole on the poster,
clipped and shifted on every tile, after an assembly map; the tiles' cells come from
:mod:`kaartenoptafel.impose.tiles`.
"""

from __future__ import annotations

import io
from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.impose.marks import crop_marks
from kaartenoptafel.impose.tiles import Rect, TilePlan, plan_tiles, seams, tile_code
from kaartenoptafel.layout.board import Board
from kaartenoptafel.layout.boardstyle import TileStyle
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.text import Item, TextStyle, fit
from kaartenoptafel.render.board import board_form, draw_fitted
from kaartenoptafel.render.card import set_fill
from kaartenoptafel.render.ink import ascent_descent, strip_grey, text_width
from kaartenoptafel.render.pdf import new_canvas

MARK_ROOM = 8 * mm  # poster: room outside the bleed for the crop marks (as on the print-shop deck)


def write_poster(ctx: Context, board: Board) -> bytes:
    """One page: the board at its size as TrimBox, the background run into the bleed, crop marks outside it."""
    b = board.look.bleed * mm
    m = b + MARK_ROOM
    buf = io.BytesIO()
    c = new_canvas(buf, (board.W + 2 * m, board.H + 2 * m), ctx.family, ctx.kit.game.title, "board poster")
    c.setTrimBox((m, m, m + board.W, m + board.H))
    c.setBleedBox((m - b, m - b, m + board.W + b, m + board.H + b))
    name = board_form(c, board)
    c.saveState()
    c.translate(m, m)
    c.doForm(name)
    c.restoreState()
    crop_marks(c, m, m, board.W, board.H, b, MARK_ROOM - 2.5 * mm)
    c.showPage()
    c.save()
    return buf.getvalue()



def tile_plan(board: Board, paper: str, overlap: float, ts: TileStyle) -> TilePlan:
    pw, ph = PAPER[paper]
    return plan_tiles(board.w_mm, board.h_mm, pw, ph, overlap, ts.printer_margin, ts.mark_space, ts.label_band)



class TileSheets:
    """The tiles PDF: an assembly map, then one sheet per tile."""

    def __init__(self, ctx: Context, board: Board, texts: tuple[dict[str, str], list[str]], plan: TilePlan,
                 ts: TileStyle, paper: str):
        self.ctx, self.board, self.plan, self.ts, self.paper = ctx, board, plan, ts, paper
        self.ink = board.look.colours["ink"]
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
        name = board_form(c, self.board)
        # the map's small board shows the shapes, no text (it would print below 7 pt)
        plain = board_form(c, self.board, "board_map", words=False)
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
        style = TextStyle(self.ctx.family, self.ink.hex(), self.board.look.colours["route"].hex(), 1.25, "left",
                          hyphenate=False, lang=self.ctx.kit.game.language)
        title = fit((Item("t", None, text=self.t["title"]),), replace(style, bold=True), W - 2 * m, 1e6,
                    ts.map_text * 1.5, ts.map_text * 1.5)
        y = draw_fitted(c, title, m, H - m)
        items = tuple(Item(f"s{i}", None, text=f"**{i + 1}.** {s}") for i, s in enumerate(self.steps))
        steps = fit(items, style, W - 2 * m, H * 0.3, ts.map_text, min(ts.map_text, 8))
        y = draw_fitted(c, steps, m, y - 3 * mm)
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
            w = text_width(tile.code, self.board.bold, size) + size * 0.8
            c.setFillColorRGB(1, 1, 1)
            c.roundRect(x - w / 2, yc - size * 0.75, w, size * 1.5, size * 0.25, stroke=0, fill=1)
            c.setFillColorRGB(0.1, 0.1, 0.1)
            c.setFont(self.board.bold, size)
            asc, desc = ascent_descent(self.board.bold, size)
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
            asc, desc = ascent_descent(self.board.bold, size)
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
        x = band.x0 * mm + text_width(text, self.board.bold, ts.label_size) + 3 * mm
        c.setFont(self.board.regular, ts.label_size)
        rest = (f"{self.t['row']} {letter}, {self.t['column']} {tile.col + 1} · {self.ctx.kit.game.title} · "
                f"{self.board.size.upper()} · {self.t['full_size']}")
        c.drawString(x, y, rest)
        self._locator(c, tile, band)

    def _repeat(self, c: Canvas, text: str, size: float, fixed: float, a: float, b: float, vertical: bool,
                shift: float = 0.0) -> None:
        """``text`` along a strip from a to b (points), as often as it fits with room between."""
        width = text_width(text, self.board.bold, size)
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
                    set_fill(c, self.board.look.colours["route"])
                else:
                    c.setFillColorRGB(1, 1, 1)
                c.rect(x0 + col * cw, y0 + (plan.rows - 1 - r) * cell, cw, cell, stroke=1, fill=1)
