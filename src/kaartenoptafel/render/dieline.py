"""The die-line of a print-shop card: its trim with the layout's rounded corners, as a spot colour.

A print shop that die-cuts rounded corners needs the cut's shape, but it must never print. So it is drawn in
a separation (spot) colour named ``CutContour``, the name cutting software looks for, as a hairline that
overprints: it knocks nothing out of the artwork, and the shop's RIP sends it to the cutter, not to a plate.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

SPOT = "CutContour"
CUT = CMYKColorSep(0, 1, 0, 0, spotName=SPOT, density=1)  # shown magenta in a viewer that previews spots


def die_line(c: Canvas, x: float, y: float, w: float, h: float, radius: float) -> None:
    """The trim rectangle at (x, y, w, h) points with corners of ``radius`` points, in the CutContour spot."""
    if radius <= 0:
        return
    c.saveState()
    c.setStrokeOverprint(True)
    c.setStrokeColor(CUT)
    c.setLineWidth(0.25)
    c.roundRect(x, y, w, h, radius, stroke=1, fill=0)
    c.restoreState()
