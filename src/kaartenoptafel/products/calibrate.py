"""`kot calibrate`: a one-sheet duplex test from which a user reads off ``--back-offset DX,DY``.

Each numbered cell has a short line on the front and one on the back. The back line of the cell
numbered ``c`` is printed ``c`` mm away from where a perfect printer would put it behind the front
line, in the back page's own coordinates (the ones ``--back-offset`` shifts). Held to the light, the
cell whose two lines coincide names the correction: shifting the backs by ``c`` cancels the error.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm

from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.text import Item, TextStyle, fit
from kaartenoptafel.products.labels import label
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.write.atomic import write_bytes_atomic

WHOLE = [float(v) for v in range(-5, 6)]  # mm
HALF = [v + 0.5 for v in range(-5, 5)]  # -4.5 .. +4.5
CELL = 16 * mm  # distance between cells: far apart so every number reads clearly
TICK = 10 * mm


def _paragraph(c, ctx: Context, text: str, x: float, top: float, width: float, size: float, bold=False) -> float:
    style = TextStyle(ctx.family, "#1d1d1b", "#1d1d1b", 1.25, "left", bold, lang=ctx.kit.game.language)
    fitted = fit((Item("t", None, text=text),), style, width, 1e6, size, size)
    y = top
    for flow, h, space in fitted.flowables:
        y -= space + h
        flow.drawOn(c, x, y)
    return y


def _number(value: float) -> str:
    return "0" if value == 0 else f"{value:+g}".replace(".", ",")


def cells(pw: float, ph: float):
    """Front positions of the cells: a row of whole and a row of half millimetres, for DX and for DY.

    A DX cell is a vertical line at x (from y up); a DY cell a horizontal line at y (centred on x).
    """
    def rows(base: float):
        found = []
        for row, values in enumerate((WHOLE, HALF)):
            left = (pw - (len(values) - 1) * CELL) / 2
            y = base - row * 24 * mm
            found += [(value, left + i * CELL, y) for i, value in enumerate(values)]
        return found

    return rows(ph * 0.56), rows(ph * 0.30)


def write_calibration(ctx: Context, path: Path, paper: str, duplex: str) -> None:
    pw, ph = (v * mm for v in PAPER[paper])
    buf = io.BytesIO()
    c = new_canvas(buf, (pw, ph), ctx.family, label(ctx.kit, "calibrate_title"), "duplex calibration",
                   duplex)
    flip = label(ctx.kit, f"calibrate_flip_{duplex}")
    dx_cells, dy_cells = cells(pw, ph)

    top = ph - 18 * mm
    top = _paragraph(c, ctx, label(ctx.kit, "calibrate_title"), 20 * mm, top, pw - 40 * mm, 16, bold=True)
    top = _paragraph(c, ctx, label(ctx.kit, "calibrate_front", flip=flip), 20 * mm, top - 3 * mm, pw - 40 * mm, 11)
    _paragraph(c, ctx, label(ctx.kit, "calibrate_steps"), 20 * mm, top - 3 * mm, pw - 40 * mm, 11)

    def headings(canvas):
        canvas.setFont(ctx.family.bold, 9)
        canvas.setFillColorRGB(0.1, 0.1, 0.1)
        canvas.drawString(dx_cells[0][1] - 4 * mm, dx_cells[0][2] + TICK + 6 * mm, label(ctx.kit, "horizontal"))
        canvas.drawString(dy_cells[0][1] - 4 * mm, dy_cells[0][2] + 9 * mm, label(ctx.kit, "vertical"))

    # front
    headings(c)
    c.setLineWidth(0.35)
    c.setFont(ctx.family.regular, 8)
    for value, x, y in dx_cells:
        c.line(x, y, x, y + TICK)
        c.drawCentredString(x, y - 4 * mm, _number(value))
    for value, x, y in dy_cells:
        c.line(x - TICK / 2, y, x + TICK / 2, y)
        c.drawCentredString(x, y - 9 * mm, _number(value))
    c.showPage()

    # back: every line where the front line lands on a perfect printer, moved by its cell's value
    def land(x: float, y: float) -> tuple[float, float]:
        return (pw - x, y) if duplex == "long" else (x, ph - y)

    c.setFont(ctx.family.regular, 7)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawCentredString(pw / 2, ph - 12 * mm, label(ctx.kit, "calibrate_back"))
    c.setLineWidth(0.35)
    c.setStrokeColorRGB(0.8, 0, 0)
    c.setFillColorRGB(0.2, 0.2, 0.2)  # the numbers in dark grey: the red is only the lines to compare
    c.setFont(ctx.family.bold, 8)
    # each line carries its number on the back too, so the number the back asks for can be read on the back
    for value, x, y in dx_cells:
        bx, by = land(x, y)
        bx += value * mm
        if duplex == "long":
            c.line(bx, by, bx, by + TICK)
            c.drawCentredString(bx, by + TICK + 2 * mm, _number(value))
        else:
            c.line(bx, by - TICK, bx, by)
            c.drawCentredString(bx, by - TICK - 4.5 * mm, _number(value))
    for value, x, y in dy_cells:
        bx, by = land(x, y)
        by += value * mm
        c.line(bx - TICK / 2, by, bx + TICK / 2, by)
        c.drawCentredString(bx, by + 2 * mm, _number(value))
    c.showPage()
    c.save()
    write_bytes_atomic(path, buf.getvalue())
