"""`kot calibrate`: a one-sheet duplex test from which a user reads off ``--back-offset DX,DY``.

The front has one vertical and one horizontal line through the centre. The back has scales whose tick
labelled ``c`` is printed ``c`` mm from where the line would land on a perfect printer (in the back
page's own coordinates, the same ones ``--back-offset`` shifts). Holding the sheet to the light, the
tick that lies on the front line names the correction: shifting the backs by ``c`` cancels the error.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.text import Item, TextStyle, fit
from kaartenoptafel.products.labels import label
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.write.atomic import write_bytes_atomic

STEPS = [x / 2 for x in range(-10, 11)]  # -5 .. +5 mm in 0.5 mm steps


def _paragraph(c, ctx: Context, text: str, x: float, top: float, width: float, size: float, bold=False) -> float:
    style = TextStyle(ctx.family, "#1d1d1b", "#1d1d1b", 1.25, "left", bold)
    fitted = fit((Item("t", None, text=text),), style, width, 1e6, size, size)
    y = top
    for flow, h, space in fitted.flowables:
        y -= space + h
        flow.drawOn(c, x, y)
    return y


def write_calibration(ctx: Context, path: Path, paper: str, duplex: str) -> None:
    import io

    pw, ph = (v * mm for v in PAPER[paper])
    buf = io.BytesIO()
    c = new_canvas(buf, (pw, ph), ctx.family, label(ctx.kit, "calibrate_title"), "duplex calibration")
    cx, cy = pw / 2, ph / 2
    flip = label(ctx.kit, f"calibrate_flip_{duplex}")
    # front: instructions and the two reference lines
    top = ph - 20 * mm
    top = _paragraph(c, ctx, label(ctx.kit, "calibrate_title"), 20 * mm, top, pw - 40 * mm, 16, bold=True)
    top = _paragraph(c, ctx, label(ctx.kit, "calibrate_front", flip=flip), 20 * mm, top - 4 * mm, pw - 40 * mm, 11)
    _paragraph(c, ctx, label(ctx.kit, "calibrate_steps"), 20 * mm, top - 3 * mm, pw - 40 * mm, 11)
    c.setLineWidth(0.4)
    c.line(cx, cy - 60 * mm, cx, cy + 30 * mm)
    c.line(cx - 70 * mm, cy - 30 * mm, cx + 70 * mm, cy - 30 * mm)
    c.showPage()
    # back: the line lands at the mirrored position; ticks at that position + c
    bx = pw - cx if duplex == "long" else cx
    by = (cy - 30 * mm) if duplex == "long" else ph - (cy - 30 * mm)
    c.setFont(ctx.family.regular, 7)
    c.drawCentredString(pw / 2, ph - 20 * mm, label(ctx.kit, "calibrate_back"))
    c.setLineWidth(0.3)
    for step in STEPS:
        x = bx + step * mm
        long_tick = step == int(step)
        c.line(x, cy - 50 * mm, x, cy - 50 * mm + (14 if long_tick else 8) * mm)
        if long_tick:
            c.drawCentredString(x, cy - 54 * mm, f"{step:+g}" if step else "0")
        y = by + step * mm
        c.line(cx + 45 * mm, y, cx + 45 * mm + (14 if long_tick else 8) * mm, y)
        if long_tick:
            c.drawString(cx + 61 * mm, y - 2.5, f"{step:+g}" if step else "0")
    c.drawCentredString(bx, cy - 60 * mm, label(ctx.kit, "horizontal"))
    c.drawString(cx + 45 * mm, by + 8 * mm, label(ctx.kit, "vertical"))
    c.showPage()
    c.save()
    write_bytes_atomic(path, buf.getvalue())
