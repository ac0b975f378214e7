"""The facilitator guide: an A4 handbook to read and print, and the same guide as an A5 booklet.

Everything it says comes from data: the guide text (``guide:`` in cards/gids.yaml), the fixed headings
(``guide_*`` in cards/labels.yaml), the game facts (cards/game.yaml) and the cards themselves. The
materials checklist counts what the other products of the same build produced, so the guide runs last.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from kaartenoptafel import __version__
from kaartenoptafel.build import Job, Product, register_product
from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.booklet import padded, write_booklet
from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.layout.card import CardLayout, layout_card
from kaartenoptafel.layout.text import hyphenation_language, hyphenator, to_markup
from kaartenoptafel.load.checks import fill, variables_in
from kaartenoptafel.load.guide import Guide, parse_guide
from kaartenoptafel.products import guide_rules
from kaartenoptafel.products.labels import label
from kaartenoptafel.products.printplan import Material, materials, other_products
from kaartenoptafel.render.card import draw_card
from kaartenoptafel.render.fonts import FontFamily
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.write.atomic import write_bytes_atomic

A4_FILE = "guide-a4.pdf"  # guide-letter.pdf with --paper letter
BOOKLET_FILE = "guide-booklet.pdf"
A5 = (148.0, 210.0)
HALF_LETTER = (139.7, 215.9)  # the booklet's page with --paper letter: two per Letter sheet

INK = "#1d1d1b"
MUTED = "#5b5b5b"
ACCENT = "#1f5f7a"  # headings and rules; a layout may set colours.guide
TINT = "#e8f0f3"  # the 'say' boxes and table headings
RULE = "#b9c7cd"
# The guide's lines are long, so only long words are split (never "sa-men" or "rou-te"), in the game's language.
GUIDE_MIN_HYPHENATED = 10


@dataclass(frozen=True)
class Geometry:
    """One page format of the guide: sizes in points, the body text size, the catalogue's card width."""

    name: str
    width: float
    height: float
    inner: float  # margin at the fold (left on odd pages)
    outer: float
    top: float
    bottom: float
    size: float  # body text, pt
    thumb: float  # target card width in the catalogue, points

    @property
    def frame_width(self) -> float:
        return self.width - self.inner - self.outer


GEOMETRY = {
    "a4": Geometry("a4", PAPER["a4"][0] * mm, PAPER["a4"][1] * mm, 22 * mm, 22 * mm, 20 * mm, 22 * mm, 10.5, 36 * mm),
    "a5": Geometry("a5", A5[0] * mm, A5[1] * mm, 15 * mm, 13 * mm, 14 * mm, 17 * mm, 9.2, 33 * mm),
    "letter": Geometry("letter", PAPER["letter"][0] * mm, PAPER["letter"][1] * mm, 22 * mm, 22 * mm, 18 * mm,
                       20 * mm, 10.5, 36 * mm),
    "half-letter": Geometry("half-letter", HALF_LETTER[0] * mm, HALF_LETTER[1] * mm, 14 * mm, 12 * mm, 14 * mm,
                            17 * mm, 9.2, 33 * mm),
}
BOOKLET_PAGE = {"a4": "a5", "letter": "half-letter"}
MIN_PRINTED_TEXT = 7.05  # pt: no text of a card drawn small (catalogue, cover) prints below 7 pt


def card_scale(thumbs: dict) -> float:
    """The smallest scale at which every card text still prints at :data:`MIN_PRINTED_TEXT` or more."""
    from kaartenoptafel.layout.card import TextBox

    sizes = [box.fitted.size for lay in thumbs.values() if lay is not None for box in lay.boxes
             if isinstance(box, TextBox)]
    return min(1.0, MIN_PRINTED_TEXT / min(sizes)) if sizes else 0.0  # the home paper -> the booklet's page (half of it)


def guide_file(paper: str) -> str:
    """The guide's one-page-per-sheet file on the build's paper: guide-a4.pdf, guide-letter.pdf."""
    return A4_FILE if paper == "a4" else f"guide-{paper}.pdf"


def _paper(job: Job) -> str:
    paper = getattr(job.options, "paper", "a4")
    return paper if paper in BOOKLET_PAGE else "a4"


# -- what the build produced --------------------------------------------------------------------


# the checklist's lines (Material) and what the build made: see kaartenoptafel.products.printplan


def _labels(kit) -> dict:
    section = kit.sections.get("labels")
    return section.data if section and isinstance(section.data, dict) else {}


# -- styles and flowables ------------------------------------------------------------------------


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
        self.question = style("question", leftIndent=s * 1.3, spaceAfter=s * 0.2)
        self.follow = style("follow", leftIndent=s * 1.3, textColor=MUTED, spaceAfter=s * 0.9)
        self.toc = [
            style("toc0", fontName=family.bold, fontSize=s * 1.1, leading=s * 1.6, spaceBefore=s * 0.5,
                  hyphenationLang=""),
            style("toc1", leftIndent=s * 1.3, leading=s * 1.4, hyphenationLang=""),
        ]
        self.cover_title = style("ct", fontName=family.bold, fontSize=s * 3.4, leading=s * 3.7, textColor=accent,
                                 hyphenationLang="", spaceAfter=s)
        self.cover_sub = style("cs", fontSize=s * 1.5, leading=s * 1.9, hyphenationLang="", spaceAfter=s * 2.5)
        self.cover_kind = style("ck", fontName=family.bold, fontSize=s * 1.5, leading=s * 1.9, textColor=INK,
                                hyphenationLang="", spaceAfter=s * 0.6)
        self.cover_facts = style("cf", textColor=MUTED, hyphenationLang="")


class Heading(Paragraph):
    """A heading that the document turns into a bookmark, an outline entry and (optionally) a TOC line."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, toc: bool = True):
        super().__init__(to_markup(text), style)
        self.plain, self.level, self.key, self.toc = _plain(text), level, key, toc


def _plain(text: str) -> str:
    return re.sub(r"\*+", "", text).strip()


class CheckBox(Flowable):
    """An empty square to tick."""

    def __init__(self, size: float, colour: str):
        super().__init__()
        self.size, self.colour = size, colour

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(HexColor(self.colour))
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


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


# -- the document --------------------------------------------------------------------------------


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


def _canvasmaker(family: FontFamily, title: str, subject: str, duplex: str | None = None, measuring: bool = False):
    """Canvases for the document's passes; a measuring canvas skips the card faces and is never saved."""
    def make(filename, pagesize, **_ignored):
        c = new_canvas(filename, pagesize, family, title, subject, duplex)
        if measuring:
            c.kot_measuring = True
            c.save = lambda: None
        return c

    return make


# -- the story -----------------------------------------------------------------------------------


class Story:
    """Builds the guide's flowables for one page format."""

    def __init__(self, job: Job, guide: Guide, geo: Geometry, rows: list[Material], thumbs: dict):
        self.job, self.kit, self.guide, self.geo = job, job.ctx.kit, guide, geo
        accent = job.ctx.spec.colours.get("guide")
        self.st = Styles(geo, job.ctx.family, accent.hex() if accent else ACCENT, job.ctx.kit.game.language)
        self.rows, self.thumbs = rows, thumbs
        self.flow: list = []
        self.toc = TableOfContents(levelStyles=self.st.toc, dotsMinLevel=0, rightColumnWidth=geo.size * 3,
                                   tableStyle=TableStyle([
                                       ("FONT", (0, 0), (-1, -1), self.st.family.regular),  # not Helvetica
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self._keys = 0

    # helpers
    def L(self, key: str, **values) -> str:  # noqa: N802 - a short name for the many labels
        return label(self.kit, key, **values)

    def text(self, value: str) -> str:
        return to_markup(fill(value, self.kit.game.variables), lang=self.kit.game.language)

    def key(self) -> str:
        self._keys += 1
        return f"h{self._keys}"

    def chapter(self, title: str, toc: bool = True) -> None:
        if self.flow:
            self.flow.append(PageBreak())
        self.flow.append(Heading(title, self.st.h1, 0, self.key(), toc))

    def section(self, title: str, level: int = 1) -> None:
        self.flow.append(CondPageBreak(self.geo.size * 7))
        self.flow.append(Heading(title, self.st.h2, level, self.key()))

    def paras(self, texts, style=None) -> None:
        for t in texts:
            self.flow.append(Paragraph(self.text(t), style or self.st.body))

    def bullets(self, texts) -> None:
        for t in texts:
            self.flow.append(Paragraph(self.text(t), self.st.bullet, bulletText="•"))

    def table(self, data, widths, header=True, total=False, extra=()) -> Table:
        t = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        pad = self.geo.size * 0.45
        cmds = [
            ("FONT", (0, 0), (-1, -1), self.st.family.regular),  # else empty cells set Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, HexColor(RULE)),
        ]
        if header:
            cmds += [("BACKGROUND", (0, 0), (-1, 0), HexColor(TINT)),
                     ("LINEBELOW", (0, 0), (-1, 0), 1, HexColor(self.st.accent))]
        if total:
            cmds += [("LINEABOVE", (0, -1), (-1, -1), 1, HexColor(self.st.accent))]
        t.setStyle(TableStyle(cmds + list(extra)))
        return t

    # chapters
    def build(self) -> list:
        self.cover()
        self.contents()
        self.about()
        self.materials()
        self.preparation()
        self.schedule()
        guide_rules.rules(self)
        self.rounds()
        guide_rules.example(self)
        self.tips()
        self.debrief()
        self.region()
        self.catalogue()
        return self.flow

    def cover(self) -> None:
        st, game = self.st, self.kit.game
        self.flow.append(Spacer(1, self.geo.height * 0.07))
        self.flow.append(Paragraph(self.text(game.title), st.cover_title))
        if game.subtitle:
            self.flow.append(Paragraph(self.text(game.subtitle), st.cover_sub))
        self.flow.append(Paragraph(self.text(self.L("guide_title")), st.cover_kind))
        self.flow.append(Paragraph(self.text(self.L(
            "guide_cover_facts", players=self._players(), tables=game.tables, minutes=game.duration)), st.cover_facts))
        self.flow.append(NextPageTemplate("body-even"))  # page 2 is a left-hand page

    def _players(self) -> str:
        game = self.kit.game
        if game.players_min == game.players_max:
            return str(game.players_min)
        return self.L("guide_players", min=game.players_min, max=game.players_max)

    def contents(self) -> None:
        self.chapter(self.L("guide_contents"), toc=False)
        self.flow.append(self.toc)

    def about(self) -> None:
        g, game = self.guide, self.kit.game
        self.chapter(self.L("guide_about"))
        self.paras(g.intro, self.st.lead)
        facts = [
            (self.L("guide_fact_players"), self._players()),
            (self.L("guide_fact_tables"), str(game.tables)),
            (self.L("guide_fact_duration"), self.L("guide_fact_minutes", n=game.duration)),
            (self.L("guide_fact_cards"), str(len(self.job.printed))),
        ]
        self.flow.append(Spacer(1, self.geo.size * 0.5))
        data = [[Paragraph(self.text(k), self.st.cell_bold), Paragraph(self.text(v), self.st.cell)] for k, v in facts]
        w = self.geo.frame_width
        self.flow.append(self.table(data, [w * 0.45, w * 0.55], header=False))
        if g.goal:
            self.section(self.L("guide_goal"))
            self.paras(g.goal)
        if g.audience:
            self.section(self.L("guide_audience"))
            self.paras(g.audience)

    def materials(self) -> None:
        st, w = self.st, self.geo.frame_width
        self.chapter(self.L("guide_materials"))
        self.flow.append(Paragraph(self.text(self.L("guide_materials_intro", tables=self.kit.game.tables)), st.body))
        box = self.geo.size * 1.05
        head = ["", self.L("guide_materials_what"), self.L("guide_materials_per_table"),
                self.L("guide_materials_total", tables=self.kit.game.tables)]
        data = [[Paragraph(self.text(h), st.cell_num_bold if i >= 2 else st.cell_bold) for i, h in enumerate(head)]]
        extra = []
        for i, r in enumerate(self.rows, start=1):
            bold = r.strong
            if bold:
                extra.append(("LINEBELOW", (0, i), (-1, i), 1, HexColor(self.st.accent)))
            what = [Paragraph(self.text(r.what), st.cell_bold if bold else st.cell)]
            if r.file:
                what.append(Paragraph(to_markup(r.file), st.file))
            data.append([
                CheckBox(box, self.st.accent) if not bold else "",
                what,
                Paragraph("–" if r.per_table is None else str(r.per_table), st.cell_num_bold if bold else st.cell_num),
                Paragraph("" if r.total is None else str(r.total), st.cell_num_bold if bold else st.cell_num),
            ])
        first = box + self.geo.size
        number = self.geo.size * 6
        widths = [first, w - first - 2 * number, number, number]
        self.flow.append(self.table(data, widths, extra=extra))
        self.flow.append(Spacer(1, self.geo.size))
        self.flow.append(Paragraph(self.text(self.L(
            "guide_booklet_note", file=BOOKLET_FILE, a4=guide_file(_paper(self.job)), flip=self.L("calibrate_flip_short"))), st.body))

    def preparation(self) -> None:
        if not self.guide.preparation:
            return
        self.chapter(self.L("guide_preparation"))
        self.checklist(self.guide.preparation)

    def checklist(self, items) -> None:
        box = self.geo.size * 1.05
        w = self.geo.frame_width
        data = [[CheckBox(box, self.st.accent), Paragraph(self.text(t), self.st.cell)] for t in items]
        self.flow.append(self.table(data, [box + self.geo.size, w - box - self.geo.size], header=False))

    def schedule(self) -> None:
        st, w = self.st, self.geo.frame_width
        self.chapter(self.L("guide_schedule"))
        head = ["", self.L("guide_schedule_round"), self.L("guide_schedule_minutes"), self.L("guide_schedule_time")]
        data = [[Paragraph(self.text(h), st.cell_num_bold if i == 2 else st.cell_bold) for i, h in enumerate(head)]]
        start = 0
        for n, r in enumerate(self.guide.rounds, start=1):
            data.append([Paragraph(str(n), st.cell), Paragraph(self.text(r.title), st.cell),
                         Paragraph(str(r.minutes), st.cell_num), Paragraph(f"{_clock(start)}–{_clock(start + r.minutes)}",
                                                                            st.cell)])
            start += r.minutes
        data.append(["", Paragraph(self.text(self.L("guide_schedule_total")), st.cell_bold),
                     Paragraph(str(start), st.cell_num_bold), Paragraph(f"{_clock(0)}–{_clock(start)}", st.cell_bold)])
        self.flow.append(self.table(data, [w * 0.08, w * 0.5, w * 0.16, w * 0.26], total=True))

    def rounds(self) -> None:
        st = self.st
        self.chapter(self.L("guide_rounds"))
        start = 0
        for n, r in enumerate(self.guide.rounds, start=1):
            if n > 1:
                self.flow.append(CondPageBreak(self.geo.size * 12))
            self.flow.append(Heading(self.L("guide_round", n=n, title=fill(r.title, self.kit.game.variables)),
                                     st.h2, 1, self.key()))
            self.flow.append(Paragraph(self.text(self.L("guide_round_time", minutes=r.minutes, start=_clock(start),
                                                          end=_clock(start + r.minutes))), st.meta))
            start += r.minutes
            if r.goal:
                self.flow.append(Paragraph(self.text(self.L("guide_round_goal")), st.h3))
                self.paras(r.goal)
            if r.say:
                self.flow.append(Paragraph(self.text(self.L("guide_round_say")), st.h3))
                self.flow.append(Paragraph("<br/><br/>".join(self.text(p) for p in r.say), st.say))
            if r.steps:
                self.flow.append(Paragraph(self.text(self.L("guide_round_steps")), st.h3))
                for i, step in enumerate(r.steps, start=1):
                    self.flow.append(Paragraph(self.text(step), st.number, bulletText=f"{i}."))

    def tips(self) -> None:
        if not self.guide.tips:
            return
        self.chapter(self.L("guide_tips"))
        self.bullets(self.guide.tips)

    def debrief(self) -> None:
        q = self.guide.questions
        cards = [c for c in self.job.cards if c.type == q["type"]]
        if not self.guide.debrief and not cards:
            return
        self.chapter(self.L("guide_debrief"))
        self.paras(self.guide.debrief)
        if not cards:
            return
        self.section(self.L("guide_debrief_questions"))
        ctype = self.kit.types[q["type"]]
        follow_label = ctype.fields[q["follow_up"]].label if q["follow_up"] in ctype.fields else ""
        for i, card in enumerate(cards, start=1):
            title = card.values.get(q["title"], card.title)
            self.flow.append(Paragraph(f"<b>{to_markup(str(title), lang=self.kit.game.language)}</b>", self.st.h3, bulletText=f"{i}."))
            question = card.values.get(q["question"])
            if question:
                self.flow.append(Paragraph(to_markup(str(question), lang=self.kit.game.language), self.st.question))
            follow = card.values.get(q["follow_up"])
            if follow:
                self.flow.append(Paragraph(f"<i>{to_markup(follow_label)}:</i> {to_markup(str(follow), lang=self.kit.game.language)}",
                                           self.st.follow))

    def region(self) -> None:
        """A page about the region: shown when the game sets the variables its title uses."""
        variables = self.kit.game.variables
        labels = _labels(self.kit)

        def usable(key: str) -> bool:
            return key in labels and all(v in variables for v in variables_in(str(labels[key])))

        if not usable("guide_region"):
            return
        self.chapter(self.L("guide_region"))
        for key in ("guide_region_library", "guide_region_support"):
            if usable(key):
                self.flow.append(Paragraph(self.text(self.L(key)), self.st.body))
        p = self.guide.partners
        partners = [c for c in self.job.cards if c.type == p["type"]]
        if not partners:
            return
        self.section(self.L("guide_region_partners"))
        groups: dict[str, list[str]] = {}
        for card in partners:
            group = str(card.raw.get(p["group"], ""))
            groups.setdefault(group, []).append(str(card.values.get(p["name"], card.title)))
        order = list(self.kit.game.groups) + [g for g in groups if g not in self.kit.game.groups]
        for gid in order:
            if gid in groups:
                name = self.kit.game.groups.get(gid, gid)
                self.flow.append(Paragraph(f"<b>{to_markup(name)}</b>: {to_markup(', '.join(groups[gid]))}",
                                           self.st.bullet, bulletText="•"))

    def catalogue(self) -> None:
        st, geo = self.st, self.geo
        self.chapter(self.L("guide_catalogue"))
        self.flow.append(Paragraph(self.text(self.L("guide_catalogue_intro")), st.body))
        spec = self.job.ctx.spec
        card_w = spec.width * mm
        gap = geo.size * 1.1
        thumb = max(geo.thumb, card_w * card_scale(self.thumbs))  # fewer cards per row, none below 7 pt
        cols = max(1, int((geo.frame_width + gap) // (thumb + gap)))
        scale = (geo.frame_width - (cols - 1) * gap) / cols / card_w
        for tid, ctype in self.kit.types.items():
            cards = [c for c in self.job.cards if c.type == tid and self.thumbs.get(c.id) is not None]
            if not cards:
                continue
            self.section(self.L("guide_catalogue_type", plural=ctype.plural, n=len(cards)))
            for i in range(0, len(cards), cols):
                chunk = cards[i:i + cols]
                self.flow.append(CardRow(
                    [(self.thumbs[c.id], c.id, self.L("guide_card_count", n=c.count) if c.count > 1 else "")
                     for c in chunk], scale, gap, st))
                self.flow.append(Spacer(1, gap * 0.6))

    def notes(self, pages: int) -> list:
        """Ruled notes pages that fill a booklet up to a multiple of four pages."""
        flow = []
        for _ in range(pages):
            flow.append(PageBreak())
            flow.append(Paragraph(self.text(self.L("guide_notes")), self.st.h1))
            flow.append(Lines(self.geo.size * 2.3, RULE))
        return flow


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _cover_art(job: Job, thumbs: dict):
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


def render_guide(job: Job, guide: Guide, geo: Geometry, rows: list[Material], thumbs: dict, target,
                 outline: bool, pad_to: int = 1, duplex: str | None = None) -> int:
    """Write the guide in one page format; returns its page count (padded with notes pages to ``pad_to``)."""
    kit = job.ctx.kit
    title = f"{kit.game.title} · {label(kit, 'guide_title')}"
    footer = label(kit, "guide_footer")
    maker = _canvasmaker(job.ctx.family, title, footer, duplex)

    def make_doc(out):
        doc = GuideDoc(out, geo, job.ctx.family, title, footer, outline, kit.game.language)
        doc.cover_art = _cover_art(job, thumbs)
        return doc

    # Lay out until the table of contents settles, without drawing the card faces (only their sizes count),
    # then draw once: a fresh story (a build spends its flowables: keepWithNext is switched off once used)
    # seeded with the settled contents, and padded with notes pages to a multiple of ``pad_to`` pages.
    story = Story(job, guide, geo, rows, thumbs)
    flow = story.build()
    # the contents' lines are known before the first pass, their page numbers not: the first pass then
    # lays out a contents as long as the real one, and the second only confirms the page numbers
    story.toc.addEntries([(f.level, f.plain, 0, f.key) for f in flow if isinstance(f, Heading) and f.toc])
    doc = make_doc(io.BytesIO())
    doc.multiBuild(flow, canvasmaker=_canvasmaker(job.ctx.family, title, footer, duplex, measuring=True))
    extra = (-doc.page) % pad_to
    entries = list(story.toc._entries)
    story = Story(job, guide, geo, rows, thumbs)
    story.toc.addEntries(entries)
    buffer = io.BytesIO()
    doc = make_doc(buffer)
    doc.multiBuild(story.build() + story.notes(extra), canvasmaker=maker)
    pages = doc.page
    data = buffer.getvalue()
    if isinstance(target, (str, Path)):
        write_bytes_atomic(Path(target), data)
    else:
        target.write(data)
    return pages


def _guide(job: Job) -> None:
    kit = job.ctx.kit
    section = kit.sections.get("guide")
    if section is None:
        return  # a kit without guide text (cards/gids.yaml) builds no guide
    out = Collector()
    guide = parse_guide(section, kit.game, kit.types, out)
    out.raise_if_any()
    rows = materials(job, guide, other_products(job))
    thumbs = {card.id: layout_card(job.ctx, card, job.out) for card in job.cards}
    job.out.raise_if_any()

    paper = _paper(job)
    name = guide_file(paper)
    paper_name = "A4" if paper == "a4" else paper.capitalize()
    pages = render_guide(job, guide, GEOMETRY[paper], rows, thumbs, job.stage / name, outline=True, duplex="long")
    job.products.append(Product("guide-a4", name, pages, paper_name))
    job.progress.advance(1, f"guide ({paper_name})")

    a5 = io.BytesIO()
    a5_pages = render_guide(job, guide, GEOMETRY[BOOKLET_PAGE[paper]], rows, thumbs, a5, outline=False, pad_to=4)
    title = f"{kit.game.title} · {label(kit, 'guide_title')}"
    sheet = (PAPER[paper][1] * mm, PAPER[paper][0] * mm)
    data = write_booklet(a5.getvalue(), sheet, {"Title": title, "Author": "kaartenoptafel",
                                                "Creator": f"kaartenoptafel {__version__}"})
    write_bytes_atomic(job.stage / BOOKLET_FILE, data)
    job.products.append(Product("guide-booklet", BOOKLET_FILE, padded(a5_pages) // 2, f"{paper_name} landscape",
                                {"duplex": "short", "booklet_pages": padded(a5_pages),
                                 "page_size": "A5" if paper == "a4" else "half Letter"}))
    job.progress.advance(1, "guide (booklet)")


register_product("guide", _guide)
