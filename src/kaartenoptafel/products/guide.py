"""The facilitator guide: an A4 handbook to read and print, and the same guide as an A5 booklet.

Everything it says comes from data: the guide text (``guide:`` in cards/gids.yaml), the fixed headings
(``guide_*`` in cards/labels.yaml), the game facts (cards/game.yaml) and the cards themselves. The
materials checklist counts what the other products of the same build produced, so the guide runs last.

This module renders the guide in one format and writes both files; its parts live beside it: the page formats
and file names (guide_pages), colours and styles (guide_style), flowables (guide_flowables), the document with
its cover and footers (guide_doc), the chapters (guide_story, guide_rules).
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm

from kaartenoptafel import __version__
from kaartenoptafel.build import AHEAD, PARTS, Job, Product, register_product
from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.booklet import padded, write_booklet
from kaartenoptafel.impose.grid import PAPER
from kaartenoptafel.layout.card import layout_card
from kaartenoptafel.load.guide import Guide, parse_guide
from kaartenoptafel.products.guide_doc import GuideDoc, canvasmaker, cover_picture
from kaartenoptafel.products.guide_flowables import Heading
from kaartenoptafel.products.guide_pages import (A4_FILE, BOOKLET_FILE, BOOKLET_PAGE, GEOMETRY, Geometry,  # noqa: F401
                                                 guide_file, guide_paper)
from kaartenoptafel.products.guide_story import Story
from kaartenoptafel.products.guide_style import ACCENT, INK, MUTED, RULE, TINT, Styles, card_scale  # noqa: F401
from kaartenoptafel.products.labels import label
from kaartenoptafel.products.printplan import Material, materials, other_products
from kaartenoptafel.write.atomic import write_bytes_atomic


def _measured_only(*args, **kwargs) -> None:
    """drawOn of a flowable in a pass that only measures (a part split off it is drawn, and thrown away)."""


def render_guide(job: Job, guide: Guide, geo: Geometry, rows: list[Material], thumbs: dict, target,
                 outline: bool, pad_to: int = 1, duplex: str | None = None) -> int:
    """Write the guide in one page format; returns its page count (padded with notes pages to ``pad_to``)."""
    kit = job.ctx.kit
    title = f"{kit.game.title} · {label(kit, 'guide_title')}"
    footer = label(kit, "guide_footer")
    maker = canvasmaker(job.ctx.family, title, footer, duplex)

    def make_doc(out):
        doc = GuideDoc(out, geo, job.ctx.family, title, footer, outline, kit.game.language)
        doc.cover_art = cover_picture(job, thumbs)
        return doc

    # Lay out until the table of contents settles, drawing nothing (only the sizes count),
    # then draw once: a fresh story (a build spends its flowables: keepWithNext is switched off once used)
    # seeded with the settled contents, and padded with notes pages to a multiple of ``pad_to`` pages.
    story = Story(job, guide, geo, rows, thumbs)
    flow = story.build()
    # the contents' lines are known before the first pass, their page numbers not: the first pass then
    # lays out a contents as long as the real one, and the second only confirms the page numbers
    story.toc.addEntries([(f.level, f.plain, 0, f.key) for f in flow if isinstance(f, Heading) and f.toc])
    for f in flow:  # these passes only measure: nothing they draw is kept (a flowable's size never depends on it)
        f.drawOn = _measured_only
    doc = make_doc(io.BytesIO())
    doc.multiBuild(flow, canvasmaker=canvasmaker(job.ctx.family, title, footer, duplex, measuring=True))
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


def _prepared(job: Job) -> tuple[Guide, list[Material], dict] | None:
    """(the guide text, the checklist rows, the card thumbnails), once per build process: the A4 guide and the
    booklet share them; None for a kit without guide text (cards/gids.yaml), which builds no guide."""
    if "guide" in job.memo:
        return job.memo["guide"]
    kit = job.ctx.kit
    section = kit.sections.get("guide")
    if section is None:
        return None
    out = Collector()
    guide = parse_guide(section, kit.game, kit.types, out)
    out.raise_if_any()
    rows = materials(job, guide, other_products(job))
    thumbs = {card.id: layout_card(job.ctx, card, job.out) for card in job.cards}
    job.out.raise_if_any()
    job.memo["guide"] = guide, rows, thumbs
    return job.memo["guide"]


def _guide_a4(job: Job) -> None:
    made = _prepared(job)
    if made is None:
        return
    guide, rows, thumbs = made
    paper = guide_paper(job)
    name = guide_file(paper)
    paper_name = "A4" if paper == "a4" else paper.capitalize()
    pages = render_guide(job, guide, GEOMETRY[paper], rows, thumbs, job.stage / name, outline=True, duplex="long")
    job.products.append(Product("guide-a4", name, pages, paper_name))
    job.progress.advance(1, f"guide ({paper_name})")


def _guide_booklet(job: Job) -> None:
    made = _prepared(job)
    if made is None:
        return
    guide, rows, thumbs = made
    kit = job.ctx.kit
    paper = guide_paper(job)
    paper_name = "A4" if paper == "a4" else paper.capitalize()
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


def _guide(job: Job) -> None:
    """The A4 guide, then the booklet; a parallel build runs them side by side (build.PARTS)."""
    _guide_a4(job)
    _guide_booklet(job)


def _plan_ahead(job: Job) -> None:
    """The other products' plans, for both halves of the guide, worked out once before forking; their problems
    and any error are kept and handed to the guide where it reads them, as a serial build would meet them."""
    from dataclasses import replace

    ahead = replace(job, out=Collector(), memo={})
    try:
        found, exc = other_products(ahead), None
    except Exception as error:  # noqa: BLE001 - raised in the guide's task, where a serial build meets it
        found, exc = [], error
    job.memo["other_products"] = (found, list(ahead.out.diagnostics), exc)


register_product("guide", _guide)
PARTS["guide"] = (_guide, (_guide_a4, _guide_booklet))
AHEAD["guide"] = _plan_ahead
