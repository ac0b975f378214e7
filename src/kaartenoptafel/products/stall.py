"""The board's place "Hier hapert het" (where the route stalls): a marked box beside the route.

Players lay a marker there for the step where their route gets stuck, so the stall is on the board for round 4
(the agreements start from it) and for the debrief, instead of being said once and forgotten. Its texts are
``board.stall`` in cards/board.yaml (heading, text); its place is ``board.stall.at`` in layouts/board.yaml.
A kit without ``stall`` texts has no such place. Kept apart from board.py (which is already long); it reads
the laid-out board it is given and imports nothing from it, so there is no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.impose.tiles import Rect
from kaartenoptafel.layout.text import Fitted
from kaartenoptafel.render.card import set_fill, set_stroke

WHAT = "the 'stall' place (board.stall)"


@dataclass(frozen=True)
class Stall:
    rect: Rect  # points, on the board
    heading: Fitted | None
    text: Fitted | None


def lay_out_stall(board) -> Stall | None:
    """Read, place and check the stall box; None when the kit has no ``board.stall`` texts (or after an error)."""
    content, style, out = board.content, board.style, board.out
    if content.optional("stall") is None:
        return None
    content.mapping("stall", allowed=("heading", "text"))
    heading, text = content.text("stall", "heading"), content.text("stall", "text")
    if style.get("board", "stall") is None or not isinstance(style.get("board", "stall"), dict):
        out.error(content.pos("stall"), "cards/board.yaml has texts for the 'stall' place but layouts/board.yaml "
                                        "gives it no place; add 'stall: {at: [x, y, width, height]}' under 'board:'")
        return None
    style.keys("board", "stall", allowed=("at",))
    x, y, w, h = style.numbers("board", "stall", "at", count=4, low=0, high=420)
    x0, y1 = board.P(x, y)
    rect = Rect(x0, y1 - board.L(h), x0 + board.L(w), y1)
    key = ("board", "stall", "at")
    board._check_rect(rect, key, WHAT)
    others = [("the title box", board.title_box), ("the legend", board.legend_box)]
    others += [(f"route step {i + 1}'s card outline", r) for i, r in enumerate(board.route_rects)]
    for name, other in others:
        if rect.intersection(other):
            out.error(style.pos(*key), f"{WHAT} overlaps {name} on a {board.size.upper()} board; move it")
    pad = board.L(board.padding)
    inner = rect.w - 2 * pad
    head = board._fit(heading, board.colours["route"], inner, rect.h * 0.45, board.sizes["step"],
                      content.pos("stall", "heading"), "the stall place's heading", bold=True, align="left")
    room = rect.h - 2 * pad - (head.height if head else 0)
    body = board._fit(text, board.colours["ink"], inner, room, board.sizes["slot"], content.pos("stall", "text"),
                      "the stall place's text", align="left") if room > 0 else None
    return Stall(rect, head, body)


def draw_stall(board, c: Canvas, stall: Stall | None) -> None:
    """A dashed box in the route's colour, the heading at its top and the hint below it."""
    if stall is None:
        return
    r = stall.rect
    set_fill(c, board.colours["persona"])
    set_stroke(c, board.colours["route"])
    c.setLineWidth(max(1.0, board.pt(1.4)))
    c.setDash(board.pt(5), board.pt(3))
    c.roundRect(r.x0, r.y0, r.w, r.h, board.corner * mm, stroke=1, fill=1)
    c.setDash()
    pad = board.L(board.padding)
    y = r.y1 - pad
    if stall.heading is not None:
        y = board._draw_fitted(c, stall.heading, r.x0 + pad, y)
    if stall.text is not None:
        board._draw_fitted(c, stall.text, r.x0 + pad, y - board.pt(1.5))
