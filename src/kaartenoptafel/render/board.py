"""Drawing the laid-out board (:class:`kaartenoptafel.layout.board.Board`) on a canvas, with its bottom-left trim
corner at 0,0: rings, sectors, route, card outlines, title, legend and the stall place.

The board is drawn once, as a Form XObject (:func:`board_form`), and placed on the poster page and, clipped and
shifted, on every tile (see :mod:`kaartenoptafel.impose.board`).
"""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.layout.board import Board, Slot
from kaartenoptafel.layout.spec import Colour
from kaartenoptafel.layout.stall import Stall
from kaartenoptafel.layout.text import Fitted
from kaartenoptafel.render.card import set_fill, set_stroke
from kaartenoptafel.render.ink import ascent_descent, text_width, tint_of


def draw_fitted(c: Canvas, fitted: Fitted, x: float, top: float, words: bool = True) -> float:
    """Draw fitted text from ``top`` down (only measure it when not ``words``); returns the y below it."""
    y = top
    for flow, height, space in fitted.flowables:
        y -= space + height
        if words:
            flow.drawOn(c, x, y)
    return y


def board_form(c: Canvas, board: Board, name: str = "board", words: bool = True) -> str:
    """The board as a Form XObject named ``name``; without ``words`` the shapes only (the assembly map's board)."""
    b = board.look.bleed * mm
    c.beginForm(name, -b, -b, board.W + b, board.H + b)
    BoardPainter(board, words).draw(c)
    c.endForm()
    return name


class BoardPainter:
    """Paints a laid-out board; ``words`` False draws the shapes only."""

    def __init__(self, board: Board, words: bool = True):
        self.board, self.words = board, words

    def draw(self, c: Canvas) -> None:
        b = self.board.look.bleed * mm
        set_fill(c, self.board.look.colours["background"])
        c.rect(-b, -b, self.board.W + 2 * b, self.board.H + 2 * b, stroke=0, fill=1)
        self._draw_rings(c)
        self._draw_sectors(c)
        self._draw_route(c)
        self._draw_slot(c, self.board.persona)
        self._draw_boxes(c)
        self._draw_stall(c, self.board.stall)

    def _wedge(self, c: Canvas, r0: float, r1: float, start: float, end: float) -> None:
        """Fill the ring part between radii r0 < r1, clockwise from ``start`` to ``end`` degrees."""
        cx, cy = self.board.cx, self.board.cy
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
        c.line(self.board.cx + r0 * math.cos(a), self.board.cy + r0 * math.sin(a), self.board.cx + r1 * math.cos(a), self.board.cy + r1 * math.sin(a))

    def _draw_rings(self, c: Canvas) -> None:
        R = self.board.R
        gap = self.board.L(self.board.look.gap)
        # outer ring: the wider world
        for i, (text, start, end, size) in enumerate(self.board.world_parts):
            set_fill(c, self.board.look.world_colours[i % len(self.board.look.world_colours)])
            self._wedge(c, R["sectors"], R["world"], start, end)
        # sectors
        for sector in self.board.sectors:
            set_fill(c, tint_of(sector.colour, self.board.look.tint))
            self._wedge(c, R["library"], R["sectors"], sector.start, sector.end)
            if self.board.look.band > 0:
                set_fill(c, sector.colour)
                self._wedge(c, R["sectors"] - self.board.L(self.board.look.band), R["sectors"], sector.start, sector.end)
        # library ring and the centre
        set_fill(c, self.board.look.colours["library"])
        self._wedge(c, R["persona"], R["library"], 360.0, 0.0)
        set_fill(c, self.board.look.colours["persona"])
        c.circle(self.board.cx, self.board.cy, R["persona"], stroke=0, fill=1)
        # white lines between the parts
        if gap > 0:
            set_stroke(c, self.board.look.colours["background"])
            c.setLineWidth(gap)
            for radius in (R["persona"], R["library"], R["sectors"]):
                c.circle(self.board.cx, self.board.cy, radius, stroke=1, fill=0)
            if len(self.board.sectors) > 1:
                for sector in self.board.sectors:
                    self._ray(c, sector.start, R["library"], R["sectors"])
            if len(self.board.world_parts) > 1:
                for _, start, _, _ in self.board.world_parts:
                    self._ray(c, start, R["sectors"], R["world"])
        # curved labels
        r_lib = (R["persona"] + R["library"]) / 2
        for k in range(self.board.look.library_repeat):
            middle = 90.0 - k * 360.0 / self.board.look.library_repeat
            self._arc_text(c, self.board.texts.library_text, self.board.bold, self.board.library_size, self.board.look.colours["library_text"], r_lib, middle)
        r_world = (R["sectors"] + R["world"]) / 2
        for text, start, end, size in self.board.world_parts:
            self._arc_text(c, text, self.board.bold, size, self.board.look.colours["world_text"], r_world, (start + end) / 2)

    def _arc_text(self, c: Canvas, text: str, font: str, size: float, colour: Colour, radius: float,
                  middle: float) -> None:
        """Text along a circle, centred on ``middle`` degrees; in the lower half it reads upright from below."""
        asc, desc = ascent_descent(font, size)
        cap = (asc + desc) / 2  # puts the letters' optical middle on the radius
        lower = math.sin(math.radians(middle)) < -1e-9
        base = radius + cap if lower else radius - cap
        if not self.words:
            return
        total = text_width(text, font, size)
        set_fill(c, colour)
        c.setFont(font, size)
        pos = -total / 2
        for ch in text:
            adv = text_width(ch, font, size)
            offset = (pos + adv / 2) / base
            angle = math.radians(middle) + (offset if lower else -offset)
            c.saveState()
            c.translate(self.board.cx + base * math.cos(angle), self.board.cy + base * math.sin(angle))
            c.rotate(math.degrees(angle) + (90 if lower else -90))
            c.drawString(-adv / 2, 0, ch)
            c.restoreState()
            pos += adv

    def _draw_sectors(self, c: Canvas) -> None:
        if not self.words:
            return
        for sector in self.board.sectors:
            middle = math.radians(sector.middle)
            for line in sector.lines:
                asc, desc = ascent_descent(line.font, line.size)
                base = line.outer + desc if sector.flipped else line.outer - asc
                c.saveState()
                c.translate(self.board.cx + base * math.cos(middle), self.board.cy + base * math.sin(middle))
                c.rotate(sector.middle + (90 if sector.flipped else -90))
                set_fill(c, line.colour)
                c.setFont(line.font, line.size)
                c.drawCentredString(0, 0, line.text)
                c.restoreState()

    def _draw_fitted(self, c: Canvas, fitted: Fitted, x: float, top: float) -> float:
        return draw_fitted(c, fitted, x, top, self.words)

    def _dashed_box(self, c: Canvas, x: float, y: float, w: float, h: float, stroke: str, width: float,
                    dash: float) -> None:
        """A rounded box on the persona colour with a dashed outline: a card's place, or the stall's."""
        set_fill(c, self.board.look.colours["persona"])
        set_stroke(c, self.board.look.colours[stroke])
        c.setLineWidth(width)
        c.setDash(self.board.pt(dash), self.board.pt(3))
        c.roundRect(x, y, w, h, self.board.look.corner * mm, stroke=1, fill=1)
        c.setDash()

    def _draw_slot(self, c: Canvas, slot: Slot) -> None:
        self._dashed_box(c, slot.x, slot.y, slot.w, slot.h, "outline", max(0.8, self.board.pt(1.0)), 4)
        if slot.fitted is not None:
            pad = self.board.look.padding * mm
            self._draw_fitted(c, slot.fitted, slot.x + pad, slot.y + slot.h / 2 + slot.fitted.height / 2)

    def _draw_route(self, c: Canvas) -> None:
        route = self.board.look.colours["route"]
        radius = self.board.L(self.board.look.arrow_radius)
        width = self.board.L(self.board.look.arrow_width)
        set_stroke(c, route)
        set_fill(c, route)
        c.setLineWidth(width)
        c.setLineCap(1)
        head = width * 3.2
        for a, b in self.board.arrows:
            sweep = a - b  # clockwise
            end = a - sweep + math.degrees(head / radius)
            p = c.beginPath()
            p.arc(self.board.cx - radius, self.board.cy - radius, self.board.cx + radius, self.board.cy + radius, startAng=end,
                  extent=a - math.degrees(head * 0.3 / radius) - end)
            c.drawPath(p, stroke=1, fill=0)
            # the arrowhead points clockwise along the circle at b
            tip = math.radians(a - sweep)
            back = math.radians(a - sweep + math.degrees(head / radius))
            tx, ty = self.board.cx + radius * math.cos(tip), self.board.cy + radius * math.sin(tip)
            bx, by = self.board.cx + radius * math.cos(back), self.board.cy + radius * math.sin(back)
            nx, ny = math.cos(back) * width * 1.6, math.sin(back) * width * 1.6
            p = c.beginPath()
            p.moveTo(tx, ty)
            p.lineTo(bx + nx, by + ny)
            p.lineTo(bx - nx, by - ny)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
        c.setLineCap(0)
        for step in self.board.steps:
            self._draw_slot(c, step.slot)
            header = self.board.L(self.board.look.header)
            disc = header * 0.78
            cy = step.slot.y + step.slot.h + header * 0.52
            set_fill(c, route)
            c.circle(step.header_x + disc / 2, cy, disc / 2, stroke=0, fill=1)
            set_fill(c, self.board.ctx.spec.colours["paper"])
            nsize = disc * 0.62
            if not self.words:
                continue
            asc, desc = ascent_descent(self.board.bold, nsize)
            c.setFont(self.board.bold, nsize)
            c.drawCentredString(step.header_x + disc / 2, cy - (asc + desc) / 2, str(step.number))
            set_fill(c, route)
            asc, desc = ascent_descent(self.board.bold, step.name_size)
            c.setFont(self.board.bold, step.name_size)
            c.drawString(step.header_x + disc + header * 0.25, cy - (asc + desc) / 2, step.name)

    def _draw_boxes(self, c: Canvas) -> None:
        title, sub = self.board.title_fits
        box = self.board.title_box
        if title is not None:
            y = self._draw_fitted(c, title, box.x0, box.y1)
            if sub is not None:
                self._draw_fitted(c, sub, box.x0, y - self.board.L(3))
        box = self.board.legend_box
        size = self.board.legend_size
        y = self._draw_fitted(c, self.board.legend_head, box.x0, box.y1) - size * 0.3
        swatch = self.board.L(6)
        for key, fitted in self.board.legend_fits:
            y -= size * 0.45
            first_line = fitted.flowables[0][1] if fitted.flowables else size
            self._swatch(c, key, box.x0, y - first_line / 2 - swatch / 2 + size * 0.1, swatch)
            y = self._draw_fitted(c, fitted, box.x0 + swatch * 1.5, y)

    def _swatch(self, c: Canvas, key: str, x: float, y: float, s: float) -> None:
        set_stroke(c, self.board.look.colours["outline"])
        c.setLineWidth(0.6)
        if key == "centre":
            set_fill(c, self.board.look.colours["persona"])
            c.circle(x + s / 2, y + s / 2, s / 2, stroke=1, fill=1)
        elif key == "library":
            set_fill(c, self.board.look.colours["library"])
            c.circle(x + s / 2, y + s / 2, s / 2, stroke=0, fill=1)
            set_fill(c, self.board.look.colours["persona"])
            c.circle(x + s / 2, y + s / 2, s / 4, stroke=0, fill=1)
        elif key == "sectors":
            colours = [sec.colour for sec in self.board.sectors] or [self.board.look.colours["fallback"]]
            n = min(len(colours), 4)
            for k in range(n):
                set_fill(c, colours[k])
                p = c.beginPath()
                p.moveTo(x + s / 2, y + s / 2)
                p.arcTo(x, y, x + s, y + s, startAng=90 - k * 360 / n, extent=-360 / n)
                p.close()
                c.drawPath(p, stroke=0, fill=1)
        elif key == "world":
            set_fill(c, self.board.look.world_colours[-1])
            c.roundRect(x, y, s, s, s * 0.2, stroke=0, fill=1)
        elif key == "route":
            set_fill(c, self.board.look.colours["route"])
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

    def _draw_stall(self, c: Canvas, stall: Stall | None) -> None:
        """A dashed box in the route's colour, the heading at its top and the hint below it."""
        if stall is None:
            return
        r = stall.rect
        self._dashed_box(c, r.x0, r.y0, r.w, r.h, "route", max(1.0, self.board.pt(1.4)), 5)
        pad = self.board.L(self.board.look.padding)
        y = r.y1 - pad
        if stall.heading is not None:
            y = self._draw_fitted(c, stall.heading, r.x0 + pad, y)
        if stall.text is not None:
            self._draw_fitted(c, stall.text, r.x0 + pad, y - self.board.pt(1.5))
