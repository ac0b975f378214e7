"""Which project a command works on: --project, else the nearest project folder upwards, else the built-in kit."""

from __future__ import annotations

from pathlib import Path

import click

from kaartenoptafel.errors import printable
from kaartenoptafel.load.kit import default_kit_root, find_project, is_project


def project_root(path: str | None) -> Path:
    """The project folder: --project, else the nearest folder from here upwards with cards/game.yaml (as git finds
    its repository), else the built-in default kit (said on stderr, so nobody edits one kit and prints another)."""
    if path is not None:
        if not str(path).strip():
            raise click.BadParameter("the project folder is empty; give a folder name", param_hint="'--project'")
        root = Path(path)
        if not is_project(root):
            raise click.UsageError(f"'{printable(path)}' is not a kaartenoptafel project (no cards/game.yaml there)")
        return root.resolve()
    found = find_project(Path.cwd())
    if found is not None:
        return found
    click.echo("note: no kaartenoptafel project here or in a folder above (no cards/game.yaml); "
               "using the built-in kit", err=True)
    return default_kit_root()
