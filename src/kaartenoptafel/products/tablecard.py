"""The table card: one sheet per table, so players run every round without asking the facilitator.

The front lists the rounds (number, minutes, clock time, what the table does); the back says who does what at
the table, the rules that use the tokens and consent, and the checklist that scores the route in the debrief.
Everything printed comes from data: ``table_card:`` in cards/tafel.yaml (see :mod:`kaartenoptafel.load.tablecard`)
and the ``table_card_*`` headings in cards/labels.yaml. Large type for reading at arm's length across a table:
body text 12 pt, shrinking to no less than 10 pt before the card is allowed a third page (which is an error).
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, LayoutError, CondPageBreak, Frame, KeepTogether, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)

from kaartenoptafel import __version__
from kaartenoptafel.build import Job, Product, register_check, register_product
from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.layout.text import to_markup
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.tablecard import TableCard, parse_table_card
from kaartenoptafel.products.labels import label
from kaartenoptafel.render.checkbox import CheckBox
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.write.atomic import write_bytes_atomic

KIND = "table-card"
SIZES = (12.0, 11.5, 11.0, 10.5, 10.0)  # body text, pt: tried in turn until the card fits on two pages
MAX_PAGES = 2
INK = "#1d1d1b"
MUTED = "#545454"
ACCENT = "#1f5f7a"  # as the guide's headings; a layout's colours.guide overrides both
TINT = "#e8f0f3"
RULE = "#b9c7cd"
BOX_MM = 5.0  # tick boxes of the success checklist: at least 4 mm to tick with a pen


def file_name(paper: str) -> str:
    return f"{KIND}-{paper}.pdf"


class _Doc(BaseDocTemplate):
    """Pages with a coloured title band and a footer that counts the pages."""

    def __init__(self, target, size, family, title: str, band: str, game: str, footer: str, accent: str, **kw):
        margin = 14 * mm
        self.band_h = 20 * mm
        super().__init__(target, pagesize=size, leftMargin=margin, rightMargin=margin,
                         topMargin=margin + self.band_h + 5 * mm, bottomMargin=margin + 6 * mm, title=title,
                         author="kaartenoptafel", creator=f"kaartenoptafel {__version__}", subject="table card",
                         invariant=1, pageCompression=1, initialFontName=family.regular, **kw)
        self.family, self.band, self.game, self.footer = family, band, game, footer
        self.accent, self.margin = accent, margin
        frame = Frame(margin, self.bottomMargin, size[0] - 2 * margin, size[1] - self.topMargin - self.bottomMargin,
                      0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page)])
        self.total = 0  # pages of the previous pass, for "1/2" in the footer

    def _page(self, c, doc):
        w, h = self.pagesize
        m = self.margin
        c.saveState()
        c.setFillColor(HexColor(self.accent))
        c.roundRect(m, h - m - self.band_h, w - 2 * m, self.band_h, 2.5 * mm, stroke=0, fill=1)
        c.setFillColor(HexColor("#ffffff"))
        c.setFont(self.family.bold, 22)
        c.drawString(m + 6 * mm, h - m - self.band_h / 2 - 7.5, self.band)
        c.setFont(self.family.regular, 11)
        c.drawRightString(w - m - 6 * mm, h - m - self.band_h / 2 - 4, self.game)
        c.setFillColor(HexColor(MUTED))
        c.setFont(self.family.regular, 9)
        pages = f" · {doc.page}/{self.total}" if self.total > 1 else ""
        c.drawString(m, m, self.footer + pages)
        c.restoreState()


class _Story:
    def __init__(self, job: Job, card: TableCard, size: float, accent: str, width: float):
        self.kit, self.card, self.size, self.accent, self.width = job.ctx.kit, card, size, accent, width
        family = job.ctx.family
        s = size

        def style(name, **kw):
            # no hyphenation: whole words are easier for weak readers, and ragged lines cost nothing here
            base = dict(fontName=family.regular, fontSize=s, leading=s * 1.3, textColor=INK, hyphenationLang="",
                        bulletFontName=family.regular, bulletFontSize=s, splitLongWords=0)
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.body = style("body", spaceAfter=s * 0.3)
        self.lead = style("lead", fontSize=s * 1.05, spaceAfter=s * 0.6)
        self.bullet = style("bullet", leftIndent=s * 1.1, bulletIndent=0, spaceAfter=s * 0.25)
        self.h2 = style("h2", fontName=family.bold, fontSize=s * 1.35, leading=s * 1.65, textColor=accent,
                        spaceBefore=s * 0.6, spaceAfter=s * 0.45, keepWithNext=1)
        self.round_title = style("rt", fontName=family.bold, fontSize=s * 1.15, leading=s * 1.4, spaceAfter=s * 0.2)
        self.number = style("num", fontName=family.bold, fontSize=s * 1.8, leading=s * 2.0, textColor=accent)
        self.meta = style("meta", fontSize=s, leading=s * 1.25, textColor=MUTED)
        self.cell = style("cell", spaceAfter=0)
        self.cell_bold = style("cellb", fontName=family.bold, spaceAfter=0)
        self.family = family

    def L(self, key: str, **values) -> str:  # noqa: N802 - a short name for the many labels
        return label(self.kit, key, **values)

    def text(self, value: str) -> str:
        return to_markup(fill(value, self.kit.game.variables), lang=self.kit.game.language)

    def table(self, data, widths, cmds=()) -> Table:
        t = Table(data, colWidths=widths, hAlign="LEFT")
        pad = self.size * 0.45
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.family.regular),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("LINEBELOW", (0, 0), (-1, -1), 0.6, HexColor(RULE)),
            *cmds]))
        return t

    def rounds(self) -> list:
        flow = []
        for p in self.card.intro:
            flow.append(Paragraph(self.text(p), self.lead))
        flow.append(Paragraph(self.text(self.L("table_card_rounds")), self.h2))
        left = self.size * 6.2
        start = 0
        for n, r in enumerate(self.card.rounds, start=1):
            side = [Paragraph(str(n), self.number),
                    Paragraph(self.text(self.L("table_card_minutes", minutes=r.minutes)), self.cell_bold),
                    Paragraph(f"{_clock(start)}–{_clock(start + r.minutes)}", self.meta)]
            start += r.minutes
            main = [Paragraph(self.text(r.title), self.round_title)]
            main += [Paragraph(self.text(step), self.bullet, bulletText="•") for step in r.do]
            flow.append(self.table([[side, main]], [left, self.width - left]))
        return flow

    def back(self) -> list:
        s = self.size
        flow = [Paragraph(self.text(self.L("table_card_roles")), self.h2)]
        rows = [[Paragraph(self.text(r.name), self.cell_bold), Paragraph(self.text(r.does), self.cell)]
                for r in self.card.roles]
        if rows:
            flow.append(self.table(rows, [self.width * 0.3, self.width * 0.7]))
        flow.append(CondPageBreak(s * 8))
        flow.append(Paragraph(self.text(self.L("table_card_rules")), self.h2))
        flow += [Paragraph(self.text(rule), self.bullet, bulletText="•") for rule in self.card.rules]
        box = BOX_MM * mm
        rows = [[CheckBox(box, self.accent, line=1.0), Paragraph(self.text(item), self.cell)] for item in self.card.success]
        if rows:
            head = Paragraph(self.text(self.L("table_card_success")), self.h2)
            flow.append(KeepTogether([head, self.table(rows, [box + s * 1.4, self.width - box - s * 1.4],
                                                       [("LINEBELOW", (0, 0), (-1, -1), 0.6, HexColor(RULE))])]))
        return flow


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def render_table_card(job: Job, card: TableCard, paper: str, sizes: tuple[float, ...] = SIZES,
                      measure: bool = False) -> tuple[bytes | None, int, float] | None:
    """The PDF, its pages and its body size; None when it does not fit on two pages even at the smallest size.

    ``sizes`` are tried in turn; each try is laid out on its own, so trying only the smallest finds whether any fits.
    ``measure``: only the pages and the body size (the PDF is None): each size is laid out once, nothing drawn."""
    ctx = job.ctx
    kit = ctx.kit
    size = (PAPER[paper][0] * mm, PAPER[paper][1] * mm)
    accent_colour = ctx.spec.colours.get("guide")
    accent = accent_colour.hex() if accent_colour else ACCENT
    band = fill(card.title, kit.game.variables)
    title = f"{kit.game.title} · {band}"
    footer = label(kit, "table_card_footer", card=band)

    known = {"pages": 0}  # the page count of the pass before: two pages print double-sided

    def make(filename, pagesize, **_ignored):
        return new_canvas(filename, pagesize, ctx.family, title, "table card",
                          "long" if known["pages"] > 1 else "none")

    for body in sizes:
        for front_back in (True, False):  # rounds on the front, the rest on the back, when that fits
            doc = None
            total = 0
            for _ in range(2):  # a second pass knows the page count for the footer
                buffer = io.BytesIO()
                doc = _Doc(buffer, size, ctx.family, title, band, kit.game.title, footer, accent, lang=kit.game.language)
                doc.total = total
                known["pages"] = total
                story = _Story(job, card, body, accent, size[0] - 2 * doc.margin)
                flow = story.rounds() + ([PageBreak()] if front_back else [Spacer(1, body)]) + story.back()
                if measure:  # the pages depend on the sizes only, not on what is drawn or on the footer's total
                    for f in flow:
                        f.drawOn = _measured_only
                try:
                    doc.build(flow, canvasmaker=make)
                except LayoutError:  # one round taller than a page: it does not fit at this size
                    doc.page = MAX_PAGES + 1
                    break
                if measure and doc.page <= MAX_PAGES:
                    return None, doc.page, body
                if doc.page == total or measure:
                    break
                total = doc.page
            if doc.page <= MAX_PAGES:
                return buffer.getvalue(), doc.page, body
    return None


def _measured_only(*args, **kwargs) -> None:
    """drawOn of a flowable in a pass that only counts pages."""


def _table_card(job: Job) -> None:
    kit = job.ctx.kit
    section = kit.sections.get("table_card")
    if section is None:
        return  # a kit without cards/tafel.yaml builds no table card
    out = Collector()
    card = parse_table_card(section, kit.game, out)
    out.raise_if_any()
    paper = job.options.paper
    made = _made(job, card, paper)
    if made is None:
        _does_not_fit(section, job.out)
        return
    data, pages, body = made
    write_bytes_atomic(job.stage / file_name(paper), data)
    job.products.append(_record(paper, pages, body))
    job.progress.advance(1, "table card")


def _made(job: Job, card: TableCard, paper: str) -> tuple[bytes, int, float] | None:
    """:func:`render_table_card`, once per build process: the product and the guide's plan share it."""
    key = (KIND, paper)
    if key not in job.memo:
        job.memo[key] = render_table_card(job, card, paper)
    return job.memo[key]


def _record(paper: str, pages: int, body: float) -> Product:
    extra = {"body_pt": body, "per": "table"}
    if pages == 2:
        extra["duplex"] = "long"
    return Product(KIND, file_name(paper), pages, paper.upper() if paper == "a4" else paper.capitalize(), extra)


def _plan_table_card(job: Job, out: Collector) -> list[Product]:
    """The table card's record: its pages are those of its layout (the sizes tried until it fits on two)."""
    section = job.ctx.kit.sections.get("table_card")
    if section is None:
        return []
    parsed = Collector()
    card = parse_table_card(section, job.ctx.kit.game, parsed)
    if parsed.diagnostics:
        out.extend(parsed.diagnostics)
        return []
    key = (KIND, job.options.paper)
    # made by the product in this process (a serial build), else counted: laid out at each size, nothing drawn
    made = job.memo[key] if key in job.memo else render_table_card(job, card, job.options.paper, measure=True)
    if made is None:
        _does_not_fit(section, out)
        return []
    return [_record(job.options.paper, made[1], made[2])]


def _does_not_fit(section, out: Collector) -> None:
    out.error(section.doc.pos(*section.key), f"the table card does not fit on {MAX_PAGES} pages even at "
                                             f"{SIZES[-1]:g} pt; shorten the rounds, rules or roles")


def _check_table_card(ctx, cards, out: Collector) -> None:
    """What `kot build` would find (`kot validate`): the table card laid out on A4, the paper a build uses unless
    told otherwise. Problems of the file itself are reported when it is loaded."""
    from types import SimpleNamespace

    section = ctx.kit.sections.get("table_card")
    if section is None:
        return
    parsed = Collector()
    card = parse_table_card(section, ctx.kit.game, parsed)
    if parsed.diagnostics:
        out.extend(parsed.diagnostics)
        return
    job = SimpleNamespace(ctx=ctx)
    # the smallest size first: when it fits there, the larger sizes need not be laid out (the build tries them all)
    if (render_table_card(job, card, "a4", SIZES[-1:], measure=True) is None
            and render_table_card(job, card, "a4", measure=True) is None):
        _does_not_fit(section, out)


register_product("table-card", _table_card, _plan_table_card)
register_check("table-card", _check_table_card)
