"""Products in parallel within one `kot build`: the same files and the same problems as one after another.

The guide counts the other products from their plans (build.PLANS: the decks' pages and the board's tiles by
arithmetic), not from what they wrote; the plans must give the real page counts of the written files.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaartenoptafel import build as build_module
from kaartenoptafel import workers as workers_module
from kaartenoptafel.build import PLANS, BuildOptions, Job, Progress, build, prepare
from kaartenoptafel.cli import main
from kaartenoptafel.commands.regions import list_regions
from kaartenoptafel.errors import Collector, ContentError, Diagnostic, Pos
from kaartenoptafel.resolve import deck_order, expand

REPO = Path(__file__).resolve().parent.parent
VARIANTS = [None, *list_regions(REPO)]


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def counted(p) -> tuple:
    """What the guide's checklist reads of a product's record (printplan.materials)."""
    scalars = {k: v for k, v in p.extra.items() if isinstance(v, (str, int, float))}
    return p.kind, p.path, p.pages, p.paper, scalars, p.extra.get("sheets_by_type")


def real_pages(path: Path) -> int:
    if path.suffix == ".html":  # the facilitator screen: one screen per round
        return len(re.findall(r'<section class="round"', path.read_text("utf-8")))
    return len(PdfReader(path).pages)


@pytest.mark.parametrize("region", VARIANTS, ids=[v or "default" for v in VARIANTS])
def test_the_plans_give_the_page_counts_of_the_written_files(region, tmp_path):
    """For the default kit and every region, on A4 and Letter, duplex and single-sided: each product's plan (as the
    guide's worker works it out, with nothing made before it) equals the record of the file written, and its pages
    are the pages of that file."""
    build_module._load_optional_products()
    ctx = prepare(REPO, region)
    cards = ctx.resolved()
    printed = expand(deck_order(ctx.kit, cards))
    checked = set()
    for paper in ("a4", "letter"):
        for duplex in ("long", "none"):
            stage = tmp_path / f"{paper}-{duplex}"
            stage.mkdir()
            options = BuildOptions(project=REPO, out_dir=tmp_path, region=region, paper=paper, duplex=duplex)
            made = Job(ctx, cards, printed, stage, options, Collector(), Progress(1, True))
            build_module._home_deck(made)
            if (paper, duplex) == ("a4", "long"):
                build_module._printshop_deck(made)
            if duplex == "long":  # the rest does not depend on the duplex setting
                for name in ("board", "table-card", "screen"):
                    build_module.PRODUCTS[name](made)
            assert not made.out, made.out.diagnostics
            fresh = Job(ctx, cards, printed, tmp_path, options, Collector(), Progress(1, True))  # nothing in memo
            planned = {p.path: p for name in PLANS for p in PLANS[name](fresh, fresh.out)}
            assert not fresh.out, fresh.out.diagnostics
            for record in made.products:
                assert record.path in planned, record.path
                assert counted(planned[record.path]) == counted(record)
                assert planned[record.path].pages == real_pages(stage / record.path) == record.pages, record.path
                checked.add(record.kind)
    assert checked >= {"deck-home", "deck-printshop", "board-poster", "board-tiles", "worksheet-afspraak",
                       "worksheet-krachtenanalyse", "table-card", "facilitator-screen"}


@pytest.mark.parametrize("region", [None, "english"], ids=["default", "english"])
def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(region, tmp_path, monkeypatch):
    if region and region not in VARIANTS:
        region = VARIANTS[-1]
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(BuildOptions(project=REPO, out_dir=serial, region=region, quiet=True, jobs=1))
    seen = []
    real = workers_module.run_parallel
    monkeypatch.setattr(workers_module, "run_parallel", lambda *a: seen.append(a[2]) or real(*a))
    build(BuildOptions(project=REPO, out_dir=parallel, region=region, quiet=True, jobs=2))
    assert seen == [2]  # it did run in two processes
    name = region or "default"
    want = digests(serial / name)
    assert "manifest.json" in want and len(want) >= 11
    assert digests(parallel / name) == want


def test_kot_jobs_and_the_option_choose_serial_or_parallel(tmp_path, monkeypatch, capsys):
    seen = []
    real = workers_module.run_parallel
    monkeypatch.setattr(workers_module, "run_parallel", lambda *a: seen.append(a[2]) or real(*a))
    args = ["kot", "build", "--project", str(REPO), "--out", str(tmp_path), "-q", "--only", "screen", "--only", "board"]
    for env, extra, workers in (("1", [], []), ("2", [], [2]), ("1", ["--jobs", "2"], [2]), ("2", ["--jobs", "1"], [])):
        seen.clear()
        monkeypatch.setenv("KOT_JOBS", env)
        monkeypatch.setattr(sys, "argv", args + extra)
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code in (0, None), capsys.readouterr().err
        assert seen == workers, (env, extra)


# -- problems and faults inside a worker ----------------------------------------------------------------------


def _problems(tmp_path: Path, jobs: int, **options) -> list[str]:
    with pytest.raises(ContentError) as info:
        build(BuildOptions(project=options.pop("project", REPO), out_dir=tmp_path / f"out{jobs}", quiet=True,
                           jobs=jobs, **options))
    return [str(d) for d in info.value.diagnostics]


def test_a_card_that_does_not_fit_is_reported_as_in_a_serial_build(project, tmp_path, monkeypatch, capsys):
    """The decks (both halves), the guide's thumbnails: the same located problems, once each, in the same order;
    `kot build` exits 1 and the previous output stays."""
    build(BuildOptions(project=project, out_dir=project / "output", quiet=True, jobs=1))
    before = digests(project / "output")
    text = (project / "cards" / "rollen.yaml").read_text("utf-8")
    long = "Inwoners van {gemeente} helpen met zorg, geld en welzijn. " * 12
    (project / "cards" / "rollen.yaml").write_text(
        text.replace("missie: Inwoners van {gemeente} helpen met zorg, geld en welzijn.", f"missie: {long}", 1), "utf-8")
    serial = _problems(tmp_path, 1, project=project)
    assert serial and any("rollen.yaml" in p and "sociaal-wijkteam" in p for p in serial), serial
    assert _problems(tmp_path, 2, project=project) == serial
    monkeypatch.setattr(sys, "argv", ["kot", "build", "--project", str(project), "--out", str(project / "output"),
                                      "--jobs", "2"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert all(p in err for p in serial) and "Traceback" not in err
    assert digests(project / "output") == before


def _adds(message: str):
    def product(job) -> None:
        job.out.error(Pos("cards/x.yaml", 1, 1), message)
    return product


def _raises_own(message: str):
    def product(job) -> None:  # a problem of its own stage: a serial build shows only it
        local = Collector()
        local.error(Pos("cards/y.yaml", 2, 1), message)
        local.raise_if_any()
    return product


def _asks_then_adds(message: str):
    def product(job) -> None:  # as the guide does: stop when the products before found a problem
        job.out.raise_if_any()
        job.out.error(Pos("cards/z.yaml", 3, 1), message)
    return product


@pytest.mark.parametrize("products, expected", [
    ((("p1", _adds("first")), ("p2", _adds("second"))), ["first", "second"]),
    ((("p1", _adds("first")), ("p2", _raises_own("own"))), ["own"]),
    ((("p1", _adds("first")), ("p2", _asks_then_adds("late"))), ["first"]),
    ((("p1", _raises_own("own")), ("p2", _adds("never"))), ["own"]),
    ((("p1", _asks_then_adds("alone")), ("p2", _adds("second"))), ["alone", "second"]),
], ids=["both-collected", "own-stage-error", "stops-after-earlier", "first-stops", "nothing-before"])
def test_problems_from_workers_are_replayed_in_the_serial_order(products, expected, tmp_path, monkeypatch):
    """Whatever order the workers finish in, the build raises what a serial build raises."""
    for name, fn in products:
        monkeypatch.setitem(build_module.PRODUCTS, name, fn)
    only = tuple(name for name, _ in products)
    serial = _problems(tmp_path, 1, only=only)
    assert [s.rsplit(": ", 1)[-1] for s in serial] == expected
    assert _problems(tmp_path, 2, only=only) == serial


def test_a_fault_in_a_worker_is_an_internal_error_as_in_a_serial_build(project, tmp_path, monkeypatch, capsys):
    """Exit 70 with the same short report (where it happened, in the worker), and the previous output stays."""
    build(BuildOptions(project=project, out_dir=project / "output", quiet=True, jobs=1))
    before = digests(project / "output")

    def boom(job) -> None:
        (job.stage / "deck-a4.pdf").write_bytes(b"half a file")
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(build_module.PRODUCTS, "boom", boom)
    monkeypatch.delenv("KOT_DEBUG", raising=False)
    reports = []
    for jobs in ("1", "2"):
        monkeypatch.setattr(sys, "argv", ["kot", "build", "--project", str(project), "--out", str(project / "output"),
                                          "--only", "screen", "--only", "boom", "--jobs", jobs])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 70
        reports.append(capsys.readouterr().err)
    assert "ZeroDivisionError: division by zero (at test_parallel_build.py:" in reports[0]
    assert reports[1] == reports[0] and "Traceback" not in reports[1]
    assert digests(project / "output") == before
    assert sorted(p.name for p in (project / "output").iterdir()) == ["default"]  # no stage left


def test_the_workers_print_nothing_and_the_parents_bar_gets_every_step(tmp_path, monkeypatch, capfd):
    steps = {}
    for jobs in (1, 2):
        seen = steps[jobs] = []

        class Recording(Progress):
            def advance(self, n: int = 1, what: str = "") -> None:
                seen.append((n, what))
                super().advance(n, what)

        monkeypatch.setattr(build_module, "Progress", Recording)
        build(BuildOptions(project=REPO, out_dir=tmp_path / str(jobs), quiet=True, jobs=jobs,
                           only=("deck", "board", "table-card", "screen")))
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    assert sorted(steps[2]) == sorted(steps[1]) and len(steps[1]) == 6


def test_warnings_from_workers_are_printed_once_by_the_build(tmp_path, monkeypatch, capfd):
    """A print-shop warning (a soft image) met by two products in two workers shows once, as in a serial build."""
    from kaartenoptafel.check import prepress

    def warns(*messages):
        def product(job) -> None:
            time.sleep(0.5)  # both workers busy: each product in a process of its own
            for message in messages:
                prepress.warn(Pos("cards/x.yaml", 4, 9), message)
        return product

    monkeypatch.setitem(build_module.PRODUCTS, "w1", warns("soft image", "thin line"))
    monkeypatch.setitem(build_module.PRODUCTS, "w2", warns("soft image", "dark photo"))
    shown = []
    for jobs in (1, 2):
        monkeypatch.setattr(prepress, "_WARNED", set())
        build(BuildOptions(project=REPO, out_dir=tmp_path / str(jobs), quiet=True, jobs=jobs, only=("w1", "w2")))
        shown.append(capfd.readouterr().err.splitlines())
    assert shown[0] == ["cards/x.yaml:4:9: warning: soft image", "cards/x.yaml:4:9: warning: thin line",
                        "cards/x.yaml:4:9: warning: dark photo"]
    assert shown[1] == shown[0]
