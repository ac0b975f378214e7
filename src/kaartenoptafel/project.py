"""A project as the products get it: read (load), overlaid by its region (resolve), validated (load).

The pipeline's first steps in the order they run; loading does not call resolving.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.load.kit import check_project, read_project
from kaartenoptafel.load.model import Kit
from kaartenoptafel.resolve.overlay import apply_overlays


def load_project(root: Path, region: str | None = None) -> Kit:
    """Read and validate the project at ``root`` with ``region``'s overlays; raises ContentError listing every
    problem."""
    out = Collector()
    parsed = read_project(root, out)
    removed: dict[str, Pos] = {}  # card id -> the overlay line that removed it
    if region is not None:  # regions: issue 6
        game, raw_cards, sections = apply_overlays(root, region, parsed.game, parsed.raw_cards, parsed.sections, out,
                                                   types=parsed.types, removed=removed)
        parsed = replace(parsed, game=game, raw_cards=raw_cards, sections=sections)
    return check_project(parsed, removed, out)
