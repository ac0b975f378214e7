"""Speed and memory of kaartenoptafel against a bare-reportlab floor.

    python3 benchmarks/run.py                    # 100, 1,000 and 10,000 cards, then the default kit
    python3 benchmarks/run.py --sizes 100,1000   # a quicker run
    python3 benchmarks/run.py --markdown         # the table as Markdown, for the README

For each size it writes a synthetic project (benchmarks/synth.py: the default cards at three text
lengths, every tenth card a photo card), then builds, each in a fresh process (cold start included):

* floor       benchmarks/floor.py: the same cards 9-up on A4 with plain reportlab (no layout engine)
* home deck   deck-a4.pdf, as ``kot build`` writes it
* print shop  deck-printshop.pdf
* whole kit   ``kot build``: every product (decks, board, guide, ...), the products side by side on every core

and, for a project of ``--parallel-size`` cards (3,000), the whole kit with ``--jobs 1`` (one product after
another) and ``--jobs 2`` (two processes): "whole kit (2 cores)" is the wall time a user waits, against the floor;
and for a project of ``--memory-size`` cards (20,000) the home deck once more, for its peak memory.

Each row reports wall time, cards per second, CPU time, peak memory (max RSS of the process, from wait4)
and PDF bytes per card, each also as a multiple of the floor's figure. The runs of one size are
interleaved (floor, home, print shop, floor, home, ...), so a busy spell on a shared machine falls on
all of them alike, and each build's figures are those of its run with the least CPU time: CPU time
is much less affected than wall time by other work on the machine. The worst case of 1,000 cards
whose every face differs (``--unique``, on by default) and a text-only variant follow. Then the
default kit from a cold start, ``kot preview`` of one card and ``kot build --all``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synth import make_project  # noqa: E402


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    pdf_bytes: int
    out: str


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("KOT_DEBUG", None)
    # as on a user's machine, where Python keeps the compiled modules: some shells set this, and then every run
    # compiles kaartenoptafel's ~90 modules again (about 0.25 s); main() compiles them once before measuring
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(cmd: list[str], outputs: list[Path], cwd: Path | None = None) -> Run:
    """Run ``cmd`` in a fresh process: wall time, CPU time and peak RSS of that process alone."""
    for path in outputs:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=_env(), cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stdout}\n{stderr}")
    size = 0
    for path in outputs:
        if path.is_dir():
            size += sum(p.stat().st_size for p in path.rglob("*.pdf"))
        elif path.exists():
            size += path.stat().st_size
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, size, stdout)


def best(runs: list[Run]) -> Run:
    """The run with the least CPU time: the one least disturbed by other work on the machine."""
    return min(runs, key=lambda r: r.cpu)


def repeat(n: int, cmd: list[str], outputs: list[Path], cwd: Path | None = None) -> Run:
    return best([measure(cmd, outputs, cwd) for _ in range(max(1, n))])


def interleaved(n: int, jobs: list[tuple[list[str], list[Path]] | None]) -> list[Run | None]:
    """Each job ``n`` times, taking turns (a, b, c, a, b, c, ...); the best run of each (None stays None)."""
    runs: list[list[Run]] = [[] for _ in jobs]
    for _ in range(max(1, n)):
        for i, job in enumerate(jobs):
            if job is not None:
                runs[i].append(measure(*job))
    return [best(r) if r else None for r in runs]


def kot(*args: str) -> list[str]:
    return [sys.executable, "-m", "kaartenoptafel", *args]


def has_command(name: str) -> bool:
    probe = subprocess.run(kot(name, "--help"), capture_output=True, env=_env(), text=True)
    return probe.returncode == 0


def has_option(command: str, option: str) -> bool:
    probe = subprocess.run(kot(command, "--help"), capture_output=True, env=_env(), text=True)
    return probe.returncode == 0 and option in probe.stdout


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import reportlab

        rl = reportlab.Version
    except ImportError:
        rl = "?"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "reportlab": rl,
        "commit": commit.stdout.strip() or "?",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


ROW = "{:>7}  {:<26} {:>7} {:>8} {:>7} {:>8} {:>8} {:>10} {:>7} {:>7} {:>7} {:>7}"
HEAD = ("cards", "build", "wall s", "cards/s", "CPU s", "peak MB", "deck MB", "bytes/card", "t/floor", "cpu/fl",
        "m/floor", "b/floor")


def deck_mb(run: Run) -> str:
    """Peak memory minus the peak once the kit was loaded: what drawing the deck itself holds."""
    try:
        loaded = json.loads(run.out.strip().splitlines()[-1])["loaded_mb"]
    except (ValueError, KeyError, IndexError):
        return ""
    return f"+{max(run.rss_mb - loaded, 0):.0f}"


def fmt_row(n: int, name: str, run: Run, floor: Run | None) -> tuple:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if floor is not None and b else ""

    return (f"{n:,}", name, f"{run.wall:.2f}", f"{n / run.wall:,.0f}", f"{run.cpu:.2f}", f"{run.rss_mb:.0f}",
            deck_mb(run), f"{run.pdf_bytes / n:,.0f}",
            ratio(run.wall, floor.wall if floor else 0), ratio(run.cpu, floor.cpu if floor else 0),
            ratio(run.rss_mb, floor.rss_mb if floor else 0),
            ratio(run.pdf_bytes, floor.pdf_bytes if floor else 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="card counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=0,
                        help="runs of the floor and each deck; the fastest counts (default: 3 up to 1,000 cards, else 2)")
    parser.add_argument("--work", type=Path, default=None, help="keep the synthetic projects and PDFs here")
    parser.add_argument("--no-unique", dest="unique", action="store_false",
                        help="skip the worst case: 1,000 cards whose every text has its own length")
    parser.add_argument("--no-kit", action="store_true", help="skip the whole-kit builds of the synthetic projects")
    parser.add_argument("--no-default-kit", action="store_true",
                        help="skip the default kit's build, kot preview and kot build --all")
    parser.add_argument("--parallel-size", type=int, default=3000,
                        help="cards of the project whose whole kit is built with --jobs 1 and --jobs 2 (0: skip)")
    parser.add_argument("--memory-size", type=int, default=20000,
                        help="cards of the project whose home deck is built once more, for its peak memory (0: skip)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = parser.parse_args()
    import compileall

    compileall.compile_dir(str(REPO / "src"), quiet=1)  # what the first run on a user's machine leaves behind
    sizes = [int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()]

    work = args.work or Path(tempfile.mkdtemp(prefix="kot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"# {info['date']}: {info['nproc']} x {info['cpu']}, Python {info['python']}, reportlab {info['reportlab']}, "
          f"commit {info['commit']}, load average at start {info['load']}", flush=True)
    rows: list[tuple] = []

    def add(row: tuple) -> None:
        rows.append(row)
        if not args.markdown:
            print(ROW.format(*row), flush=True)

    if not args.markdown:
        print(ROW.format(*HEAD), flush=True)
    try:
        cases = [(n, "faces", True) for n in sizes]
        if args.unique:
            cases.append((1000, "unique", True))
        if sizes:
            cases.append((max(sizes), "faces", False))  # text only: the per-card PDF size without photos
        for n, variety, images in cases:
            project = work / f"project-{n}-{variety}{'' if images else '-text'}"
            summary = make_project(REPO, project, n, variety=variety, images=images)
            tag = "" if variety == "faces" else " (unique texts)"
            if not images:
                tag = " (text only)"
            out = work / f"out-{n}"
            out.mkdir(exist_ok=True)
            runs = args.repeat or (3 if n <= 1000 else 2)
            full = variety == "faces" and images
            floor, home, shop = interleaved(runs, [
                ([sys.executable, str(HERE / "floor.py"), str(project / "floor.json"), str(out / "floor.pdf")],
                 [out / "floor.pdf"]),
                ([sys.executable, str(HERE / "child.py"), "home", str(project), str(out / "deck-a4.pdf")],
                 [out / "deck-a4.pdf"]),
                ([sys.executable, str(HERE / "child.py"), "printshop", str(project), str(out / "deck-printshop.pdf")],
                 [out / "deck-printshop.pdf"]) if full else None,
            ])
            add(fmt_row(n, f"floor{tag}", floor, floor))
            add(fmt_row(n, f"home deck{tag}", home, floor))
            if not full:
                continue
            add(fmt_row(n, "print-shop deck", shop, floor))
            if not args.no_kit:
                kit = repeat(runs if n <= 1000 else 1,
                             kot("build", "-p", str(project), "--out", str(out / "kit"), "-q"), [out / "kit"])
                add(fmt_row(n, "whole kit", kit, floor))
            if not args.markdown:
                print(f"{'':>9}({summary['faces']} different card faces, {summary['image_cards']} photo cards)",
                      flush=True)

        if args.parallel_size and not args.no_kit and has_option("build", "--jobs"):
            n = args.parallel_size
            project = work / f"project-{n}-parallel"
            make_project(REPO, project, n)
            out = work / f"out-{n}-parallel"
            out.mkdir(exist_ok=True)
            # the products of one `kot build` one after another, then side by side in two processes; the CPU
            # time counts the workers too (wait4 reports what the process and the children it waited for used)
            floor, serial, two = interleaved(args.repeat or 2, [
                ([sys.executable, str(HERE / "floor.py"), str(project / "floor.json"), str(out / "floor.pdf")],
                 [out / "floor.pdf"]),
                (kot("build", "-p", str(project), "--out", str(out / "kit1"), "-q", "--jobs", "1"), [out / "kit1"]),
                (kot("build", "-p", str(project), "--out", str(out / "kit2"), "-q", "--jobs", "2"), [out / "kit2"]),
            ])
            add(fmt_row(n, "floor", floor, floor))
            add(fmt_row(n, "whole kit (serial)", serial, floor))
            add(fmt_row(n, "whole kit (2 cores)", two, floor))

        if args.memory_size:
            n = args.memory_size
            project = work / f"project-{n}-memory"
            make_project(REPO, project, n)
            out = work / f"out-{n}-memory"
            out.mkdir(exist_ok=True)
            floor, home = interleaved(1, [
                ([sys.executable, str(HERE / "floor.py"), str(project / "floor.json"), str(out / "floor.pdf")],
                 [out / "floor.pdf"]),
                ([sys.executable, str(HERE / "child.py"), "home", str(project), str(out / "deck-a4.pdf")],
                 [out / "deck-a4.pdf"]),
            ])
            add(fmt_row(n, "floor", floor, floor))
            add(fmt_row(n, "home deck", home, floor))

        extra = [] if args.no_default_kit else default_kit(work, max(args.repeat, 5))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.markdown:
        print()
        print("| cards | build | wall s | cards/s | CPU s | peak MB | deck MB | PDF bytes/card | time / floor "
              "| CPU / floor | memory / floor | bytes / floor |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
        for name, value in extra:
            print(f"- {name}: {value}")
    else:
        print()
        for name, value in extra:
            print(f"{name:<44} {value}")


def _spread(runs: list[Run]) -> str:
    walls = sorted(r.wall for r in runs)
    cpus = sorted(r.cpu for r in runs)
    return (f"CPU median {statistics.median(cpus):.2f} s, best {cpus[0]:.2f} s; wall median "
            f"{statistics.median(walls):.2f} s, best {walls[0]:.2f} s; {len(walls)} runs")


def default_kit(work: Path, runs: int) -> list[tuple[str, str]]:
    """The repository's own kit: a whole build from a cold start, a preview, --all."""
    out = work / "default-kit"
    results = []
    builds = [measure(kot("build", "-p", str(REPO), "--out", str(out), "-q"), [out]) for _ in range(runs)]
    manifest = json.loads((out / "default" / "manifest.json").read_text("utf-8"))
    results.append(("default kit, `kot build` (every product)",
                    f"{_spread(builds)}; {max(r.rss_mb for r in builds):.0f} MB; {len(manifest['products'])} files, "
                    f"{manifest['cards']} cards"))
    if has_command("preview"):
        cards = json.loads(subprocess.run(kot("list", "-p", str(REPO), "--json"), capture_output=True, text=True,
                                          env=_env(), check=True).stdout)
        card = next((c for c in cards if c["type"] == "rol"), cards[0])
        png = work / "preview.png"
        previews = [measure(kot("preview", card["id"], "-p", str(REPO), "-o", str(png)), [png])
                    for _ in range(2 * runs - 1)]
        results.append((f"`kot preview {card['id']}` (one card)", _spread(previews)))
    else:
        results.append(("`kot preview`", "not present"))
    if has_option("build", "--all"):
        builds = [measure(kot("build", "--all", "-p", str(REPO), "--out", str(work / "all"), "-q"), [work / "all"])
                  for _ in range(2)]
        run = min(builds, key=lambda r: r.wall)
        variants = len([p for p in (work / "all").iterdir() if (p / "manifest.json").exists()])
        results.append((f"`kot build --all` ({variants} variants)",
                        f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU: {run.cpu / run.wall:.2f} of "
                        f"{machine()['nproc']} cores busy (best of 2)"))
    else:
        results.append(("`kot build --all`", "not present"))
    return results


if __name__ == "__main__":
    main()
