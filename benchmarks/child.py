"""One measured build, run by run.py in its own process (so wall time includes a cold start).

    python3 benchmarks/child.py home|printshop PROJECT OUT.pdf

Builds one deck of PROJECT the way ``kot build`` does (load, check, resolve, lay out, draw, write; the
print-shop deck in parts, separated to CMYK, preflighted and streamed to the file)
and prints a JSON line with the pages written and the peak memory (MB) once the kit was loaded and
resolved, before the deck was drawn: what drawing adds on top of that is the deck's own memory.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main(mode: str, project: str, target: str) -> None:
    import atexit
    import gc

    atexit.register(gc.freeze)  # as kaartenoptafel.cli.main does
    from kaartenoptafel.build import prepare
    from kaartenoptafel.errors import Collector
    from kaartenoptafel.products.deck import write_home_deck
    from kaartenoptafel.resolve import expand

    ctx = prepare(Path(project))
    printed = expand(ctx.resolved())  # as kot build does
    loaded_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = Collector()
    if mode == "home":
        result = write_home_deck(ctx, printed, target, "a4", "long", (0.0, 0.0), out)
    elif mode == "printshop":  # as kot build writes it: drawn in parts, separated to CMYK, preflighted, streamed
        from kaartenoptafel.write.printshop import write_deck

        result, _ = write_deck(ctx, printed, ctx.resolved(), Path(target), out)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    out.raise_if_any()
    print(json.dumps({"pages": result.pages, "cards": len(printed), "loaded_mb": loaded_mb}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
