"""The guide as a reportlab document: the cover with its picture, body pages with a footer, bookmarks and contents."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from kaartenoptafel import __version__
from kaartenoptafel.build import Job
from kaartenoptafel.products.guide_flowables import Heading
from kaartenoptafel.products.guide_pages import Geometry
from kaartenoptafel.products.guide_style import MUTED, RULE, card_scale
from kaartenoptafel.render.card import draw_card
from kaartenoptafel.render.fonts import FontFamily
from kaartenoptafel.render.pdf import new_canvas


class GuideDoc(BaseDocTemplate):
    """Cover, then body pages with a footer; headings become bookmarks, outline entries and TOC lines."""

    def __init__(self, target, geo: Geometry, family: FontFamily, title: str, footer: str, outline: bool,
                 language: str = "nl"):
        super().__init__(target, pagesize=(geo.width, geo.height), leftMargin=geo.inner, rightMargin=geo.outer,
                         topMargin=geo.top, bottomMargin=geo.bottom, title=title, author="kaartenoptafel",
                         creator=f"kaartenoptafel {__version__}", subject=footer, invariant=1, pageCompression=1,
                         initialFontName=family.regular, lang=str(language).replace("_", "-"))
        self.geo, self.family, self.footer, self.outline = geo, family, footer, outline
        if outline:
            self.pageMode = "UseOutlines"
        odd = Frame(geo.inner, geo.bottom, geo.frame_width, geo.height - geo.top - geo.bottom, 0, 0, 0, 0, id="odd")
        even = Frame(geo.outer, geo.bottom, geo.frame_width, geo.height - geo.top - geo.bottom, 0, 0, 0, 0,
                     id="even")
        cover = Frame(geo.inner, geo.bottom, geo.frame_width, geo.height - geo.top - geo.bottom, 0, 0, 0, 0,
                      id="cover")
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._cover),
            PageTemplate("body", [odd], onPage=self._footer, autoNextPageTemplate="body-even"),
            PageTemplate("body-even", [even], onPage=self._footer, autoNextPageTemplate="body"),
        ])
        self.cover_art = None  # a callable drawing the cover's picture

    def _cover(self, c, doc):
        if self.cover_art and not getattr(c, "kot_measuring", False):
            self.cover_art(c, self.geo)

    def _footer(self, c, doc):
        geo, n = self.geo, doc.page
        size = geo.size * 0.82
        y = geo.bottom - 2.2 * geo.size
        left, right = (geo.inner, geo.width - geo.outer) if n % 2 else (geo.outer, geo.width - geo.inner)
        c.saveState()
        c.setStrokeColor(HexColor(RULE))
        c.setLineWidth(0.5)
        c.line(left, y + size * 1.6, right, y + size * 1.6)
        c.setFillColor(HexColor(MUTED))
        c.setFont(self.family.regular, size)
        if n % 2:  # odd page: the number at the outer (right) edge
            c.drawString(left, y, self.footer)
            c.setFont(self.family.bold, size * 1.1)
            c.drawRightString(right, y, str(n))
        else:
            c.drawRightString(right, y, self.footer)
            c.setFont(self.family.bold, size * 1.1)
            c.drawString(left, y, str(n))
        c.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.key)
            if self.outline:
                self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level, closed=True)
            if flowable.toc:
                self.notify("TOCEntry", (flowable.level, flowable.plain, self.page, flowable.key))


def canvasmaker(family: FontFamily, title: str, subject: str, duplex: str | None = None, measuring: bool = False):
    """Canvases for the document's passes; a measuring canvas skips the card faces and is never saved."""
    def make(filename, pagesize, **_ignored):
        c = new_canvas(filename, pagesize, family, title, subject, duplex)
        if measuring:
            c.kot_measuring = True
            c.save = lambda: None
        return c

    return make


def cover_picture(job: Job, thumbs: dict):
    """The cover picture: a strip in the card types' colours, and one card of each type fanned out below."""
    ctx = job.ctx
    colours = [ctx.type_layout(t).colour for t in ctx.kit.types.values()]
    picks = []
    for tid in ctx.kit.types:
        card = next((c for c in job.cards if c.type == tid and thumbs.get(c.id) is not None), None)
        if card is not None:
            picks.append(thumbs[card.id])
    picks = picks[:5]
    least = card_scale(thumbs)

    def draw(c, geo: Geometry):
        fw, x0 = geo.frame_width, geo.inner
        shown = list(picks)
        if shown:  # as many cards as fit the fan at a scale that keeps their text at 7 pt or more
            need = shown[0].width * least
            while len(shown) > 1 and need * ((len(shown) - 1) * 0.62 + 1.3) > fw * 0.95:
                shown.pop()
        top = geo.height - geo.top
        for i, colour in enumerate(colours):
            seg = fw / len(colours)
            c.setFillColorRGB(*colour.as_rgb())
            c.rect(x0 + i * seg, top - 2.5 * mm, seg, 2.5 * mm, stroke=0, fill=1)
        if not shown:
            return
        n = len(shown)
        cw = max(min(fw * 0.95 / ((n - 1) * 0.62 + 1.3), fw * 0.34), shown[0].width * least)
        scale = cw / shown[0].width
        base = geo.height * 0.33 - cw * shown[0].height / shown[0].width / 2  # the fan's middle at a third
        for i, lay in enumerate(shown):
            t = i - (n - 1) / 2
            c.saveState()
            c.translate(geo.width / 2 + t * cw * 0.62, base - abs(t) * cw * 0.06)
            c.rotate(-t * 6)
            c.scale(scale, scale)
            c.translate(-lay.width / 2, 0)
            draw_card(c, lay, 0.0)
            c.setStrokeColor(HexColor(RULE))
            c.setLineWidth(0.6 / scale)
            c.rect(0, 0, lay.width, lay.height, stroke=1, fill=0)
            c.restoreState()

    return draw
