"""An empty square to tick, as a platypus flowable: the guide's checklists and the table card's success list."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable


class CheckBox(Flowable):
    """An empty square ``size`` points wide, outlined in ``colour`` with a ``line`` point stroke."""

    def __init__(self, size: float, colour: str, line: float = 0.8):
        super().__init__()
        self.size, self.colour, self.line = size, colour, line

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(HexColor(self.colour))
        self.canv.setLineWidth(self.line)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)
