"""`kot build`: load, resolve, lay out and write every product of one variant into ``output/<variant>/``.

Products register themselves in ``PRODUCTS``; each gets the same context and resolved cards and
writes into the staging folder, which replaces the variant folder only when everything succeeded.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kaartenoptafel.errors import Collector, ContentError, Diagnostic, Pos, did_you_mean
from kaartenoptafel.check.printable import check_printable
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.spec import load_layout
from kaartenoptafel.project import load_project
from kaartenoptafel.load.model import Kit
from kaartenoptafel.render.fonts import register_family
from kaartenoptafel.resolve import ResolvedCard, deck_order, expand
from kaartenoptafel.write.atomic import sha256, staged_folder, write_json_atomic


@dataclass
class BuildOptions:
    project: Path
    out_dir: Path
    region: str | None = None
    paper: str = "a4"
    duplex: str = "long"
    back_offset: tuple[float, float] = (0.0, 0.0)
    gutter: float | None = None  # mm between cards on home sheets; None: the paper's default, 0: butted
    only: tuple[str, ...] = ()
    layout: str = "default.yaml"
    board_size: str = "a3"
    overlap: float = 10.0
    quiet: bool = False
    tables: int | None = None  # tables that play this session; None: `tables` in cards/game.yaml
    jobs: int | None = None  # processes for the products; None: KOT_JOBS, else every core; 1: one after another


@dataclass
class Product:
    """One written file, as listed in manifest.json."""

    kind: str
    path: str
    pages: int
    paper: str
    extra: dict = field(default_factory=dict)


class Progress:
    """A progress bar on stderr that appears only once a build has taken more than a second.

    It is redrawn every quarter second with the time spent, so it moves during a long product too, and it is
    the only bar: `kot build --all` draws one for all variants, its workers none.
    """

    def __init__(self, total: int, quiet: bool, unit: str = ""):
        self.total, self.done, self.start = max(total, 1), 0, time.monotonic()
        self.enabled = not quiet and sys.stderr.isatty()
        self.shown = False
        self.what, self.unit = "", unit
        self._lock = threading.Lock()
        self._stop = threading.Event()
        if self.enabled:
            threading.Thread(target=self._tick, daemon=True).start()

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            if self._stop.is_set() or time.monotonic() - self.start <= 1.0:
                return
            self.shown = True
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            count = f" {self.done}/{self.total} {self.unit}" if self.unit else ""
            seconds = time.monotonic() - self.start
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}]{count} {self.what:<24.24} {seconds:5.1f} s")
            sys.stderr.flush()

    def advance(self, n: int = 1, what: str = "") -> None:
        self.done += n
        self.what = what
        if self.enabled:
            self._draw()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self.shown:
                sys.stderr.write("\r" + " " * 79 + "\r")
                sys.stderr.flush()
                self.shown = False


@dataclass
class Job:
    """Everything a product needs to write itself."""

    ctx: Context
    cards: list[ResolvedCard]  # resolved, one entry per distinct card
    printed: list[ResolvedCard]  # one entry per printed copy
    stage: Path
    options: BuildOptions
    out: Collector
    progress: Progress
    products: list[Product] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # what one product works out and another's plan reuses, per process


def prepare(project: Path, region: str | None = None, layout: str = "default.yaml") -> Context:
    """Load and check the kit and its layout; raises ContentError with every problem found."""
    kit = load_project(project, region)
    if region is not None and layout == "default.yaml":  # a region's overlay may name its own layout file
        from kaartenoptafel.resolve.overlay import region_layout

        layout = region_layout(project, region) or layout
    spec, problems = load_layout(project, layout)
    if spec is None or problems:
        raise ContentError(problems)
    family = register_family(spec.fonts, project)
    out = Collector()
    _check_layout_fields(kit, spec, out)
    out.raise_if_any()
    ctx = Context(kit, spec, family)
    check_printable(ctx)  # characters the font lacks, backs that cannot fit: found by `kot validate` too
    return ctx


def check_paper(ctx: Context, paper: str) -> None:
    """The deck can be printed: it has cards, and the card fits on the home-printing paper at least once (a located
    error at ``card.size``, not a crash)."""
    from kaartenoptafel.impose.grid import make_grid

    if not ctx.kit.cards:  # a deck of no pages is a PDF that viewers refuse to open
        raise ContentError([Diagnostic(Pos("cards"), "there are no cards to print: add a file to cards/ with "
                                                     "'cards:' and a list of cards")])
    for spec in [ctx.spec] + [ctx.spec_of(c.type) for c in {c.type: c for c in ctx.kit.cards}.values()]:
        try:  # the card size, and the own size of every type that has cards (a token, a table card)
            make_grid(paper, spec.width, spec.height)
        except ValueError as exc:
            raise ContentError([Diagnostic(spec.size_pos, f"{exc}; choose a smaller card size for home printing")]) from None


def _check_layout_fields(kit: Kit, spec, out: Collector) -> None:
    for tid, tl in spec.types.items():
        if tid not in kit.types:
            continue  # a layout may style types this kit does not use
        fields = kit.types[tid].fields
        for frame in tl.frames + tl.back_frames:
            for name in ((frame.field,) if frame.field else ()) + frame.fields + ((frame.checks,) if frame.checks else ()):
                if name not in fields:
                    out.error(frame.pos, f"the layout of '{tid}' places field '{name}', which type '{tid}' does not have"
                                         f"{did_you_mean(name, fields)}")
        if tl.accent_by and tl.accent_by not in fields:
            out.error(spec.types[tid].frames[0].pos if tl.frames else None,
                      f"accent 'by: {tl.accent_by}' is not a field of '{tid}'")


def _home_deck(job: Job) -> None:
    from kaartenoptafel.products.deck import home_sheet_facts, write_home_deck

    opts = job.options
    home = job.stage / f"deck-{opts.paper}.pdf"
    result = write_home_deck(job.ctx, job.printed, str(home), opts.paper, opts.duplex, opts.back_offset, job.out,
                             opts.gutter)
    job.products.append(Product("deck-home", home.name, result.pages, result.paper,
                                {"duplex": opts.duplex, "back_offset_mm": list(opts.back_offset),
                                 **home_sheet_facts(job.ctx, opts.paper, opts.duplex, opts.back_offset, opts.gutter, job.printed)}))
    job.progress.advance(1, "deck (home)")


def _printshop_deck(job: Job) -> None:
    from kaartenoptafel.products.deck import component_sizes
    from kaartenoptafel.write import printshop

    shop = job.stage / "deck-printshop.pdf"
    result, about = printshop.write_deck(job.ctx, job.printed, job.cards, shop, job.out)  # in parts: flat memory
    if result is not None:  # else the build fails with the located problems in job.out
        job.products.append(Product("deck-printshop", shop.name, result.pages, result.paper,
                                    {"sizes": component_sizes(job.ctx), **about}))
    job.progress.advance(1, "deck (print shop)")


def _deck(job: Job) -> None:
    _home_deck(job)
    _printshop_deck(job)


def _plan_deck(job: Job, out: Collector) -> list[Product]:
    """The deck's manifest records without drawing a card: its pages are its sheets (the grid's cards per sheet,
    each type on sheets of its own) and, in the print-shop file, a front and a back page per printed card."""
    from kaartenoptafel.products.deck import component_sizes, home_pages, home_sheet_facts, paper_name, printshop_paper
    from kaartenoptafel.write import printshop

    opts, ctx = job.options, job.ctx
    home = Product("deck-home", f"deck-{opts.paper}.pdf", home_pages(ctx, job.printed, opts.paper, opts.duplex, opts.gutter),
                   paper_name(opts.paper),
                   {"duplex": opts.duplex, "back_offset_mm": list(opts.back_offset),
                    **home_sheet_facts(ctx, opts.paper, opts.duplex, opts.back_offset, opts.gutter, job.printed)})
    shop = Product("deck-printshop", "deck-printshop.pdf", 2 * len(job.printed), printshop_paper(ctx),
                   {"sizes": component_sizes(ctx), **printshop.describe(ctx)})
    return [home, shop]


PRODUCTS: dict[str, Callable[[Job], None]] = {"deck": _deck}
# Checks a product runs without writing anything, so `kot validate` finds what `kot build` would.
CHECKS: dict[str, Callable[[Context, list[ResolvedCard], Collector], None]] = {}
# A product's manifest records worked out without writing it (pages by arithmetic where that is possible): the
# guide's checklist and print plan count from these, so the guide need not wait for the other products.
PLANS: dict[str, Callable[[Job, Collector], list[Product]]] = {"deck": _plan_deck}
# Products that run in more than one task when the build runs in parallel: (the product, its parts in order).
PARTS: dict[str, tuple[Callable[[Job], None], tuple[Callable[[Job], None], ...]]] = {
    "deck": (_deck, (_home_deck, _printshop_deck))}


def register_product(name: str, fn: Callable[[Job], None],
                     plan: Callable[[Job, Collector], list[Product]] | None = None) -> None:
    PRODUCTS[name] = fn
    if plan is not None:
        PLANS[name] = plan


def register_check(name: str, fn: Callable[[Context, list[ResolvedCard], Collector], None]) -> None:
    CHECKS[name] = fn


def product_names() -> tuple[str, ...]:
    _load_optional_products()
    return tuple(PRODUCTS)


def check_all(ctx: Context) -> None:
    """Everything a build would find, without writing: every card laid out and every product's own checks."""
    from kaartenoptafel.layout.back import has_card_backs, layout_card_back
    from kaartenoptafel.layout.card import layout_card

    _load_optional_products()
    check_paper(ctx, "a4")  # the paper `kot build` prints on unless told otherwise
    out = Collector()
    cards = ctx.resolved()
    for card in cards:
        layout_card(ctx, card, out)
        if has_card_backs(ctx, card.type):
            layout_card_back(ctx, card, out)
    for check in CHECKS.values():
        check(ctx, cards, out)
    out.raise_if_any()


def _load_optional_products() -> None:
    """Board, table card, facilitator screen and guide live in their own modules; each registers itself when imported."""
    import importlib

    for module in ("kaartenoptafel.products.board", "kaartenoptafel.products.tablecard",
                   "kaartenoptafel.products.screen", "kaartenoptafel.products.guide",
                   "kaartenoptafel.check.register"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def _with_tables(ctx: Context, tables: int) -> Context:
    """The context for a session of ``tables`` tables (``kot build --tables``): the guide's checklist, print plan
    and facts count for it, as if cards/game.yaml said so; the given context is left as it was."""
    import copy
    from dataclasses import replace

    kit = replace(ctx.kit, game=replace(ctx.kit.game, tables=tables))
    changed = copy.copy(ctx)
    changed.kit = kit
    return changed


def variant_name(region: str | None) -> str:
    return region or "default"


def build(options: BuildOptions, ctx: Context | None = None) -> dict:
    """Build one variant; returns the manifest. Raises ContentError; the old output then stays as it was.

    The products run in worker processes when there is more than one core (see :mod:`kaartenoptafel.workers`), else
    one after another; the files, the manifest and the problems reported are the same either way."""
    _load_optional_products()
    if ctx is None:
        ctx = prepare(options.project, options.region, options.layout)
    if options.tables is not None and options.tables != ctx.kit.game.tables:
        ctx = _with_tables(ctx, options.tables)
    wanted = sorted(options.only or tuple(PRODUCTS), key=lambda name: name == "guide")  # the guide counts the rest
    unknown = [w for w in wanted if w not in PRODUCTS]
    if unknown:
        raise ContentError([Diagnostic(None, f"unknown product '{unknown[0]}'; choose from {', '.join(PRODUCTS)}")])
    if "deck" in wanted:
        check_paper(ctx, options.paper)
    cards = ctx.resolved()
    printed = expand(deck_order(ctx.kit, cards))
    final = options.out_dir / variant_name(options.region)
    tasks = _tasks(wanted)
    workers = min(job_count(options), len(tasks))
    with staged_folder(final) as stage:
        job = Job(ctx, cards, printed, stage, options, Collector(), None)  # type: ignore[arg-type]
        if workers > 1:
            _fit_once(ctx, wanted)
            for name in wanted:
                if name in AHEAD:
                    AHEAD[name](job)
        gc.freeze()  # see _settle
        try:
            if workers > 1:
                from kaartenoptafel import workers as pool

                pool.run_parallel(job, tasks, workers, lambda: Progress(len(wanted) * 2, options.quiet), _settle)
            else:
                job.progress = Progress(len(wanted) * 2, options.quiet)
                for name in wanted:
                    PRODUCTS[name](job)
                    _settle()
        finally:
            gc.unfreeze()
            if job.progress is not None:
                job.progress.close()
        job.out.raise_if_any()
        manifest = _manifest(job, final)
        write_json_atomic(stage / "manifest.json", manifest)
    return manifest


# -- products in parallel ---------------------------------------------------------------------------------------
#
# After the shared load and fit, each task (a product, or a part of one) runs in a forked worker that inherits the
# loaded kit; the parent replays what the tasks did in the serial order (records, problems, the first error), so a
# parallel build writes the same files and reports the same problems as a serial one. The guide counts the other
# products from their plans (PLANS), so it starts at once. Most work first: the print-shop deck and the guide.

COST = {("deck", 1): 6, ("guide", 0): 4, ("guide", 1): 4, ("deck", 0): 3, "table-card": 2, "board": 1, "screen": 0}
# Work a product's tasks share, done once in the parent before forking (the guide's plans of the other products).
AHEAD: dict[str, Callable[[Job], None]] = {}


def job_count(options: BuildOptions) -> int:
    """Processes for the products: --jobs, else KOT_JOBS, else every core; 1 where fork is not available."""
    import multiprocessing
    import os

    jobs = options.jobs
    if jobs is None:
        try:
            jobs = int(os.environ.get("KOT_JOBS", "") or 0) or None
        except ValueError:
            jobs = None
    if jobs is None:
        jobs = os.cpu_count() or 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, jobs)


def _tasks(wanted: list[str]) -> list[list[tuple[int, str, int, Callable[[Job], None]]]]:
    """The tasks, most work first: each a list of (place in the serial order, product, part, function).

    A product with PARTS runs as one task per part: the home deck and the print-shop deck, the A4 guide and the
    booklet."""
    parts: list[tuple[int, str, int, Callable[[Job], None]]] = []
    for name in wanted:
        fn = PRODUCTS[name]
        pieces = PARTS[name][1] if name in PARTS and PARTS[name][0] is fn else (fn,)
        parts += [(len(parts), name, n, piece) for n, piece in enumerate(pieces)]

    def cost(part: tuple) -> int:
        return COST.get((part[1], part[2]), COST.get(part[1], 1))

    return [[part] for part in sorted(parts, key=cost, reverse=True)]


def _fit_once(ctx: Context, wanted: list[str]) -> None:
    """Work out in the parent what every product would work out again in its own process: the per-type text
    sizes (``same_size: type``, both sides), the types' backs and the print settings."""
    from kaartenoptafel.layout.back import type_back

    for tid, ctype in ctx.kit.types.items():
        if not any(card.type == tid for card in ctx.kit.cards):
            continue
        tl = ctx.type_layout(ctype)
        if ctx.spec_of(tid).same_size == "type":
            ctx.type_sizes(tid, tl.frames)
            if tl.back_frames:
                ctx.type_sizes(tid, tl.back_frames)
        try:
            type_back(ctx, ctype)
        except ContentError:
            pass  # the products report it
    if {"deck", "board"} & set(wanted):
        from kaartenoptafel.check.prepress import prepress_for

        prepress_for(ctx, Collector())


def _settle() -> None:
    """The garbage collector's policy during a build: what is alive between products stays alive to the end.

    The loaded kit, the remembered fits and wraps and the finished products' records are frozen (left out of
    the collector's full passes), after one collection frees what the product left behind (a written PDF's
    objects form cycles). Full passes then look only at what the next product makes, not at the whole kit: at
    3,000 cards the collector's CPU time fell from 2.8-2.9 s to 2.3-2.4 s of a 20 s build, with the same peak
    memory (higher thresholds saved more but held the written PDFs longer: 13 to 17 MB more at 1,000 cards). The
    build unfreezes everything when it ends, so a long-running `kot watch` or `kot edit` collects as usual.
    """
    gc.collect()
    gc.freeze()


def made_with() -> dict[str, str]:
    """The versions that made the files: the same input gives the same bytes with the same reportlab and pypdf."""
    from importlib.metadata import PackageNotFoundError, version

    import reportlab

    from kaartenoptafel import __version__

    try:
        pypdf = version("pypdf")
    except PackageNotFoundError:
        pypdf = "not installed"
    return {"kaartenoptafel": __version__, "reportlab": reportlab.Version, "pypdf": pypdf}


def _manifest(job: Job, final: Path) -> dict:
    old = {}
    manifest_path = job.stage / "manifest.json"
    if manifest_path.exists():  # products not rebuilt by --only keep their entries
        import json

        try:
            old = {p["path"]: p for p in json.loads(manifest_path.read_text("utf-8")).get("products", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            old = {}
    entries = {}
    for path, entry in old.items():
        if (job.stage / path).exists():
            entries[path] = entry
    for p in job.products:
        entries[p.path] = {"kind": p.kind, "path": p.path, "pages": p.pages, "paper": p.paper,
                           "sha256": sha256(job.stage / p.path), **p.extra}
    return {
        "variant": final.name,
        "title": job.ctx.kit.game.title,
        "tables": job.ctx.kit.game.tables,
        "made_with": made_with(),
        "products": sorted(entries.values(), key=lambda e: e["path"]),
        "cards": len(job.printed),
        "unique_cards": len(job.cards),
        "cards_per_type": {t: sum(1 for c in job.printed if c.type == t) for t in job.ctx.kit.types},
    }
