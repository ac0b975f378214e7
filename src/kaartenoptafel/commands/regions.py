"""`kot regions`, `kot diff --region NAME` and the parallel `kot build --all`.

A region (or language) is an overlay in ``cards/regions/<name>.yaml``: see :mod:`kaartenoptafel.resolve.overlay`.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

import click

from kaartenoptafel.commands.project import project_root
from kaartenoptafel.errors import Collector, ContentError
from kaartenoptafel.project import load_project
from kaartenoptafel.load.model import Kit
from kaartenoptafel.resolve.overlay import BASE, list_regions, read_overlay


project_option = click.option(
    "--project", "-p", metavar="DIR", default=None,
    help="Project folder with cards/ and layouts/ (default: the current folder, else the built-in kit).",
)


# -- kot regions ----------------------------------------------------------------------------------


def describe_regions(root: Path) -> list[dict]:
    """One row per overlay: name, title, what it extends, its layout, description and file."""
    rows = []
    for name in list_regions(root):
        out = Collector()
        overlay = read_overlay(root, name, out)
        row = {"name": name, "title": name, "extends": BASE, "layout": None, "description": "",
               "file": f"cards/regions/{name}.yaml", "ok": overlay is not None and not out}
        if overlay is not None:
            row.update(title=overlay.title, extends=overlay.parent, layout=overlay.layout,
                       description=overlay.description)
        rows.append(row)
    return rows


@click.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def regions(project: str | None, as_json: bool) -> None:
    """List the region and language overlays (cards/regions/*.yaml) that `kot build --region` accepts."""
    root = project_root(project)
    rows = describe_regions(root)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no regions: add an overlay as cards/regions/<name>.yaml (see the README)")
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        extra = f"extends {r['extends']}" + (f", layout {r['layout']}" if r["layout"] else "")
        broken = "" if r["ok"] else "  [has errors: run kot validate --region " + r["name"] + "]"
        click.echo(f"{r['name']:<{width}}  {r['title']}  ({extra}){broken}")
        if r["description"]:
            click.echo(f"{'':<{width}}  {r['description']}")


# -- kot diff --------------------------------------------------------------------------------------


def diff_kits(before: Kit, after: Kit) -> dict:
    """Which cards ``after`` adds, changes (and which fields) and removes, and which other texts differ."""
    old = {c.id: c for c in before.cards}
    new = {c.id: c for c in after.cards}

    def where(card) -> str:
        return f"{card.pos.path}:{card.pos.line}" if card.pos and card.pos.line else ""

    added = [{"id": c.id, "type": c.type, "title": c.title(after.types), "count": c.count, "source": where(c)}
             for c in after.cards if c.id not in old]
    removed = [{"id": c.id, "type": c.type, "title": c.title(before.types), "count": c.count, "source": where(c)}
               for c in before.cards if c.id not in new]
    changed = []
    for c in after.cards:
        if c.id not in old:
            continue
        b = old[c.id]
        fields = sorted(n for n in set(b.fields) | set(c.fields) if b.fields.get(n) != c.fields.get(n))
        if b.count != c.count:
            fields.append("count")
        if b.tags != c.tags:
            fields.append("tags")
        if fields:
            changed.append({"id": c.id, "type": c.type, "title": c.title(after.types), "fields": fields,
                            "count": c.count, "source": where(c)})
    variables = {k: v for k, v in after.game.variables.items() if before.game.variables.get(k) != v}
    types = sorted(t for t in after.types if t in before.types and after.types[t] != before.types[t])
    sections = sorted(n for n in set(before.sections) | set(after.sections)
                      if (before.sections[n].data if n in before.sections else None)
                      != (after.sections[n].data if n in after.sections else None))
    game = sorted(k for k in ("title", "subtitle", "language", "tables", "duration", "groups")
                  if getattr(before.game, k) != getattr(after.game, k))
    return {"added": added, "changed": changed, "removed": removed, "variables": variables, "types": types,
            "sections": sections, "game": game}


@click.command()
@project_option
@click.option("--region", "-r", metavar="NAME", required=True, help="The overlay to compare with what it extends.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def diff(project: str | None, region: str, as_json: bool) -> None:
    """List the cards a region's overlay adds, changes and removes (against what it extends)."""
    root = project_root(project)
    out = Collector()
    overlay = read_overlay(root, region, out)
    out.raise_if_any()
    parent = None if overlay.parent == BASE else overlay.parent
    after = load_project(root, region)
    before = load_project(root, parent)
    result = {"region": region, "extends": overlay.parent, **diff_kits(before, after)}
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"{region} (cards/regions/{region}.yaml) against {overlay.parent}:")
    rows = ([("added", r, r["title"]) for r in result["added"]]
            + [("changed", r, ", ".join(r["fields"])) for r in result["changed"]]
            + [("removed", r, r["title"]) for r in result["removed"]])
    width = max((len(r["id"]) for _, r, _ in rows), default=2)
    for what, r, detail in rows:
        click.echo(f"  {what:<8} {r['type']:<12} {r['id']:<{width}}  {detail}")
    click.echo(f"{len(result['added'])} added, {len(result['changed'])} changed, {len(result['removed'])} removed")
    if result["variables"]:
        click.echo("variables: " + ", ".join(f"{k} = {v}" for k, v in result["variables"].items()))
    for key, what in (("game", "game"), ("types", "card types"), ("sections", "texts")):
        if result[key]:
            click.echo(f"{what} changed: {', '.join(result[key])}")


# -- kot build --all -------------------------------------------------------------------------------


def _build_one(options) -> tuple[str, object]:
    """Build one variant in a worker process; content errors come back as data (they do not pickle)."""
    from kaartenoptafel.build import build

    try:
        return "ok", build(options)
    except ContentError as exc:
        return "error", exc.diagnostics


def build_all(options, workers: int | None = None) -> list[dict]:
    """Build the base kit and every region, each in its own process and output folder.

    Every variant is tried; when any has content errors, they are raised together (variants that
    built are written, the failed ones keep their previous output).
    """
    from kaartenoptafel.build import Progress

    root = options.project
    variants: list[str | None] = [None, *list_regions(root)]
    from kaartenoptafel.build import job_count

    workers = workers or min(len(variants), job_count(options))
    # one bar, drawn here: none in the workers; a variant's products one after another when the variants are
    # built side by side (no pool inside a pool), else in parallel
    jobs = [replace(options, region=v, quiet=True, jobs=1 if workers > 1 else options.jobs) for v in variants]
    results: list = [None] * len(jobs)
    if workers <= 1:
        progress = Progress(len(jobs), options.quiet, unit="variants")
        try:
            for i, job in enumerate(jobs):
                results[i] = _build_one(job)
                progress.advance(1, job.region or "default")
        finally:
            progress.close()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_build_one, job): i for i, job in enumerate(jobs)}
            # made once the workers are forked: the bar's drawing thread is not copied into them
            progress = Progress(len(jobs), options.quiet, unit="variants")
            try:
                for future in as_completed(futures):
                    i = futures[future]
                    results[i] = future.result()
                    progress.advance(1, jobs[i].region or "default")
            finally:
                progress.close()
    manifests, problems = [], Collector()  # a mistake in the base shows once, not once per variant
    for status, value in results:
        if status == "ok":
            manifests.append(value)
        else:
            problems.extend(value)
    problems.raise_if_any()
    return manifests
