"""The worksheets that go with the board, laid out and drawn on the home paper size (A4 or Letter).

* **samenwerkingsafspraak**: one sheet for a pair (or a trio) of partners to write down an agreement (who,
  brings, gets, contact person per partner; for whom, what, check-in date together), to tick the balance rule
  per partner and to weigh it with the three tests of an afwegingstabel (fit, added value, feasibility);
* **krachtenanalyse**: every partner's brengt and haalt from its role card in one table, grouped by
  role group, with the balance rule printed above it and empty rows for the team's own partners; it runs
  over as many pages as it needs.

Texts come from :mod:`kaartenoptafel.load.worksheets`, sizes and colours from ``worksheets:`` in
layouts/board.yaml (:func:`kaartenoptafel.layout.boardstyle.read_sheet_style`), the partners from the role cards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth as _width
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.layout.boardstyle import SheetStyle
from kaartenoptafel.layout.contrast import readable_on
from kaartenoptafel.layout.spec import Colour
from kaartenoptafel.layout.text import Fitted, Item, TextStyle, fit
from kaartenoptafel.load.worksheets import Afspraak, Krachtenanalyse
from kaartenoptafel.render.card import set_fill, set_stroke
from kaartenoptafel.render.ink import tint_of
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.resolve import ResolvedCard
from kaartenoptafel.schema.board import MIN_PITCH

BOX = 5.0  # mm: tick boxes (at least 4 mm to tick with a pen)


class _Sheet:
    """Drawing helpers shared by both worksheets: the title band, paragraphs, writing lines, tick boxes."""

    def __init__(self, ctx, ss: SheetStyle, paper: str, canvas: Canvas):
        self.ctx, self.ss, self.c = ctx, ss, canvas
        pw, ph = PAPER[paper]
        self.W, self.H = pw * mm, ph * mm
        self.ink = ctx.spec.colours["ink"]
        self.muted = ctx.spec.colours.get("muted", Colour(rgb=(0.45, 0.45, 0.45)))
        self.paper = ctx.spec.colours["paper"]
        self.left, self.right = ss.margin, self.W - ss.margin
        self.width = self.right - self.left

    def style(self, colour: Colour | None = None, bold: bool = False, align: str = "left") -> TextStyle:
        colour = colour or self.ink
        # no hyphenation: whole words read more easily, and these sheets have the room
        return TextStyle(self.ctx.family, colour.hex(), self.ss.colour.hex(), 1.2, align, bold, hyphenate=False,
                         lang=self.ctx.kit.game.language)

    def lay(self, text: str | None, size: float, width: float, colour: Colour | None = None, bold: bool = False,
            items: tuple[str, ...] = (), align: str = "left") -> Fitted:
        item = Item("t", None, text=text) if text is not None else Item("t", None, items=tuple(items))
        return fit((item,), self.style(colour, bold, align), width, 1e6, size, size)

    def draw(self, fitted: Fitted, x: float, top: float) -> float:
        y = top
        for flow, height, space in fitted.flowables:
            y -= space + height
            flow.drawOn(self.c, x, y)
        return y

    def header(self, title: str, note: str = "") -> float:
        """The coloured title band at the top; returns the y below it."""
        ss, c = self.ss, self.c
        top = self.H - ss.margin
        set_fill(c, ss.colour)
        c.roundRect(self.left, top - ss.header, self.width, ss.header, 2.5 * mm, stroke=0, fill=1)
        on = readable_on(ss.colour, self.ink, self.paper)  # the higher WCAG 2 contrast
        fitted = self.lay(title, ss.sizes["title"], self.width * 0.7, on, bold=True)
        self.draw(fitted, self.left + 6 * mm, top - (ss.header - fitted.height) / 2)
        if note:
            set_fill(c, on)
            c.setFont(self.ctx.family.regular, ss.sizes["small"])
            c.drawRightString(self.right - 6 * mm, top - ss.header / 2 - ss.sizes["small"] * 0.35, note)
        return top - ss.header

    def lines(self, x: float, top: float, width: float, count: int, pitch: float) -> float:
        set_stroke(self.c, self.muted)
        self.c.setLineWidth(0.5)
        y = top
        for _ in range(count):
            y -= pitch
            self.c.line(x, y, x + width, y)
        return y

    def box(self, x: float, y: float, side: float) -> None:
        set_stroke(self.c, self.ss.colour)
        self.c.setLineWidth(0.9)
        self.c.rect(x, y, side, side, stroke=1, fill=0)

    def footer(self, text: str) -> None:
        set_fill(self.c, self.muted)
        self.c.setFont(self.ctx.family.regular, self.ss.sizes["small"])
        self.c.drawString(self.left, self.ss.margin - self.ss.sizes["small"] * 1.6, text)


# -- samenwerkingsafspraak ----------------------------------------------------------------------


# -- samenwerkingsafspraak ----------------------------------------------------------------------


def write_afspraak(ctx, a: Afspraak, ss: SheetStyle, paper: str, out: Collector) -> bytes | None:
    title, intro, sign, partners, balance = a.title, a.intro, a.sign, a.partners, a.balance
    rows, together, tests_title, why_lines, columns, tests = (a.rows, a.together, a.tests_title, a.why_lines,
                                                              a.columns, a.tests)

    buf = io.BytesIO()
    c = new_canvas(buf, paper_size_pt(paper), ctx.family, f"{ctx.kit.game.title}: {title}", "worksheet", "none")
    s = _Sheet(ctx, ss, paper, c)
    sz = ss.sizes
    gap = sz["label"] * 0.6

    # measure everything at the preferred line pitch, then tighten the pitch if the page is too short
    label_w = s.width * 0.28
    col_w = (s.width - label_w) / len(partners)
    check = BOX * mm
    crit_w = s.width * 0.36
    tick_w = 16 * mm
    why_w = s.width - crit_w - tick_w * (len(columns) - 1)
    intro_fit = s.lay(intro, sz["intro"], s.width)
    row_labels = [s.lay(label, sz["label"], label_w - 3 * mm, bold=True) for label, _ in rows]
    together_labels = [s.lay(label, sz["label"], s.width, bold=True) for label, _ in together]
    test_fits = [s.lay(f"**{label}** {text}", sz["body"], crit_w - 3 * mm) for label, text in tests]
    head_h = sz["label"] * 1.9
    tests_head = s.lay(tests_title, sz["label"] * 1.25, s.width, ss.colour, bold=True)
    sign_fit = s.lay(sign, sz["label"], s.width, bold=True)
    if balance is not None:
        b_title, b_rule, b_check = balance
        rule_fit = s.lay(f"**{b_title}.** {b_rule}", sz["body"], s.width - 6 * mm)
        check_fit = s.lay(b_check, sz["label"], label_w - 3 * mm, bold=True)
        balance_h = rule_fit.height + 4 * mm + max(check_fit.height, check) + 3 * mm + gap
    else:
        balance_h = 0.0

    def height(pitch: float) -> float:
        h = intro_fit.height + gap * 2 + balance_h
        h += head_h + sum(max(f.height + 2 * mm, n * pitch) + gap for f, (_, n) in zip(row_labels, rows))
        h += sum(f.height + n * pitch + gap * 1.6 for f, (_, n) in zip(together_labels, together))
        h += tests_head.height + gap + head_h + sum(max(f.height, why_lines * pitch) + gap * 1.5 for f in test_fits)
        h += sign_fit.height + pitch + gap
        return h

    top = s.header(title, ctx.kit.game.title) - gap * 1.5
    room = top - ss.margin
    pitch = ss.pitch
    while height(pitch) > room and pitch > MIN_PITCH * mm + 0.01:
        pitch = max(MIN_PITCH * mm, pitch - 0.25 * mm)
    # still too long (a Letter page is 17.6 mm shorter than A4): take a writing line off the longest block,
    # never leaving a block without one, rather than set the lines closer than a pen needs
    while height(pitch) > room:
        blocks = [(n, k, i) for k, group in enumerate((together, rows)) for i, (_, n) in enumerate(group) if n > 1]
        if not blocks:
            break
        _, k, i = max(blocks)
        group = (together, rows)[k]
        group[i] = (group[i][0], group[i][1] - 1)
    if height(pitch) > room:
        out.error(a.pos, f"the samenwerkingsafspraak does not fit on one {paper.upper()} page; "
                                     "use fewer writing lines or shorter texts")
        return None
    spare = room - height(pitch)

    y = s.draw(intro_fit, s.left, top) - gap * 2 - spare * 0.15
    # the partner table: a label column and one column per partner
    tint = tint_of(ss.colour, ss.tint)
    set_fill(c, tint)
    c.rect(s.left + label_w, y - head_h, s.width - label_w, head_h, stroke=0, fill=1)
    set_fill(c, ss.colour)
    c.setFont(ctx.family.bold, sz["label"])
    for k, name in enumerate(partners):
        c.drawString(s.left + label_w + k * col_w + 2 * mm, y - head_h + sz["label"] * 0.6, name)
    y -= head_h
    for fitted, (_, n) in zip(row_labels, rows):
        block = max(fitted.height + 2 * mm, n * pitch)
        s.draw(fitted, s.left, y - 1.5 * mm)
        for k in range(len(partners)):
            s.lines(s.left + label_w + k * col_w + 2 * mm, y, col_w - 4 * mm, n, block / n)
        y -= block + gap
    if balance is not None:
        # the balance rule in a tinted box, then a tick box per partner: "my brengt meets a haalt of the other"
        box_h = rule_fit.height + 4 * mm
        set_fill(c, tint)
        c.roundRect(s.left, y - box_h, s.width, box_h, 1.5 * mm, stroke=0, fill=1)
        s.draw(rule_fit, s.left + 3 * mm, y - 2 * mm)
        y -= box_h + 3 * mm
        s.draw(check_fit, s.left, y)
        for k in range(len(partners)):
            s.box(s.left + label_w + k * col_w + 2 * mm, y - check, check)
        y -= max(check_fit.height, check) + gap
    y -= spare * 0.2
    # together
    for fitted, (_, n) in zip(together_labels, together):
        y = s.draw(fitted, s.left, y)
        y = s.lines(s.left, y, s.width, n, pitch) - gap * 1.6
    y -= spare * 0.25
    # the afwegingstabel: a criterion, tick boxes, and room for why
    y = s.draw(tests_head, s.left, y) - gap
    set_fill(c, tint)
    c.rect(s.left, y - head_h, s.width, head_h, stroke=0, fill=1)
    set_fill(c, ss.colour)
    c.setFont(ctx.family.bold, sz["label"])
    for k, name in enumerate(columns[:-1]):
        c.drawCentredString(s.left + crit_w + (k + 0.5) * tick_w, y - head_h + sz["label"] * 0.6, name)
    c.drawString(s.left + crit_w + tick_w * (len(columns) - 1) + 2 * mm, y - head_h + sz["label"] * 0.6, columns[-1])
    y -= head_h
    for fitted in test_fits:
        block = max(fitted.height, why_lines * pitch)
        s.draw(fitted, s.left, y - 1.5 * mm)
        for k in range(len(columns) - 1):
            s.box(s.left + crit_w + (k + 0.5) * tick_w - check / 2, y - 1.5 * mm - check, check)
        s.lines(s.left + crit_w + tick_w * (len(columns) - 1) + 2 * mm, y, why_w - 2 * mm, why_lines,
                block / why_lines)
        y -= block + gap * 0.5
        set_stroke(c, tint)
        c.setLineWidth(0.8)
        c.line(s.left, y, s.right, y)
        y -= gap
    y -= spare * 0.2
    y = s.draw(sign_fit, s.left, y)
    s.lines(s.left, y, s.width, 1, pitch)
    c.showPage()
    c.save()
    return buf.getvalue()



def paper_size_pt(paper: str) -> tuple[float, float]:
    pw, ph = PAPER[paper]
    return pw * mm, ph * mm


# -- krachtenanalyse --------------------------------------------------------------------------


@dataclass
@dataclass
class _Row:
    cells: list[list[Fitted]]  # each cell: paragraphs from the top down
    colour: Colour | None
    height: float
    span: Fitted | None = None  # a heading across the table (above the empty rows), instead of cells


def write_krachtenanalyse(ctx, k: Krachtenanalyse, ss: SheetStyle, paper: str, cards: list[ResolvedCard], board,
                          out: Collector) -> tuple[bytes, int] | None:
    title, intro, extra, page_word, rule, columns = k.title, k.intro, k.extra, k.page_word, k.rule, k.columns
    kit = ctx.kit
    ptype = board.texts.partner_type

    buf = io.BytesIO()
    c = new_canvas(buf, paper_size_pt(paper), ctx.family, f"{kit.game.title}: {title}", "worksheet", "none")
    s = _Sheet(ctx, ss, paper, c)
    sz = ss.sizes
    total = sum(ss.widths)
    bar = 2.2 * mm
    widths = [s.width * w / total for w in ss.widths]
    pad = 2 * mm
    groups = list(kit.game.groups)
    table = ctx.spec.tables.get("groups", {})
    partners = [card for card in cards if card.type == ptype]
    partners.sort(key=lambda card: groups.index(card.raw.get(board.texts.group_field))
                  if card.raw.get(board.texts.group_field) in groups else len(groups))
    rows: list[_Row] = []
    for card in partners:
        gid = card.raw.get(board.texts.group_field)
        colour = table.get(gid, board.look.colours["fallback"]) if gid in kit.game.groups else None
        cells = []
        for (label, name), width in zip(columns, widths):
            inner = width - 2 * pad - (bar if not cells else 0)
            value = card.values.get(name) if name else None
            if value is None or value == [] or value == "":
                cells.append([])
            elif name == board.texts.name_field:
                # a long one-word name gets smaller rather than broken in the middle
                longest = max(_width(w, ctx.family.bold, sz["body"]) for w in str(value).split())
                size = max(sz["small"], min(sz["body"], sz["body"] * inner / longest))
                cell = [s.lay(str(value), size, inner, bold=True)]
                if gid in kit.game.groups:
                    cell.append(s.lay(kit.game.groups[gid], sz["small"], inner, colour))
                cells.append(cell)
            elif isinstance(value, list):
                cells.append([s.lay(None, sz["body"], inner, items=tuple(str(v) for v in value))])
            else:
                cells.append([s.lay(str(value), sz["body"], inner)])
        height = max([sum(f.height for f in cell) for cell in cells] + [0]) + 2 * pad
        rows.append(_Row(cells, colour, max(height, ss.min_row)))
    if ss.extra_rows:
        # the empty rows get a heading of their own: the writing cells stay empty (no grey placeholder text)
        span = s.lay(extra, sz["label"], s.width - 2 * pad, bold=True)
        rows.append(_Row([[] for _ in columns], None, span.height + 2 * pad, span))
        rows += [_Row([[] for _ in columns], None, ss.min_row) for _ in range(ss.extra_rows)]
    heads = [s.lay(label, sz["label"], w - 2 * pad, ss.colour, bold=True) for (label, _), w in zip(columns, widths)]
    head_h = max(f.height for f in heads) + 2 * pad
    intro_fit = s.lay(intro, sz["intro"], s.width)
    rule_fit = s.lay(rule, sz["body"], s.width - 6 * mm) if rule else None
    rule_h = rule_fit.height + 4 * mm + sz["label"] * 0.8 if rule_fit else 0.0

    # paginate: the title band and the table head on every page, the intro on the first
    pages: list[list[_Row]] = [[]]
    top0 = s.H - ss.margin - ss.header - sz["label"] * 0.9
    bottom = ss.margin + sz["small"] * 1.2
    y = top0 - intro_fit.height - sz["label"] - rule_h - head_h
    for i, row in enumerate(rows):
        # the heading of the empty rows stays on one page with them (they are the last rows)
        need = sum(r.height for r in rows[i:]) if row.span is not None else row.height
        if y - need < bottom and pages[-1]:
            pages.append([])
            y = top0 - head_h
        if y - row.height < bottom:
            out.error(k.pos, "a row of the krachtenanalyse is higher than a page; shorten the card's texts")
            return None
        pages[-1].append(row)
        y -= row.height
    tint = tint_of(ss.colour, ss.tint)
    for n, page_rows in enumerate(pages):
        y = s.header(title, kit.game.title) - sz["label"] * 0.9
        if n == 0:
            y = s.draw(intro_fit, s.left, y) - sz["label"]
            if rule_fit is not None:  # the balance rule, in a tinted box as on the agreement worksheet
                box_h = rule_fit.height + 4 * mm
                set_fill(c, tint)
                c.roundRect(s.left, y - box_h, s.width, box_h, 1.5 * mm, stroke=0, fill=1)
                s.draw(rule_fit, s.left + 3 * mm, y - 2 * mm)
                y -= rule_h
        set_fill(c, tint)
        c.rect(s.left, y - head_h, s.width, head_h, stroke=0, fill=1)
        x = s.left
        for fitted, w in zip(heads, widths):
            s.draw(fitted, x + pad, y - pad)
            x += w
        y -= head_h
        for row in page_rows:
            if row.span is not None:
                s.draw(row.span, s.left + pad, y - pad)
                y -= row.height
                set_stroke(c, tint)
                c.setLineWidth(0.8)
                c.line(s.left, y, s.right, y)
                continue
            if row.colour is not None:
                set_fill(c, row.colour)
                c.rect(s.left, y - row.height, bar, row.height, stroke=0, fill=1)
            x = s.left
            for k, (cell, w) in enumerate(zip(row.cells, widths)):
                top = y - pad
                for fitted in cell:
                    top = s.draw(fitted, x + pad + (bar if k == 0 else 0), top)
                x += w
            y -= row.height
            set_stroke(c, tint)
            c.setLineWidth(0.8)
            c.line(s.left, y, s.right, y)
        # column rules, from the table head down, except across a heading row
        set_stroke(c, tint)
        c.setLineWidth(0.8)
        start = y + sum(r.height for r in page_rows) + head_h
        top, runs = start - head_h, []
        for row in page_rows:
            if row.span is not None:
                runs.append((start, top))
                start = top - row.height
            top -= row.height
        runs.append((start, top))
        x = s.left
        for w in widths[:-1]:
            x += w
            for upper, lower in runs:
                if upper - lower > 0.01:
                    c.line(x, lower, x, upper)
        s.footer(f"{title} · {page_word} {n + 1}/{len(pages)}")
        c.showPage()
    c.save()
    return buf.getvalue(), len(pages)


# -- the product's part ----------------------------------------------------------------------
