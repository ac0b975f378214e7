"""The guide's own flowables: headings that feed the contents, checkboxes, rows of small cards, ruled notes."""

from __future__ import annotations

import re

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from kaartenoptafel.layout.card import CardLayout
from kaartenoptafel.layout.text import to_markup
from kaartenoptafel.products.guide_style import INK, MUTED, RULE, Styles
from kaartenoptafel.render.card import draw_card


class Heading(Paragraph):
    """A heading that the document turns into a bookmark, an outline entry and (optionally) a TOC line."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, toc: bool = True):
        super().__init__(to_markup(text), style)
        self.plain, self.level, self.key, self.toc = _plain(text), level, key, toc


def _plain(text: str) -> str:
    return re.sub(r"\*+", "", text).strip()


class CardRow(Flowable):
    """A row of card fronts, drawn small by the card renderer itself, each with its id below."""

    def __init__(self, cards: list[tuple[CardLayout, str, str]], scale: float, gap: float, styles: Styles):
        super().__init__()
        self.cards, self.scale, self.gap, self.styles = cards, scale, gap, styles
        first = cards[0][0]
        self.cw, self.ch = first.width * scale, first.height * scale
        self.caption = styles.geo.size * 0.82

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.ch + self.caption * 2.2

    def draw(self):
        c = self.canv
        if getattr(c, "kot_measuring", False):
            return  # a pass that only measures: the row's size does not depend on what is drawn in it
        base = self.caption * 2.2
        family = self.styles.family
        for i, (lay, cid, count) in enumerate(self.cards):
            x = i * (self.cw + self.gap)
            c.saveState()
            c.translate(x, base)
            c.scale(self.scale, self.scale)
            draw_card(c, lay, 0.0)
            c.restoreState()
            c.setStrokeColor(HexColor(RULE))
            c.setLineWidth(0.5)
            c.rect(x, base, self.cw, self.ch, stroke=1, fill=0)
            y = base - self.caption * 1.35
            room = self.cw
            if count:
                c.setFillColor(HexColor(MUTED))
                c.setFont(family.regular, self.caption)
                c.drawRightString(x + self.cw, y, count)
                room -= stringWidth(count, family.regular, self.caption) + self.caption * 0.5
            size = min(self.caption, self.caption * room / max(stringWidth(cid, family.bold, self.caption), 1))
            size = max(size, 7.0)  # a long id shrinks to the card's width, but not below 7 pt: then it is cut
            while len(cid) > 4 and stringWidth(cid, family.bold, size) > room:
                cid = cid[:-2] + "…"
            c.setFillColor(HexColor(INK))
            c.setFont(family.bold, size)
            c.drawString(x, y, cid)


class Lines(Flowable):
    """Ruled writing lines filling the rest of the frame (the notes pages that pad a booklet)."""

    def __init__(self, pitch: float, colour: str):
        super().__init__()
        self.pitch, self.colour = pitch, colour

    def wrap(self, aw, ah):
        self.width, self.height = aw, ah - 1
        return self.width, self.height

    def draw(self):
        self.canv.setStrokeColor(HexColor(self.colour))
        self.canv.setLineWidth(0.4)
        y = self.height - self.pitch
        while y > 0:
            self.canv.line(0, y, self.width, y)
            y -= self.pitch
