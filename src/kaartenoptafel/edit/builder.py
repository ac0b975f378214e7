"""`kot build` from the page: the same function and options as the command, in a thread, with progress.

Every product reports its steps through the build's ``Progress`` (the bar `kot build` draws on a
terminal). The editor lets that same object report to the page: while its one build runs (builds are run
one at a time), the build module's ``Progress`` is a subclass that also records how far it is.
After the build the contact sheet is made as `kot sheet` makes it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_RUN = threading.Lock()  # one build at a time: the Progress hook below is module-wide while it runs
SHEET = "contact-sheet.png"


@dataclass
class Job:
    id: str
    region: str | None
    state: str = "waiting"  # waiting, running, done, failed
    done: int = 0
    total: int = 1
    step: str = ""
    started: float = field(default_factory=time.monotonic)
    files: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    variant: str = ""

    def status(self, t) -> dict:
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": round(100 * min(self.done, self.total) / max(self.total, 1)),
            "step": self.step,
            "seconds": round(time.monotonic() - self.started, 1),
            "files": self.files,
            "problems": [t.problem(p) for p in self.problems],
            "sheet": f"/download/{self.variant}/{SHEET}?inline=1" if self.state == "done" else None,
        }


class Builds:
    def __init__(self, root: Path, out_dir: Path):
        self.root = root
        self.out_dir = out_dir
        self.jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)

    def start(self, region: str | None) -> Job:
        job = Job(str(next(self._ids)), region)
        self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job,), daemon=True, name=f"kot-build-{job.id}").start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def last(self, region: str | None) -> Job | None:
        done = [j for j in self.jobs.values() if j.region == region and j.state == "done"]
        return done[-1] if done else None

    def _run(self, job: Job) -> None:
        from kaartenoptafel import build as build_module
        from kaartenoptafel.errors import ContentError

        with _RUN:
            job.state = "running"
            job.started = time.monotonic()
            original = build_module.Progress

            class Reporting(original):  # type: ignore[misc, valid-type]
                def __init__(self, total: int, quiet: bool):
                    super().__init__(total, quiet)
                    job.total = total + 1  # and the contact sheet

                def advance(self, n: int = 1, what: str = "") -> None:
                    super().advance(n, what)
                    job.done += n
                    job.step = what

            build_module.Progress = Reporting
            try:
                options = build_module.BuildOptions(project=self.root, out_dir=self.out_dir, region=job.region,
                                                    quiet=True)
                ctx = build_module.prepare(self.root, job.region)
                manifest = build_module.build(options, ctx)
                job.variant = manifest["variant"]
                job.step = "contact sheet"
                self._sheet(ctx, job)
                job.done = job.total
                job.files = [{"name": p["path"], "kind": p["kind"], "pages": p["pages"], "paper": p["paper"],
                              "url": f"/download/{job.variant}/{p['path']}"} for p in manifest["products"]]
                job.state = "done"
            except ContentError as exc:
                job.problems = [str(d) for d in exc.diagnostics]
                job.state = "failed"
            except Exception as exc:  # noqa: BLE001 - shown on the page instead of killing the server
                job.problems = [f"internal error: {exc.__class__.__name__}: {exc}"]
                job.state = "failed"
            finally:
                build_module.Progress = original

    def _sheet(self, ctx, job: Job) -> None:
        from kaartenoptafel.commands.cardimage import write_png
        from kaartenoptafel.commands.preview import contact_sheets
        from kaartenoptafel.resolve import resolve

        cards = resolve(ctx.kit)
        if cards:
            sheets = contact_sheets(ctx, cards, 8, 60, 2000)
            write_png(self.sheet_path(job.variant), sheets[0])

    def sheet_path(self, variant: str) -> Path:
        """Beside `kot sheet`'s output/preview/sheet.png, outside the variant folder (that holds what kot build makes)."""
        return self.out_dir / "preview" / f"sheet-{variant}.png"

    def file(self, variant: str, name: str) -> Path | None:
        """A file the last build of ``variant`` listed in its manifest (nothing else is served)."""
        folder = self.out_dir / variant
        if name == SHEET:
            path = self.sheet_path(variant)
            return path if path.is_file() else None
        try:
            manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        names = {p.get("path") for p in manifest.get("products", [])}
        path = folder / name
        return path if name in names and "/" not in name and path.is_file() else None
