"""Checks of one layout frame that need no card: it lies on the card, has room, and names what it prints.

Each is reported once at the frame's line in the layout, instead of once per card later (a frame past the edge
clips its text; one of no size makes every text "run past its frame"; a text frame without a field prints nothing).
"""

from __future__ import annotations

from kaartenoptafel.errors import Collector, Pos


def prints_something(out: Collector, pos: Pos, kind: str, names: dict, fields: list) -> bool:
    """A text, form, stack or image frame names the field (or file) it prints; False once reported."""
    missing = {"text": (not names["field"], "'field: NAME', the field it prints"),
               "form": (not names["field"], "'field: NAME', the list field whose lines it prints"),
               "stack": (not fields, "'fields: [NAME, ...]', at least one field"),
               "image": (not (names["field"] or names["file"]), "'field: NAME' (an image field) or 'file: PATH'")}
    if kind in missing and missing[kind][0]:  # it printed nothing (a title frame without a field: no title, exit 0)
        out.error(pos, f"{'an' if kind == 'image' else 'a'} {kind} frame needs {missing[kind][1]}")
        return False
    return True


def inside_card(out: Collector, pos: Pos, kind: str, values: list, width: float, height: float, safe: float) -> bool:
    """The frame lies on the card and has room; one error at its ``at:`` line (``values``: x, y, w, h in mm,
    w or h None for 'fill')."""
    x, y, w, h = values
    edge = 0.0 if kind == "band" else safe  # 'fill' runs to the card edge (bands) or to the safe margin
    right = x + w if w is not None else width - edge
    bottom = y + h if h is not None else height - edge
    eps = 1e-6
    if right > width + eps or bottom > height + eps:
        over = "right" if right > width + eps else "bottom"
        by = right - width if over == "right" else bottom - height
        out.error(pos, f"this frame sticks out {by:g} mm past the {over} edge of the {width:g} x {height:g} mm card; "
                       "make it smaller or move it")
        return False
    if right - x < 1 - eps or bottom - y < 1 - eps:
        size = f"{right - x:g} x {bottom - y:g} mm"
        out.error(pos, f"this frame is {size}: too small to hold anything (at least 1 x 1 mm)"
                  + ("; with 'fill' it runs to the safe margin, which it starts past" if None in (w, h) else ""))
        return False
    return True
