"""The guide's colours and paragraph styles, and the scale at which its small cards stay readable."""

from __future__ import annotations

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from kaartenoptafel.layout.text import hyphenation_language, hyphenator
from kaartenoptafel.products.guide_pages import Geometry
from kaartenoptafel.render.fonts import FontFamily

INK = "#1d1d1b"
MUTED = "#5b5b5b"
ACCENT = "#1f5f7a"  # headings and rules; a layout may set colours.guide
TINT = "#e8f0f3"  # the 'say' boxes and table headings
RULE = "#b9c7cd"
# The guide's lines are long, so only long words are split (never "sa-men" or "rou-te"), in the game's language.
GUIDE_MIN_HYPHENATED = 10

MIN_PRINTED_TEXT = 7.05  # pt: no text of a card drawn small (catalogue, cover) prints below 7 pt


def card_scale(thumbs: dict) -> float:
    """The smallest scale at which every card text still prints at :data:`MIN_PRINTED_TEXT` or more."""
    from kaartenoptafel.layout.card import TextBox

    sizes = [box.fitted.size for lay in thumbs.values() if lay is not None for box in lay.boxes
             if isinstance(box, TextBox)]
    return min(1.0, MIN_PRINTED_TEXT / min(sizes)) if sizes else 0.0  # the home paper -> the booklet's page (half of it)



class Styles:
    def __init__(self, geo: Geometry, family: FontFamily, accent: str, language: str = "nl"):
        s = geo.size
        self.geo, self.family, self.accent = geo, family, accent
        words = hyphenator(hyphenation_language(language), GUIDE_MIN_HYPHENATED)

        def style(name, **kw):
            base = dict(fontName=family.regular, fontSize=s, leading=s * 1.38, textColor=INK,
                        hyphenationLang=words, embeddedHyphenation=1, uriWasteReduce=0.3,
                        bulletFontName=family.regular)
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.body = style("body", spaceAfter=s * 0.55)
        self.lead = style("lead", fontSize=s * 1.12, leading=s * 1.55, spaceAfter=s * 0.8)
        self.file = style("file", fontSize=s * 0.85, leading=s * 1.2, textColor=MUTED, spaceBefore=s * 0.15,
                          hyphenationLang="")
        self.cell = style("cell", spaceAfter=0, leading=s * 1.25, hyphenationLang="")
        self.cell_bold = style("cellb", fontName=family.bold, spaceAfter=0, leading=s * 1.25, hyphenationLang="")
        self.cell_num = style("celln", alignment=TA_RIGHT, spaceAfter=0, leading=s * 1.25)
        self.cell_num_bold = style("cellnb", fontName=family.bold, alignment=TA_RIGHT, spaceAfter=0,
                                   leading=s * 1.25)
        heading = dict(fontName=family.bold, textColor=accent, hyphenationLang="", keepWithNext=1)
        self.h1 = style("h1", fontSize=s * 2.0, leading=s * 2.3, spaceAfter=s * 1.1, **heading)
        self.h2 = style("h2", fontSize=s * 1.35, leading=s * 1.65, spaceBefore=s * 1.3, spaceAfter=s * 0.45,
                        **heading)
        self.h3 = style("h3", fontSize=s * 1.05, leading=s * 1.35, spaceBefore=s * 0.7, spaceAfter=s * 0.25,
                        **dict(heading, textColor=INK))
        self.meta = style("meta", textColor=MUTED, spaceAfter=s * 0.6, keepWithNext=1)
        self.say = style("say", fontName=family.italic, backColor=TINT, borderPadding=(s * 0.6, s * 0.8),
                         leftIndent=s * 0.8, rightIndent=s * 0.8, spaceBefore=s * 0.6, spaceAfter=s * 1.3)
        self.bullet = style("bullet", leftIndent=s * 1.3, bulletIndent=s * 0.2, spaceAfter=s * 0.3)
        self.number = style("number", leftIndent=s * 1.7, bulletIndent=0, spaceAfter=s * 0.3)
        self.question = style("question", leftIndent=s * 1.3, spaceAfter=s * 0.2, keepWithNext=1)  # with its follow-up
        self.follow = style("follow", leftIndent=s * 1.3, textColor=MUTED, spaceAfter=s * 0.9)
        self.toc = [
            style("toc0", fontName=family.bold, fontSize=s * 1.1, leading=s * 1.4, spaceBefore=s * 0.25,
                  hyphenationLang=""),
            style("toc1", leftIndent=s * 1.3, leading=s * 1.22, hyphenationLang=""),
        ]
        self.cover_title = style("ct", fontName=family.bold, fontSize=s * 3.4, leading=s * 3.7, textColor=accent,
                                 hyphenationLang="", spaceAfter=s)
        self.cover_sub = style("cs", fontSize=s * 1.5, leading=s * 1.9, hyphenationLang="", spaceAfter=s * 2.5)
        self.cover_kind = style("ck", fontName=family.bold, fontSize=s * 1.5, leading=s * 1.9, textColor=INK,
                                hyphenationLang="", spaceAfter=s * 0.6)
        self.cover_facts = style("cf", textColor=MUTED, hyphenationLang="")
