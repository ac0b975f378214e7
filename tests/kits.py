"""Small test projects: the default game, types, labels and layouts with a few cards of the test's own."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_project(root: Path, sample: str, repo: Path = REPO) -> Path:
    """A project at ``root`` whose only cards are ``sample`` (the text of cards/sample.yaml)."""
    (root / "cards").mkdir(parents=True)
    for name in ("game.yaml", "types.yaml", "labels.yaml"):
        shutil.copy(repo / "cards" / name, root / "cards" / name)
    shutil.copytree(repo / "layouts", root / "layouts")
    (root / "cards" / "sample.yaml").write_text(sample, encoding="utf-8")
    return root
