"""`kot watch`: rebuild on every save, show errors as they appear, refresh the previews of changed cards.

It polls file modification times (cards/, layouts/ and every file the last good build read), so it
needs no extra dependency and works the same on every system, network drives included. A change is
built once the files have been still for ``--debounce`` seconds, so an editor's save-in-steps builds
once. A broken save prints its located errors and keeps the last good output; the next good save
builds again.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from kaartenoptafel.commands.preview import layout_option, project_option, region_option
from kaartenoptafel.commands.project import project_root
from kaartenoptafel.options import FiniteFloat, OutputFolder

WATCHED_DIRS = ("cards", "layouts")
WATCHED_SUFFIXES = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".ttf", ".otf"}
MAX_PREVIEWS = 12  # a layout change touches every card: refresh a few, `kot sheet` shows them all

Signature = dict[str, tuple[int, int, int]]  # path -> (mtime_ns, size, inode)


def _ignored(name: str) -> bool:
    """Editors' hidden, swap and backup files."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))


def scan(root: Path, extra: set[Path]) -> Signature:
    """The watched files and their (mtime, size, inode); a vanished file simply drops out."""
    found: Signature = {}
    paths = set(extra)
    for name in WATCHED_DIRS:
        folder = root / name
        if folder.is_dir():
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for filename in filenames:
                    if not _ignored(filename) and Path(filename).suffix.lower() in WATCHED_SUFFIXES:
                        paths.add(Path(dirpath) / filename)
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        found[str(path)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


def changed_files(before: Signature, after: Signature, root: Path) -> list[str]:
    names = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    shown = []
    for name in names:
        try:
            shown.append(str(Path(name).relative_to(root)))
        except ValueError:
            shown.append(name)
    return shown


def card_fingerprints(ctx, cards) -> dict[str, str]:
    """A digest per card of everything its face depends on: its values, its type and the layout files."""
    layout = hashlib.sha256()
    for name in ctx.spec.files:
        path = Path(name) if Path(name).is_absolute() else ctx.spec.root / name
        try:
            layout.update(path.read_bytes())
        except OSError:
            layout.update(name.encode())
    types = {
        tid: repr((t.name, t.title_field, t.back_text,
                   [(f.name, f.kind, f.label, f.choices) for f in t.fields.values()]))
        for tid, t in ctx.kit.types.items()
    }
    base = layout.hexdigest() + repr(sorted(ctx.kit.game.groups.items()))
    result = {}
    for card in cards:
        text = repr((base, types[card.type], card.type, card.title, sorted(card.values.items()), sorted(card.raw.items())))
        result[card.id] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return result


@dataclass
class Watcher:
    """One watch session: builds, remembers what the last good build saw, refreshes previews."""

    root: Path
    out_dir: Path
    region: str | None
    layout: str
    only: tuple[str, ...]
    previews: bool
    echo: Callable[..., None] = click.echo
    extra: set[Path] = field(default_factory=set)  # files the last good build read outside cards/ and layouts/
    fingerprints: dict[str, str] | None = None
    schema_text: str | None = None

    def stamp(self) -> str:
        return time.strftime("%H:%M:%S")

    def build_once(self) -> bool:
        """Validate and build; print the outcome. True when the build succeeded."""
        from kaartenoptafel.build import BuildOptions, build, prepare
        from kaartenoptafel.errors import ContentError
        from kaartenoptafel.resolve import resolve

        start = time.monotonic()
        try:
            ctx = prepare(self.root, self.region, self.layout)
            options = BuildOptions(project=self.root, out_dir=self.out_dir, region=self.region, only=self.only,
                                   layout=self.layout, quiet=True)
            manifest = build(options, ctx)
            folder = self.out_dir / manifest["variant"]
            files = ", ".join(p["path"] for p in manifest["products"])
            self.echo(f"[{self.stamp()}] ok: built {folder} ({files}; {manifest['unique_cards']} cards) "
                      f"in {time.monotonic() - start:.1f} s")
            cards = resolve(ctx.kit)
            self._remember_files(ctx, cards)
            self._refresh_schema(ctx)
            self._refresh_previews(ctx, cards)
        except ContentError as exc:
            self._problems(exc.diagnostics)
            return False
        except OSError as exc:
            if not getattr(exc, "filename", None):
                return self._internal(exc)
            self.echo(f"error: {exc.filename}: {exc.strerror}", err=True)
            self.echo(f"[{self.stamp()}] the last good output is unchanged; waiting for the next save", err=True)
            return False
        except Exception as exc:  # noqa: BLE001 - one bad build must not end the session
            return self._internal(exc)
        return True

    def _internal(self, exc: BaseException) -> bool:
        import traceback

        self.echo(f"internal error: {exc.__class__.__name__}: {exc}\nThis is a bug in kaartenoptafel, not a problem "
                  "in your cards; please report it (KOT_DEBUG=1 shows the traceback). Still watching.", err=True)
        if os.environ.get("KOT_DEBUG"):
            traceback.print_exception(exc)
        return False

    def _problems(self, diagnostics) -> None:
        from kaartenoptafel.errors import in_file_order

        for diagnostic in sorted(diagnostics, key=in_file_order):
            self.echo(str(diagnostic), err=True)
        n = len(diagnostics)
        self.echo(f"[{self.stamp()}] {n} problem{'s' if n != 1 else ''} found; the last good output is unchanged; "
                  "waiting for the next save", err=True)

    def _remember_files(self, ctx, cards) -> None:
        extra = {Path(p) for p in ctx.kit.files}
        extra |= {Path(p) if Path(p).is_absolute() else self.root / p for p in ctx.spec.files}
        for card in cards:  # images a card shows may live anywhere in the project
            for name, spec in ctx.kit.types[card.type].fields.items():
                if spec.kind == "image" and card.raw.get(name):
                    extra.add(ctx.spec.root / str(card.raw[name]))
        self.extra = extra

    def _refresh_schema(self, ctx) -> None:
        """Keep cards/schema.json (editor autocompletion) in step with types.yaml, when the project has one."""
        import json

        from kaartenoptafel.load.jsonschema import card_schema
        from kaartenoptafel.write.atomic import write_bytes_atomic

        path = self.root / "cards" / "schema.json"
        if not path.is_file():
            return
        text = json.dumps(card_schema(ctx.kit), indent=2, ensure_ascii=False) + "\n"
        if text != self.schema_text:
            if path.read_text("utf-8") != text:
                write_bytes_atomic(path, text.encode("utf-8"))
                self.echo(f"[{self.stamp()}] schema: {path.relative_to(self.root)} updated from the card types")
            self.schema_text = text

    def _refresh_previews(self, ctx, cards) -> None:
        from kaartenoptafel.commands.cardimage import DEFAULT_DPI, preview_path, printshop_pdf, render_pages, write_png

        fingerprints = card_fingerprints(ctx, cards)
        previous, self.fingerprints = self.fingerprints, fingerprints
        if previous is None or not self.previews:
            return  # the first build: nothing has changed yet
        changed = [c for c in cards if previous.get(c.id) != fingerprints[c.id]]
        if not changed:
            return
        shown = changed[:MAX_PREVIEWS]
        pdf = printshop_pdf(ctx, shown)
        for card, image in zip(shown, render_pages(pdf, range(0, 2 * len(shown), 2), DEFAULT_DPI)):
            target = preview_path(self.out_dir, card.id)
            write_png(target, image)
            self.echo(f"[{self.stamp()}] preview: {target}  (card '{card.id}')")
        if len(changed) > len(shown):
            self.echo(f"[{self.stamp()}] {len(changed)} cards changed; previews of the first {len(shown)} "
                      "refreshed ('kot sheet' shows them all)")


def _after_build(before: Signature, watcher: Watcher) -> Signature:
    """The snapshot to compare against next: files saved again during the build still count as changed."""
    after = scan(watcher.root, watcher.extra)  # a good build may add files to watch (images, overlays)
    return {k: v for k, v in after.items() if k not in before or before[k] == v}


def run(watcher: Watcher, interval: float, debounce: float, max_builds: int | None,
        sleep: Callable[[float], None] = time.sleep) -> bool:
    """Build now, then after every settled change; stop after ``max_builds``. Returns the last build's result."""
    snapshot = scan(watcher.root, watcher.extra)
    ok = watcher.build_once()
    builds = 1
    snapshot = _after_build(snapshot, watcher)
    if max_builds is None or max_builds > 1:
        watcher.echo(f"[{watcher.stamp()}] watching {', '.join(d + '/' for d in WATCHED_DIRS)} for saved files "
                     "(Ctrl-C to stop)")
    while max_builds is None or builds < max_builds:
        sleep(interval)
        current = scan(watcher.root, watcher.extra)
        if current == snapshot:
            continue
        while True:  # debounce: wait until the files stop changing
            sleep(debounce)
            settled = scan(watcher.root, watcher.extra)
            if settled == current:
                break
            current = settled
        watcher.echo(f"[{watcher.stamp()}] changed: {', '.join(changed_files(snapshot, current, watcher.root))}")
        ok = watcher.build_once()
        builds += 1
        snapshot = _after_build(current, watcher)
    return ok


@click.command()
@project_option
@region_option
@layout_option
@click.option("--only", multiple=True, metavar="PRODUCT",
              help="Rebuild only this product (deck, board, guide); repeatable. Default: everything.")
@click.option("--out", "out_dir", type=OutputFolder(), default="output", show_default=True,
              help="Output folder, as for 'kot build'; previews go to OUT/preview/.")
@click.option("--interval", type=FiniteFloat(0.01, 60, "s"), default=0.5, show_default=True,
              help="Seconds between checks for saved files.")
@click.option("--debounce", type=FiniteFloat(0, 60, "s"), default=0.3, show_default=True,
              help="Seconds the files must stay unchanged before a build starts.")
@click.option("--once", is_flag=True, help="Build once and stop (exit code 1 when there are problems).")
@click.option("--max-builds", type=click.IntRange(1), default=None, metavar="N",
              help="Stop after N builds, counting the first (for scripts and tests).")
@click.option("--previews/--no-previews", default=True, show_default=True,
              help="Refresh OUT/preview/<id>.png of every card a save changed.")
def watch(project, region, layout, only, out_dir, interval, debounce, once, max_builds, previews) -> None:
    """Rebuild on every save; show problems as they appear; refresh previews of changed cards."""
    from kaartenoptafel.build import product_names

    known = product_names()
    for name in only:
        if name not in known:
            raise click.BadParameter(f"'{name}' is not a product; choose from {', '.join(known)}", param_hint="--only")
    root = project_root(project)
    watcher = Watcher(root, Path(out_dir), region, layout, tuple(only), previews)
    try:
        ok = run(watcher, interval, debounce, 1 if once else max_builds)
    except KeyboardInterrupt:
        click.echo("\nstopped watching")
        return
    if max_builds is not None or once:
        sys.exit(0 if ok else 1)
