"""Products in parallel within one `kot build` (see :func:`kaartenoptafel.build.build`).

After the shared load and fit, each task (a product, or a part of one: build.PARTS) runs in a forked worker that
inherits the loaded kit; the parent replays what the tasks did in the serial order (records, problems, warnings,
the first error), so a parallel build writes the same files and reports the same problems as a serial one. The
workers print nothing: the parent's progress bar advances as their tasks finish.
"""

from __future__ import annotations

import threading
from typing import Callable

from kaartenoptafel.errors import Collector, ContentError

_FORKED: tuple | None = None  # (job, tasks, settle) of the build whose workers are being forked
_FORK_LOCK = threading.Lock()


class _TaskCollector(Collector):
    """A worker's ``job.out`` for one part: remembers whether an error came from it (``job.out.raise_if_any``,
    which a serial build raises with every product's problems so far) and where it was asked while still empty
    (a serial build raises there when an earlier product found a problem)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked_empty = False

    def raise_if_any(self) -> None:
        if not self.diagnostics:
            self.asked_empty = True
            return
        exc = ContentError(self.diagnostics)
        exc.from_job = True  # type: ignore[attr-defined]
        raise exc


class _Recorder:
    """A worker's progress: silent, it records the steps for the parent's bar."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, str]] = []

    def advance(self, n: int = 1, what: str = "") -> None:
        self.steps.append((n, what))

    def close(self) -> None:
        pass


def _worker_start() -> None:
    """In each worker: die with the parent (Linux), and let go of the stage's lock, which the parent holds."""
    import os

    from kaartenoptafel.write.atomic import forget_locks

    forget_locks()
    try:
        import ctypes
        import signal

        parent = os.getppid()
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _run_task(index: int) -> list[dict]:
    """Run the parts of one task in this worker; what each did, for the parent to replay."""
    import dataclasses
    import traceback
    from pathlib import Path as _Path

    from kaartenoptafel.check import prepress

    job, tasks, settle = _FORKED  # type: ignore[misc]
    results = []
    memo = dict(job.memo)  # what the parent worked out before forking (the plans), then this task's own
    for order, name, _, fn in tasks[index]:
        part = dataclasses.replace(job, out=_TaskCollector(), products=[], progress=_Recorder(), memo=memo)
        result: dict = {"order": order, "name": name, "error": None}
        prepress.SINK = warned = []  # the parent prints them, once, in the serial order
        try:
            fn(part)
        except ContentError as exc:
            result["error"] = ("content", exc.diagnostics, getattr(exc, "from_job", False))
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it where a serial build would
            frames = traceback.extract_tb(exc.__traceback__)
            try:  # for the short report (where it happened) and KOT_DEBUG (the traceback in this worker)
                if frames and not hasattr(exc, "kot_where"):
                    exc.kot_where = f"{_Path(frames[-1].filename).name}:{frames[-1].lineno}"  # type: ignore[attr-defined]
                exc.kot_traceback = "".join(traceback.format_exception(exc))  # type: ignore[attr-defined]
            except AttributeError:
                pass
            result["error"] = ("crash", exc, None)
        result.update(products=part.products, diagnostics=part.out.diagnostics, asked=part.out.asked_empty,
                      steps=part.progress.steps, warned=warned)
        results.append(result)
        if result["error"]:
            break  # a serial build stops here too
        settle()
    return results


def run_parallel(job, tasks: list, workers: int, make_progress: Callable, settle: Callable[[], None]) -> None:
    """Run ``tasks`` in ``workers`` forked processes, then replay their results in the serial order into ``job``."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    global _FORKED
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
    try:
        with _FORK_LOCK:  # two builds in one process (`kot edit`) fork one at a time, each with its own job
            _FORKED = (job, tasks, settle)
            try:
                pending = {pool.submit(_run_task, i) for i in range(len(tasks))}  # the workers are forked here
            finally:
                _FORKED = None
        job.progress = make_progress()  # after the fork: its drawing thread stays in the parent
        results: list[dict] = []
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                for result in future.result():
                    results.append(result)
                    for n, what in result["steps"]:
                        job.progress.advance(n, what)
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()  # a worker still drawing: stop it, so Ctrl-C or an error ends the build at once
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    from kaartenoptafel.check.prepress import warn_line

    for result in sorted(results, key=lambda r: r["order"]):
        if result["asked"] and job.out:  # a serial build's job.out.raise_if_any() would have raised here
            job.out.raise_if_any()
        for line in result["warned"]:
            warn_line(line)
        job.products.extend(result["products"])
        job.out.extend(result["diagnostics"])
        error = result["error"]
        if error is None:
            continue
        kind, value, from_job = error
        if kind == "content":
            raise ContentError(job.out.diagnostics if from_job else value)
        if isinstance(getattr(value, "kot_traceback", None), str):
            from concurrent.futures.process import _RemoteTraceback

            raise value from _RemoteTraceback(value.kot_traceback)
        raise value
