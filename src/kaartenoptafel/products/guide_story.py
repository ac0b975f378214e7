"""The guide's story: its chapters as flowables for one page format."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, NextPageTemplate, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from kaartenoptafel.build import Job
from kaartenoptafel.layout.text import to_markup
from kaartenoptafel.load.checks import fill, variables_in
from kaartenoptafel.load.guide import Guide
from kaartenoptafel.products import guide_rules
from kaartenoptafel.products.guide_flowables import CardRow, Heading, Lines
from kaartenoptafel.render.checkbox import CheckBox
from kaartenoptafel.products.guide_pages import BOOKLET_FILE, Geometry, guide_file, guide_paper
from kaartenoptafel.products.guide_style import ACCENT, RULE, TINT, Styles, card_scale
from kaartenoptafel.products.labels import label
from kaartenoptafel.products.printplan import Material


def _labels(kit) -> dict:
    section = kit.sections.get("labels")
    return section.data if section and isinstance(section.data, dict) else {}


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

    def _cards(self) -> str:
        """Cards per table and for the whole session, counted as the checklist counts them (not the deck's total)."""
        types = self.kit.types
        session = sum(1 for c in self.job.printed if types[c.type].per == "session")
        table = len(self.job.printed) - session
        if session:
            return self.L("guide_fact_cards_count", table=table, session=session)
        return self.L("guide_fact_cards_table", table=table)

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
            (self.L("guide_fact_cards"), self._cards()),
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
            "guide_booklet_note", file=BOOKLET_FILE, a4=guide_file(guide_paper(self.job)), flip=self.L("calibrate_flip_short"))), st.body))

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
        groups: dict[str, dict[str, None]] = {}  # each name once, in card order
        for card in partners:
            group = str(card.raw.get(p["group"], ""))
            groups.setdefault(group, {})[str(card.values.get(p["name"], card.title))] = None
        order = list(self.kit.game.groups) + [g for g in groups if g not in self.kit.game.groups]
        for gid in order:
            if gid in groups:
                self.flow += partner_list(self.kit.game.groups.get(gid, gid), list(groups[gid]), self.st.bullet)

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


NAMES_PER_PARAGRAPH = 12


def partner_list(group: str, names: list[str], style) -> list[Paragraph]:
    """One group's partners as "<b>group</b>: a, b, c": a bullet paragraph of at most 12 names, then as many
    paragraphs as needed of at most 12 more, indented under the first, each but the last ending in a comma.

    A paragraph that runs over a page is wrapped again on every page it reaches, so one paragraph for a group
    of a 10,000-card kit cost time quadratic in its length; in pieces of bounded length the page stays linear,
    and a group of up to 12 partners (every group of the default kit and its regions) prints as one paragraph."""
    pieces = [names[i:i + NAMES_PER_PARAGRAPH] for i in range(0, len(names), NAMES_PER_PARAGRAPH)]
    within = style.clone(f"{style.name}-within", spaceAfter=0)  # no gap between the pieces of one group
    flow = []
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        text = to_markup(", ".join(piece) + ("" if last else ","))
        if n == 0:
            flow.append(Paragraph(f"<b>{to_markup(group)}</b>: {text}", style if last else within, bulletText="•"))
        else:
            flow.append(Paragraph(text, style if last else within))
    return flow
