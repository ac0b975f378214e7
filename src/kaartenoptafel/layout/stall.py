"""The board's place "Hier hapert het" (where the route stalls): a marked box beside the route.

Players lay a marker there for the step where their route gets stuck, so the stall is on the board for round 4
(the agreements start from it) and for the debrief, instead of being said once and forgotten. Its texts are
``board.stall`` in cards/board.yaml (heading, text); its place is ``board.stall.at`` in layouts/board.yaml.
A kit without ``stall`` texts has no such place. It is laid out once the rest of the board has its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaartenoptafel.impose.tiles import Rect
from kaartenoptafel.layout.board import Board
from kaartenoptafel.layout.text import Fitted

WHAT = "the 'stall' place (board.stall)"


@dataclass(frozen=True)
class Stall:
    rect: Rect  # points, on the board
    heading: Fitted | None
    text: Fitted | None


def lay_out_stall(board: Board, texts: tuple[str, str], at: list[float]) -> Stall:
    """Place and check the stall box (``at``: [x, y, width, height] in reference mm) beside the laid-out board."""
    content, style, out = board.content, board.style, board.out
    heading, text = texts
    x, y, w, h = at
    x0, y1 = board.P(x, y)
    rect = Rect(x0, y1 - board.L(h), x0 + board.L(w), y1)
    key = ("board", "stall", "at")
    board.check_rect(rect, key, WHAT)
    others = [("the title box", board.title_box), ("the legend", board.legend_box)]
    others += [(f"route step {i + 1}'s card outline", r) for i, r in enumerate(board.route_rects)]
    for name, other in others:
        if rect.intersection(other):
            out.error(style.pos(*key), f"{WHAT} overlaps {name} on a {board.size.upper()} board; move it")
    pad = board.L(board.look.padding)
    inner = rect.w - 2 * pad
    head = board.fit_text(heading, board.look.colours["route"], inner, rect.h * 0.45, board.look.sizes["step"],
                      content.pos("stall", "heading"), "the stall place's heading", bold=True, align="left")
    room = rect.h - 2 * pad - (head.height if head else 0)
    body = board.fit_text(text, board.look.colours["ink"], inner, room, board.look.sizes["slot"], content.pos("stall", "text"),
                      "the stall place's text", align="left") if room > 0 else None
    return Stall(rect, head, body)
