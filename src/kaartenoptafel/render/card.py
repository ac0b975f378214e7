"""Draw a laid-out card face on a reportlab canvas, with or without bleed."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.layout.card import CardLayout, FillBox, ImageBox, LineBox, SquareBox, TextBox
from kaartenoptafel.layout.spec import Colour
from kaartenoptafel.render.images import image_reader


def set_fill(c: Canvas, colour: Colour) -> None:
    if colour.cmyk is not None:
        c.setFillColorCMYK(*colour.cmyk)
    else:
        c.setFillColorRGB(*colour.rgb)


def set_stroke(c: Canvas, colour: Colour) -> None:
    if colour.cmyk is not None:
        c.setStrokeColorCMYK(*colour.cmyk)
    else:
        c.setStrokeColorRGB(*colour.rgb)


def draw_card(c: Canvas, card: CardLayout, bleed: float = 0.0) -> None:
    """Draw ``card`` with its bottom-left trim corner at the canvas origin.

    Everything is clipped to the trim box grown by ``bleed`` (points): 0 on home sheets, where cards
    touch, and the print shop's bleed on print-shop pages, where bands and backgrounds run past the cut.
    """
    w, h = card.width, card.height
    c.saveState()
    path = c.beginPath()
    path.rect(-bleed, -bleed, w + 2 * bleed, h + 2 * bleed)
    c.clipPath(path, stroke=0, fill=0)
    set_fill(c, card.background)
    c.rect(-bleed, -bleed, w + 2 * bleed, h + 2 * bleed, stroke=0, fill=1)
    for box in card.boxes:
        if isinstance(box, FillBox):
            left, bottom, right, top = (bleed if edge else 0 for edge in box.bleed)
            set_fill(c, box.colour)
            c.rect(box.x - left, box.y - bottom, box.w + left + right, box.h + bottom + top, stroke=0, fill=1)
        elif isinstance(box, TextBox):
            y = box.top
            for flow, height, space in box.fitted.flowables:
                y -= space + height
                flow.drawOn(c, box.x, y)
        elif isinstance(box, LineBox):
            set_stroke(c, box.colour)
            c.setLineWidth(box.width)
            c.line(box.x1, box.y1, box.x2, box.y2)
        elif isinstance(box, SquareBox):
            set_stroke(c, box.colour)
            c.setLineWidth(0.9)
            c.rect(box.x, box.y, box.size, box.size, stroke=1, fill=0)
        elif isinstance(box, ImageBox):
            reader, (iw, ih) = image_reader(box.path, box.w, box.h, box.pos)
            scale = min(box.w / iw, box.h / ih)
            dw, dh = iw * scale, ih * scale
            c.drawImage(reader, box.x + (box.w - dw) / 2, box.y + (box.h - dh) / 2, dw, dh, mask="auto")
    c.restoreState()
