"""The guide's materials checklist and print plan, counted from what the build made (nothing typed by hand).

A session needs some things once (a type with ``per: session`` in cards/types.yaml, such as the role deck the
tables choose from, and the facilitator screen) and others for every table (``per: table``, the default: the
table card, the board, the other cards, the worksheets). The plan says which sheets of the home deck to print
once and which per table, reading the sheets of each type from the deck product's manifest entry
(``sheets_by_type``) or, failing that, from the deck's own pagination. Worksheet copies can follow the
players: ``copies: {worksheet-afspraak: pairs}`` in the guide is one sheet per pair (a trio shares one) of the
largest table.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from kaartenoptafel.build import PLANS, PRODUCTS, Job, Product, Progress
from kaartenoptafel.errors import Collector
from kaartenoptafel.load.guide import Guide
from kaartenoptafel.products.labels import label

NOT_PRINTED = ("facilitator-screen",)  # listed in the checklist, but opened on a laptop


@dataclass(frozen=True)
class Material:
    """One line of the checklist: what, which file, how many per table (None: once) and for the whole session."""

    what: str
    file: str
    per_table: int | None
    total: int | None
    strong: bool = False  # the all-cards line, set apart in the table


def other_products(job: Job) -> list[Product]:
    """The products of this build other than the guide, as their plans say (build.PLANS: the decks' and the tiles'
    pages by arithmetic, the worksheets and the table card laid out, nothing drawn), so the guide need not wait
    for them and a parallel build prints the same checklist as a serial one. A plan's problems are reported here
    only for products this build does not make (``--only guide``); the others report their own. A product
    without a plan is built in a scratch folder and thrown away."""
    counted = job.memo.get("other_products")
    if counted is not None:  # worked out once before the workers were forked (build.plan_ahead)
        products, diagnostics, exc = counted
        job.out.extend(diagnostics)
        if exc is not None:
            raise exc
        return list(products)
    found: list[Product] = []
    ran = set(job.options.only) if job.options.only else set(PRODUCTS)
    for name, fn in PRODUCTS.items():
        if name == "guide":
            continue
        out = Collector() if name in ran else job.out
        if name in PLANS:
            found.extend(PLANS[name](job, out))
            continue
        with tempfile.TemporaryDirectory(prefix="kot-guide-") as scratch:
            trial = Job(job.ctx, job.cards, job.printed, Path(scratch), job.options, out, Progress(1, True))
            fn(trial)
            found.extend(trial.products)
    return found


def sheets(product: Product) -> int:
    """Sheets of paper a product takes: double-sided products print two pages per sheet."""
    if product.extra.get("duplex") in ("long", "short"):
        return (product.pages + 1) // 2
    return product.pages


def copies(guide: Guide, kind: str, job: Job) -> int:
    """Copies of a file per table: the guide's ``copies`` (a number, or ``pairs``), else 1."""
    value = guide.copies.get(kind, 1)
    if value == "pairs":
        return max(1, job.ctx.kit.game.players_max // 2)
    return int(value)


def deck_sheets(job: Job, product: Product) -> dict[str, tuple[int, int]] | None:
    """First and last sheet (1-based, as the sheet captions count) of each card type in the home deck."""
    found = product.extra.get("sheets_by_type")
    if isinstance(found, dict):
        return {str(t): (int(r[0]), int(r[1])) for t, r in found.items()}
    try:  # the deck's own pagination, when it puts each type on sheets of its own
        from kaartenoptafel.impose.grid import make_grid
        from kaartenoptafel.products.deck import type_sheets

        grid = make_grid(job.options.paper, job.ctx.spec.width, job.ctx.spec.height,
                         getattr(job.options, "gutter", None))
        pages = type_sheets(job.printed, grid.per_sheet)
    except (ImportError, TypeError, ValueError):
        return None
    if len(pages) != sheets(product):
        return None  # the deck paginates otherwise (e.g. other card sizes on sheets of their own): say nothing wrong
    ranges: dict[str, tuple[int, int]] = {}
    for n, chunk in enumerate(pages, start=1):
        tid = chunk[0].type
        ranges[tid] = (ranges.get(tid, (n, n))[0], n)
    return ranges


def _sides(kit, product: Product) -> str:
    duplex = product.extra.get("duplex")
    if duplex in ("long", "short"):
        return label(kit, "guide_double_sided", flip=label(kit, f"calibrate_flip_{duplex}"))
    return label(kit, "guide_single_sided")


def spans(ranges: list[tuple[int, int]]) -> str:
    """'1–9, 12' for sheets 1 to 9 and 12: neighbouring ranges joined, so the printer dialog takes it as typed."""
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in merged)


def materials(job: Job, guide: Guide, products: list[Product]) -> list[Material]:
    kit = job.ctx.kit
    tables = kit.game.tables
    session = {tid for tid, t in kit.types.items() if t.per == "session"}
    rows = []
    per_table_cards = once_cards = 0
    for tid, ctype in kit.types.items():
        n = sum(1 for c in job.printed if c.type == tid)
        if not n:
            continue
        if tid in session:
            once_cards += n
            rows.append(Material(label(kit, "guide_materials_session_set", what=ctype.plural), "", None, n))
        else:
            per_table_cards += n
            rows.append(Material(ctype.plural, "", n, n * tables))
    rows.append(Material(label(kit, "guide_materials_cards"), "", per_table_cards or None,
                         per_table_cards * tables + once_cards, True))
    labels = _labels(kit)
    order = [k[len("guide_material_"):] for k in labels if k.startswith("guide_material_")]
    products = sorted(products, key=lambda p: order.index(p.kind) if p.kind in order else len(order))
    for p in products:
        extra = {k: v for k, v in p.extra.items() if isinstance(v, (str, int, float))}
        n = copies(guide, p.kind, job)
        values = dict(extra, paper=p.paper, sides=_sides(kit, p), pages=p.pages, copies=n, file=p.path)
        key = f"guide_material_{p.kind}" if f"guide_material_{p.kind}" in labels else "guide_material_other"
        if p.kind == "deck-home":
            rows += _deck_rows(job, p, session, values)
            continue
        if p.kind == "deck-printshop":  # a front and a back page per card
            rows.append(Material(label(kit, key, **values), p.path, per_table_cards or None,
                                 per_table_cards * tables + once_cards))
            continue
        if p.kind in NOT_PRINTED or p.extra.get("per") == "session":
            rows.append(Material(label(kit, key, **values), p.path, None, None if p.kind in NOT_PRINTED else
                                 sheets(p) * n))
            continue
        per = sheets(p) * n
        rows.append(Material(label(kit, key, **values), p.path, per, per * tables))
    return rows


def _deck_rows(job: Job, p: Product, session: set[str], values: dict) -> list[Material]:
    """The home deck in two lines when some types serve the whole session: those sheets once, the rest per table."""
    kit, tables = job.ctx.kit, job.ctx.kit.game.tables
    ranges = deck_sheets(job, p)
    whole = sheets(p)
    if not session or not ranges or not any(t in ranges for t in session):
        return [Material(label(kit, "guide_material_deck-home", **values), p.path, whole, whole * tables)]
    rows = []
    once = [(t, r) for t, r in ranges.items() if t in session]
    each = [(t, r) for t, r in ranges.items() if t not in session]
    once_n = sum(b - a + 1 for _, (a, b) in once)
    each_n = sum(b - a + 1 for _, (a, b) in each)
    names = ", ".join(kit.types[t].plural for t, _ in once)
    rows.append(Material(label(kit, "guide_material_deck-home-session", **values, types=names,
                               sheets=spans([r for _, r in once])), p.path, None, once_n))
    if each:
        rows.append(Material(label(kit, "guide_material_deck-home-table", **values, sheets=spans([r for _, r in each])),
                             p.path, each_n, each_n * tables))
    return rows


def _labels(kit) -> dict:
    section = kit.sections.get("labels")
    return section.data if section and isinstance(section.data, dict) else {}
