"""The ``kot`` (``kaartenoptafel``) command line.

Exit codes: 0 success; 1 content errors (each printed as path:line:col); 2 usage errors;
130 interrupted; 70 an internal fault (a bug: a short report says where to file it).
"""

from __future__ import annotations

import atexit
import errno
import gc
import json
import os
import re
import sys
import traceback
from pathlib import Path

import click

from kaartenoptafel import __version__
from kaartenoptafel.commands.project import project_root
from kaartenoptafel.errors import (EXIT_CONTENT, EXIT_INTERNAL, EXIT_INTERRUPTED, ContentError, TerminalStream,
                                   in_file_order, printable)
from kaartenoptafel.project import load_project
from kaartenoptafel.options import FiniteFloat, Offset, OutputFolder, output_file

EPILOG = """\b
Exit codes:
  0   success
  1   content errors: every problem is listed as path:line:col
  2   usage errors (a wrong option or argument)
  70  internal fault: a bug in kaartenoptafel; the report says where to file it
  130 interrupted (Ctrl-C); the previous output is left as it was
"""


project_option = click.option(
    "--project", "-p", metavar="DIR", default=None,
    help="Project folder with cards/ and layouts/ (default: the current folder, else the built-in kit).",
)
region_option = click.option("--region", "-r", metavar="NAME", default=None, help="Build a region's overlay.")


class _Group(click.Group):
    """A group whose commands in their own modules are imported when used or listed, not on every start."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}  # command name -> "module:attribute"

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name):
        if name not in self.commands and name in self.lazy:
            import importlib

            module, attribute = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaartenoptafel")
def cli() -> None:
    """Turn the Kaarten op Tafel game content (YAML) into print-ready PDFs."""


@cli.command(epilog=EPILOG)
@project_option
@region_option
@click.option("--layout", default="default.yaml", show_default=True,
              help="Layout file in layouts/, as for 'kot build --layout'.")
def validate(project: str | None, region: str | None, layout: str) -> None:
    """Check every card, type and layout file; list every problem with its file, line and column."""
    from kaartenoptafel.build import check_all, prepare

    root = project_root(project)
    ctx = prepare(root, region, layout)
    check_all(ctx)  # text that cannot fit, board problems: what a build would report
    counts = {t: len(ctx.kit.cards_of(t)) for t in ctx.kit.types}
    summary = ", ".join(f"{n} {t}" for t, n in counts.items())
    click.echo(f"ok: {len(ctx.kit.cards)} cards ({summary})")


@cli.command(name="list", epilog=EPILOG)
@project_option
@region_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_cards(project: str | None, region: str | None, as_json: bool) -> None:
    """List the cards: id, type, title, count and where each is defined."""
    root = project_root(project)
    kit = load_project(root, region)
    rows = [
        {"id": c.id, "type": c.type, "title": c.title(kit.types), "count": c.count,
         "source": f"{c.pos.path}:{c.pos.line}" if c.pos else ""}
        for c in kit.cards
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['type']:<12} {r['count']:>3}x  {r['title']}  ({r['source']})")


@cli.command(epilog=EPILOG)
@project_option
@click.option("-o", "--output", default=None,
              help="Write to a file instead of stdout (a folder gets schema.json, or KIND.schema.json with --kind).")
@click.option("--kind", "kind", default=None, metavar="KIND",
              help="The file kind: cards (the default), game, types, guide, table-card, labels, board, overlay, "
                   "layout, board-layout; 'all' writes every kind into the folder given by -o.")
@click.option("--kinds", "list_kinds", is_flag=True, help="List the file kinds and the files each describes.")
def schema(project: str | None, output: str | None, kind: str | None, list_kinds: bool) -> None:
    """Print a JSON Schema of a file kind (the card files by default), for editor autocompletion (see the README)."""
    from kaartenoptafel.schema import KINDS

    if list_kinds:
        width = max(len(name) for name in KINDS)
        for k in KINDS.values():
            click.echo(f"{k.name:<{width}}  {k.about}: {', '.join(k.files)}")
        return
    if kind is not None and kind != "all" and kind not in KINDS:
        from kaartenoptafel.errors import did_you_mean, one_of

        raise click.BadParameter(f"unknown kind '{kind}'{did_you_mean(kind, KINDS)}; expected one of "
                                 f"{one_of(KINDS)} or 'all'", param_hint="'--kind'")
    if kind == "all" and output is None:
        raise click.BadParameter("--kind all writes one file per kind: give a folder with -o",
                                 param_hint="'--kind'")
    names = list(KINDS) if kind == "all" else [kind or "cards"]
    kit = load_project(project_root(project)) if "cards" in names else None

    def text(name: str) -> str:
        return json.dumps(KINDS[name].schema(kit), indent=2, ensure_ascii=False) + "\n"

    if output is None:
        click.echo(text(names[0]), nl=False)
        return
    from kaartenoptafel.write.atomic import write_bytes_atomic

    if kind == "all":
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            write_bytes_atomic(folder / f"{name}.schema.json", text(name).encode("utf-8"))
        return
    default_name = "schema.json" if kind is None else f"{kind}.schema.json"
    write_bytes_atomic(output_file(output, default_name), text(names[0]).encode("utf-8"))


@cli.command(epilog=EPILOG)
@project_option
@region_option
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4", show_default=True)
@click.option("--duplex", type=click.Choice(["long", "short", "none"]), default="long", show_default=True,
              help="How your printer flips the sheet for the backs; 'none' prints fronts only.")
@click.option("--back-offset", type=Offset(), metavar="DX,DY", default="0,0", show_default=True,
              help="Shift the backs by this many mm to correct a printer's misalignment (see 'kot calibrate').")
@click.option("--gutter", type=FiniteFloat(0, 20, "mm"), default=None, metavar="MM",
              help="Space between the cards on home sheets, mm; each card's colour runs half of it past its cut. "
                   "Default: 2 on A4, 3 between columns (rows touch) on Letter; 0: cards touch (for a guillotine).")
@click.option("--tables", type=click.IntRange(1, 200), default=None, metavar="N",
              help="Tables that play this session: the guide's checklist and print plan count for N "
                   "(default: 'tables' in cards/game.yaml).")
@click.option("--only", multiple=True, metavar="PRODUCT", help="Build only this product (deck, board, guide); repeatable.")
@click.option("--layout", default="default.yaml", show_default=True, help="Layout file in layouts/.")
@click.option("--out", "out_dir", type=OutputFolder(), default="output", show_default=True,
              help="Output folder; each variant gets a folder inside it.")
@click.option("--board-size", type=click.Choice(["a3", "a2", "a1"], case_sensitive=False), default="a3", show_default=True)
@click.option("--overlap", type=FiniteFloat(3, 40, "mm"), default=10.0, show_default=True, help="Glue overlap of board tiles, mm.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--all", "all_variants", is_flag=True,
              help="Build the base kit and every region ('kot regions'), in parallel, each into OUT/<variant>/.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, metavar="N",
              help="Processes to build in: the products of one variant side by side, or with --all the variants. "
                   "Default: KOT_JOBS, else every core; 1: one after another. The files are the same either way.")
def build(project, region, paper, duplex, back_offset, gutter, tables, only, layout, out_dir, board_size, overlap,
          quiet, all_variants, jobs) -> None:
    """Build the print-ready PDFs into OUT/<variant>/ with a manifest.json."""
    from kaartenoptafel.build import BuildOptions, build as run_build, product_names

    known = product_names()
    for name in only:
        if name not in known:
            raise click.BadParameter(f"'{name}' is not a product; choose from {', '.join(known)}", param_hint="--only")
    root = project_root(project)
    options = BuildOptions(
        project=root, out_dir=Path(out_dir), region=region, paper=paper.lower(), duplex=duplex,
        back_offset=back_offset, only=tuple(only), layout=layout, board_size=board_size.lower(),
        overlap=overlap, quiet=quiet, gutter=gutter, tables=tables, jobs=jobs,
    )
    if all_variants and region:
        raise click.UsageError("use either --all or --region NAME, not both")
    if all_variants:
        from kaartenoptafel.commands.regions import build_all
    manifests = build_all(options) if all_variants else [run_build(options)]
    for manifest in manifests if not quiet else ():
        folder = Path(out_dir) / manifest["variant"]
        for p in manifest["products"]:
            unit = "screens" if p.get("media") == "text/html" else "pages"  # the facilitator screen is HTML
            click.echo(f"{folder / p['path']}  ({p['kind']}, {p['pages']} {unit}, {p['paper']})")
        click.echo(f"{manifest['cards']} cards printed ({manifest['unique_cards']} different)")


@cli.command(epilog=EPILOG)
@project_option
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4", show_default=True)
@click.option("--duplex", type=click.Choice(["long", "short"]), default="long", show_default=True)
@click.option("-o", "--output", default="output/calibrate.pdf", show_default=True,
              help="PDF file to write (a folder gets calibrate.pdf inside it).")
@region_option
def calibrate(project, paper, duplex, output, region) -> None:
    """Print a one-sheet duplex test; read off the --back-offset for your printer."""
    from kaartenoptafel.build import prepare
    from kaartenoptafel.products.calibrate import write_calibration

    target = output_file(output, "calibrate.pdf")  # `-o folder/` writes folder/calibrate.pdf
    ctx = prepare(project_root(project), region)  # a language overlay translates the sheet's texts
    write_calibration(ctx, target, paper.lower(), duplex)
    click.echo(f"{target}: print it double-sided, then follow the steps on the sheet")


def main() -> None:
    """Entry point: map content errors, interrupts and bugs to the documented exit codes."""
    atexit.register(gc.freeze)  # what is alive at exit goes with the process: collecting it took 0.25 s
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (None if s is None else TerminalStream(s) for s in streams)  # no control character passes
    try:
        _main()
    finally:
        sys.stdout, sys.stderr = streams


def _main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted; the previous output is unchanged", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.message = printable(exc.message)  # a usage message quotes what was typed
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except ContentError as exc:
        for diagnostic in sorted(exc.diagnostics, key=in_file_order):
            click.echo(str(diagnostic), err=True)
        n = len(exc.diagnostics)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found; nothing was written", err=True)
        sys.exit(EXIT_CONTENT)
    except KeyboardInterrupt:
        click.echo("interrupted; the previous output is unchanged", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except PermissionError as exc:
        raw = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
        if raw is not None and not raw.exists() and raw.parent.is_dir():  # it could not be made: its folder is locked
            what = f"into '{_shown(raw.parent)}'"
        else:
            what = f"'{_shown(exc.filename)}'"
        click.echo(printable(f"error: cannot write {what}: permission denied; the previous output is unchanged; "
                             "choose another folder with --out"), err=True)
        sys.exit(EXIT_CONTENT)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            where = f" while writing '{_shown(exc.filename)}'" if exc.filename else ""
            click.echo(printable(f"error: the disk is full{where}; free some space and build again; "
                                 "the previous output is unchanged"), err=True)
            sys.exit(EXIT_CONTENT)
        if getattr(exc, "filename", None) or exc.errno in _ENVIRONMENT_ERRNOS:
            where = f"{_shown(exc.filename)}: " if exc.filename else ""
            click.echo(printable(f"error: {where}{exc.strerror or exc}; the previous output is unchanged"), err=True)
            sys.exit(EXIT_CONTENT)
        _internal(exc)
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a short report
        _internal(exc)
    sys.exit(0)


# errors of the machine, not of kaartenoptafel: a full disk, a read-only or vanished drive
_ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.ENOENT}


def _shown(filename) -> str:
    """A path for a message, as the user knows it: a hidden temporary file is shown as the folder it was made in,
    and a staging folder as the variant folder it becomes (output/.default.staging-x1/deck.pdf: output/default/deck.pdf)."""
    path = Path(os.fsdecode(filename)) if filename is not None else Path("?")
    if path.name.startswith(".") and path.name.endswith((".tmp", ".old")):
        path = path.parent
    parts = [re.sub(r"^\.(.+)\.(?:staging|old)-\w+$", r"\1", part) for part in path.parts]
    return str(Path(*parts)) if parts else str(path)


def _internal(exc: BaseException) -> None:
    frames = traceback.extract_tb(exc.__traceback__)
    where = getattr(exc, "kot_where", None)  # a fault in a worker process: where it happened there
    if not isinstance(where, str):
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    click.echo(
        printable(f"internal error in kaartenoptafel {__version__}: {exc.__class__.__name__}: {exc} (at {where})") + "\n"
        "This is a bug, not a problem in your cards. Please report it with the command you ran\n"
        "and this message to the kaartenoptafel issue tracker.",
        err=True,
    )
    if os.environ.get("KOT_DEBUG"):
        traceback.print_exception(exc)
    sys.exit(EXIT_INTERNAL)


# -- commands in their own modules (each registers with one line here; imported only when used) -----
cli.lazy["regions"] = "kaartenoptafel.commands.regions:regions"
cli.lazy["diff"] = "kaartenoptafel.commands.regions:diff"
cli.lazy["init"] = "kaartenoptafel.commands.init:init"
cli.lazy["preview"] = "kaartenoptafel.commands.preview:preview"
cli.lazy["sheet"] = "kaartenoptafel.commands.preview:sheet"
cli.lazy["watch"] = "kaartenoptafel.commands.watch:watch"
cli.lazy["new"] = "kaartenoptafel.commands.new:new"
cli.lazy["edit"] = "kaartenoptafel.commands.edit:edit"
