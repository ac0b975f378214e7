"""Draw a laid-out card face on a reportlab canvas, with or without bleed."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from kaartenoptafel.layout.card import CardLayout, FillBox, ImageBox, LineBox, SquareBox, TextBox
from kaartenoptafel.layout.spec import Colour
from kaartenoptafel.render.images import image_reader
from kaartenoptafel.render.replay import replay


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


def draw_card(c: Canvas, card: CardLayout, bleed: float | tuple[float, float, float, float] = 0.0) -> None:
    """Draw ``card`` with its bottom-left trim corner at the canvas origin.

    Everything is clipped to the trim box grown by ``bleed`` (points; one value, or (left, bottom, right,
    top)): half the gutter on home sheets (0 where cards touch), the print shop's bleed on print-shop
    pages; bands and backgrounds that touch an edge run that far past the cut.
    A face drawn before on this canvas (the same boxes, whatever the card's id) is replayed, not redrawn.
    """
    key = ("card", card.width, card.height, card.background, tuple(_box_key(b) for b in card.boxes), bleed)
    replay(c, key, lambda: _draw_card(c, card, bleed))


def _box_key(box):
    """What decides how a box draws: an image box's source position (for messages) does not."""
    if isinstance(box, ImageBox):
        return ("image", box.path, box.x, box.y, box.w, box.h)
    return box


def _draw_card(c: Canvas, card: CardLayout, bleed) -> None:
    w, h = card.width, card.height
    sides = bleed if isinstance(bleed, tuple) else (bleed, bleed, bleed, bleed)
    bl, bb, br, bt = sides
    c.saveState()
    path = c.beginPath()
    path.rect(-bl, -bb, w + bl + br, h + bb + bt)
    c.clipPath(path, stroke=0, fill=0)
    set_fill(c, card.background)
    c.rect(-bl, -bb, w + bl + br, h + bb + bt, stroke=0, fill=1)
    for box in card.boxes:
        if isinstance(box, FillBox):
            left, bottom, right, top = (side if edge else 0 for side, edge in zip(sides, box.bleed))
            set_fill(c, box.colour)
            c.rect(box.x - left, box.y - bottom, box.w + left + right, box.h + bottom + top, stroke=0, fill=1)
        elif isinstance(box, TextBox):
            y = box.top
            for flow, height, space in box.fitted.flowables:
                y -= space + height
                draw_flowable(c, flow, box.x, y)
        elif isinstance(box, LineBox):
            set_stroke(c, box.colour)
            c.setLineWidth(box.width)
            c.line(box.x1, box.y1, box.x2, box.y2)
        elif isinstance(box, SquareBox):
            set_stroke(c, box.colour)
            c.setLineWidth(0.9)
            c.rect(box.x, box.y, box.size, box.size, stroke=1, fill=0)
        elif isinstance(box, ImageBox):
            replay(c, _box_key(box), lambda box=box: _draw_image(c, box))
    c.restoreState()


def _draw_image(c: Canvas, box: ImageBox) -> None:
    reader, (iw, ih) = image_reader(box.path, box.w, box.h, box.pos)
    scale = min(box.w / iw, box.h / ih)
    dw, dh = iw * scale, ih * scale
    c.drawImage(reader, box.x + (box.w - dw) / 2, box.y + (box.h - dh) / 2, dw, dh, mask="auto")


def draw_flowable(c: Canvas, flow: Flowable, x: float, y: float) -> None:
    """``flow.drawOn(c, x, y)``, writing the same operators; a flowable drawn before on ``c`` is replayed."""
    if type(flow).drawOn is not Flowable.drawOn or getattr(flow, "_showBoundary", None):
        flow.drawOn(c, x, y)
        return
    c.saveState()
    c.translate(x, y)
    replay(c, ("flow", flow), lambda: flow._drawOn(c))
    c.restoreState()
