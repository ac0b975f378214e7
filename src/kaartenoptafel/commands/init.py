"""`kot init DIR [--region NAME]`: a new trainer project, copied from the built-in kit, ready to edit and build.

With ``--region NAME`` the project also gets a starter overlay ``cards/regions/NAME.yaml`` (and its layout
``layouts/NAME.yaml``) that changes nothing yet: the trainer edits what differs and keeps the base as it is.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import click

from kaartenoptafel.load.checks import SLUG
from kaartenoptafel.load.kit import default_kit_root
from kaartenoptafel.load.yamlfile import read_yaml
from kaartenoptafel.resolve.overlay import list_regions, regions_dir

COPIED = ("cards", "layouts")

STARTER = """\
# Region overlay '{name}': only what differs from the base kit in cards/.
# Editing here instead of in the base files keeps every later fix of the base.
#   kot build --region {name}     builds it into output/{name}/
#   kot diff --region {name}      lists the cards it adds, changes and removes
extends: base
name: {title}

# Your names. Cards, board and guide use them as {{bibliotheek}}, {{gemeente}}, ...
variables:
{variables}
# Colours and a logo for the backs of the cards: layouts/{name}.yaml
layout: {name}.yaml

# A local partner: a card like those in cards/rollen.yaml.
# add:
#   - id: mijn-partner
#     type: rol
#     titel: Naam van de partner
#     ...
#
# Change fields of a card, by its id ('kot list' shows every id):
# change:
#   uwv:
#     missie: ...
#
# Cards that do not apply here:
# remove: [voedselbank]
#
# How many copies of a card to print:
# counts:
#   uwv: 2
"""

STARTER_LAYOUT = """\
# Layout of region '{name}': only what differs from default.yaml.
extends: default.yaml

colours:
  guide: "#1f6f8b"   # the headings of the guide

back:
  logo: null         # a PNG or JPEG in the project, such as layouts/logos/{name}.png
"""


def _variables(project: Path) -> str:
    doc, _ = read_yaml(project / "cards" / "game.yaml", project)
    values = doc.data.get("variables", {}) if doc is not None and isinstance(doc.data, dict) else {}
    lines = [f"  {name}: {json.dumps(str(value), ensure_ascii=False)}" for name, value in (values or {}).items()]
    return "\n".join(lines) + "\n" if lines else "  {}\n"


def create_project(target: Path, region: str | None = None, source: Path | None = None) -> list[Path]:
    """Copy the kit's cards/ and layouts/ into ``target`` (new or empty); returns the starter files written."""
    source = source or default_kit_root()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise click.UsageError(f"'{target}' is not an empty folder; choose a new or empty one")
    if region is not None and not SLUG.match(region):
        raise click.UsageError(f"region name '{region}' must be lowercase letters, digits and '-' (like 'west-brabant')")
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    written: list[Path] = []
    try:
        ignore = shutil.ignore_patterns("__pycache__", ".*", "*.pyc")
        for name in COPIED:
            shutil.copytree(source / name, stage / name, ignore=ignore)
        (stage / ".gitignore").write_text("output/\n", encoding="utf-8")
        if region is not None and region not in list_regions(stage):
            regions_dir(stage).mkdir(parents=True, exist_ok=True)
            overlay = regions_dir(stage) / f"{region}.yaml"
            title = region.replace("-", " ").title()
            overlay.write_text(STARTER.format(name=region, title=title, variables=_variables(stage)), encoding="utf-8")
            layout = stage / "layouts" / f"{region}.yaml"
            if not layout.exists():
                layout.write_text(STARTER_LAYOUT.format(name=region), encoding="utf-8")
            written = [target / overlay.relative_to(stage), target / layout.relative_to(stage)]
        if target.exists():
            target.rmdir()  # empty, checked above
        os.replace(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return written


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--region", "-r", metavar="NAME", default=None,
              help="Also start an overlay cards/regions/NAME.yaml for your region (or use a built-in one).")
def init(directory: str, region: str | None) -> None:
    """Create a new project in DIRECTORY from the built-in kit, ready to edit and build."""
    if not directory.strip():
        raise click.BadParameter("the folder name is empty; give the folder to create, such as 'mijn-kit'",
                                 param_hint="'DIRECTORY'")
    target = Path(directory)
    written = create_project(target, region)
    from kaartenoptafel.project import load_project

    load_project(target.resolve(), region)  # check that the new project loads (and its overlay)
    click.echo(f"created {target}/ with cards/ and layouts/ from the built-in kit")
    for path in written:
        click.echo(f"  {path}  (edit this)")
    build = "kot build" + (f" --region {region}" if region else "")
    click.echo(f"next: cd {target} && {build}")
