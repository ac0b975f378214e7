"""Prepress at the source: the layout's ``print:`` settings, every layout colour in CMYK, and their checks.

A print shop's preflight rejects a file for total ink over about 300 % or for images under about 250
dpi, but it can only name a page. These checks run on the layout files and the card images themselves,
before anything is written (``kot validate`` and ``kot build`` both run them), so the message names the
colour or image at its line; ``check.preflight`` then checks the written PDF again, independently.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaartenoptafel.errors import Collector, Diagnostic, Pos
from kaartenoptafel.layout.spec import HEX, parse_colour, read_layout
from kaartenoptafel.render.colour import (BUILTIN, BUILTIN_FILE, CMYK, PrintSettings, ProfileError, Separator,
                                          describe_cmyk, ink_percent, max_ink_of_image, rgb_to_8, separator_for)

PRINT_KEYS = ("profile", "condition", "max_ink", "min_dpi")
BOARD_LAYOUT = "board.yaml"


@dataclass(frozen=True)
class LayoutColour:
    """One colour as a layout file writes it, and what it prints as."""

    label: str  # e.g. colours.groups.zorg
    raw: Any
    pos: Pos
    cmyk: CMYK

    def named(self) -> str:
        shown = self.raw if isinstance(self.raw, str) else "[" + ", ".join(f"{v:g}" for v in self.raw) + "]"
        return f"colour '{self.label}' ({shown})"


@dataclass
class Prepress:
    """Everything the print-shop writer and the preflight need for one project and layout."""

    settings: PrintSettings
    separator: Separator
    colours: list[LayoutColour]
    logo_pos: Pos | None = None

    def sources(self, cmyk: CMYK) -> list[LayoutColour]:
        """The layout colours that print as ``cmyk`` (for a located message about a colour in a PDF)."""
        return [c for c in self.colours if all(abs(a - b) < 0.006 for a, b in zip(c.cmyk, cmyk))]


def _layout_name(spec) -> str:
    """The layout file the spec was read from, relative to layouts/ (the last file of its extends chain)."""
    shown = Path(spec.files[-1]) if spec.files else Path("layouts/default.yaml")
    parts = shown.parts
    return str(Path(*parts[parts.index("layouts") + 1:])) if "layouts" in parts else shown.name


def _walk_colours(data: Any, key: tuple = ()):
    """(key, value) of every colour in a layout: '#rrggbb' anywhere, [c, m, y, k] under a colour key."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk_colours(v, key + (k,))
    elif isinstance(data, list):
        colourish = any(isinstance(k, str) and ("colour" in k or k == "fill") for k in key)
        if colourish and parse_colour(data) is not None and all(not isinstance(v, str) for v in data):
            yield key, data
        else:
            for i, v in enumerate(data):
                yield from _walk_colours(v, key + (i,))
    elif isinstance(data, str) and HEX.match(data):
        yield key, data


def read_settings(loc, out: Collector) -> PrintSettings:
    """The layout's ``print:`` section, checked; the built-in profile when it is absent."""
    raw = loc.data.get("print") if loc is not None else None
    if raw is None:
        return PrintSettings()
    if not isinstance(raw, dict):
        out.error(loc.pos("print"), "'print' must be a mapping: {profile: builtin, condition: FOGRA39, max_ink: 300, "
                                    "min_dpi: 250}")
        return PrintSettings()
    for key in raw:
        if key not in PRINT_KEYS:
            out.error(loc.key_pos("print", key), f"unknown key 'print.{key}'; expected one of "
                                                 + ", ".join(f"'{k}'" for k in PRINT_KEYS))
    profile = raw.get("profile", BUILTIN)
    if not isinstance(profile, str) or not profile.strip():
        out.error(loc.pos("print", "profile"), "'print.profile' must be 'builtin' or an .icc file in the project, "
                                               "such as profiles/drukkerij.icc")
        profile = BUILTIN
    condition = raw.get("condition")
    if condition is not None and (not isinstance(condition, str) or not condition.strip()):
        out.error(loc.pos("print", "condition"), "'print.condition' must be the printing condition's name, e.g. FOGRA39")
        condition = None
    numbers = {}
    for key, default, low, high in (("max_ink", 300.0, 100, 400), ("min_dpi", 250.0, 50, 1200)):
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            out.error(loc.pos("print", key), f"'print.{key}' must be a number from {low} to {high}, not {value!r}")
            value = default
        numbers[key] = float(value)
    return PrintSettings(profile, condition, numbers["max_ink"], numbers["min_dpi"],
                         {k: loc.pos("print", k) for k in raw})


def _profile_path(root: Path, settings: PrintSettings, out: Collector) -> Path | None:
    if settings.profile == BUILTIN:
        return BUILTIN_FILE
    from kaartenoptafel.load.checks import project_file

    path, problem = project_file(root, settings.profile, "profile")
    if problem:
        out.error(settings.pos.get("profile"), problem)
        return None
    return path


_CACHE: dict[tuple, Prepress] = {}


def prepress_for(ctx, out: Collector) -> Prepress | None:
    """The print settings, separator and layout colours of a context (read once per layout files)."""
    spec = ctx.spec
    root = Path(spec.root)
    stamp = tuple((f, _mtime(root / f)) for f in spec.files) + (_mtime(root / "layouts" / BOARD_LAYOUT),)
    key = (str(root), stamp)
    if key in _CACHE:
        return _CACHE[key]
    local = Collector()
    loc = read_layout(root, _layout_name(spec), local)
    settings = read_settings(loc, local)
    path = _profile_path(root, settings, local)
    located = []
    if loc is not None:
        located += [(loc, k, v) for k, v in _walk_colours(loc.data)]
    if (root / "layouts" / BOARD_LAYOUT).is_file():
        board = read_layout(root, BOARD_LAYOUT, Collector())  # its own mistakes are the board product's to report
        if board is not None:  # the poster's colours; tiles and worksheets are printed at home, in RGB
            located += [(board, k, v) for k, v in _walk_colours(board.data) if k[0] not in ("tiles", "worksheets")]
    fixed, black = {}, set()
    for _, _, value in located:
        colour = parse_colour(value)
        if colour.cmyk is not None:
            fixed[rgb_to_8(colour.as_rgb())] = colour.cmyk
    for docs, key_path, value in located:
        if key_path in (("colours", "ink"), ("board", "colours", "ink")) and isinstance(value, str):
            black.add(rgb_to_8(parse_colour(value).rgb))
    separator = None
    if path is not None:
        try:
            separator = separator_for(str(path), settings.condition, frozenset(black), tuple(sorted(fixed.items())))
        except (ProfileError, OSError) as exc:
            local.error(settings.pos.get("profile"), f"print.profile: {exc}")
    out.extend(local.diagnostics)
    if separator is None or local:
        return None
    colours = []
    for docs, key_path, value in located:
        colour = parse_colour(value)
        cmyk = colour.cmyk if colour.cmyk is not None else separator.cmyk8(rgb_to_8(colour.rgb))
        colours.append(LayoutColour(".".join(str(k) for k in key_path), value, docs.pos(*key_path), cmyk))
    result = Prepress(settings, separator, colours, loc.pos("back", "logo") if loc is not None else None)
    _CACHE[key] = result
    return result


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def check_ink(prep: Prepress, out: Collector) -> None:
    """Every layout colour within the total ink limit, as it prints."""
    limit = prep.settings.max_ink
    for colour in prep.colours:
        total = ink_percent(colour.cmyk)
        if total > limit + 0.5:
            if isinstance(colour.raw, list):
                given, fix = "", "lower C, M or Y so the four add up to less"
            else:
                given = f" through the profile it prints as {describe_cmyk(colour.cmyk)}:"
                fix = "choose a lighter or less saturated colour, or give it as [c, m, y, k]"
            out.error(colour.pos, f"{colour.named()}:{given} {total:.0f} % total ink; print shops accept at most "
                                  f"{limit:g} % (print.max_ink); {fix}")


_WARNED: set[str] = set()
SINK: list[str] | None = None  # in a build's worker process: the warnings, for the build to print (workers._run_task)


def warn(pos: Pos | None, message: str) -> None:
    """A warning on stderr, once per process: the build goes on (a print shop may still accept it)."""
    warn_line(str(Diagnostic(pos, message, severity="warning")))


def warn_line(line: str) -> None:
    if line not in _WARNED:
        _WARNED.add(line)
        if SINK is not None:
            SINK.append(line)
        else:
            print(line, file=sys.stderr)


def check_images(ctx, prep: Prepress, cards, out: Collector) -> None:
    """Images on the print-shop cards: resolution at their placed size, and total ink of every pixel."""
    from kaartenoptafel.layout.back import layout_back
    from kaartenoptafel.layout.card import ImageBox, layout_card

    seen: set = set()
    layouts = [layout_card(ctx, card, Collector()) for card in cards]
    layouts += [layout_back(ctx, ctx.kit.types[t]) for t in sorted({card.type for card in cards})]
    for lay in layouts:
        for box in (lay.boxes if lay else ()):
            if isinstance(box, ImageBox) and (box.path, box.w, box.h) not in seen:
                seen.add((box.path, box.w, box.h))
                pos = box.pos or prep.logo_pos
                check_image_file(prep, Path(box.path), box.w, box.h, pos, out)


def check_image_file(prep: Prepress, path: Path, w_pt: float, h_pt: float, pos: Pos | None, out: Collector) -> None:
    from PIL import Image

    from kaartenoptafel.render.images import MAX_DPI, opened_image, upright

    try:
        with opened_image(path) as im:  # Pillow's pixel limit as an error for this call, not changed for the process
            im.load()
            im = upright(im)  # as it prints: turned by its EXIF orientation, 16-bit grey scaled
            rgb = im.convert("RGBA" if "A" in im.getbands() or "transparency" in im.info else "RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return  # reported by the image checks of the layout and the cards
    scale = min(w_pt / rgb.width, h_pt / rgb.height)  # drawn to fit its box, keeping its proportions
    dpi = min(72 / scale, MAX_DPI)
    if dpi < prep.settings.min_dpi - 0.5:
        warn(pos, f"image '{path.name}' is {rgb.width} x {rgb.height} pixels: {dpi:.0f} dpi at its printed size "
                  f"({rgb.width * scale / 72 * 25.4:.0f} x {rgb.height * scale / 72 * 25.4:.0f} mm); print shops ask for "
                  f"at least {prep.settings.min_dpi:g} dpi, so it may print soft")
    if rgb.mode == "RGBA":  # transparent pixels print nothing: what prints is the image over the paper
        rgb = Image.alpha_composite(Image.new("RGBA", rgb.size, (255, 255, 255, 255)), rgb)
    sample = rgb.convert("RGB")
    if sample.width * sample.height > 250_000:
        sample = sample.resize((min(sample.width, 500), min(sample.height, 500)), Image.NEAREST)
    cmyk = prep.separator.image(sample)
    worst = max_ink_of_image(cmyk)
    if worst > prep.settings.max_ink + 0.5:
        out.error(pos, f"image '{path.name}': its darkest pixels print with {worst:.0f} % total ink; print shops accept "
                       f"at most {prep.settings.max_ink:g} % (print.max_ink); lighten the shadows or use a profile "
                       "with a lower ink limit")


def check_prepress(ctx, cards, out: Collector) -> None:
    """`kot validate` and `kot build`: the print settings, every layout colour's ink and the card images."""
    prep = prepress_for(ctx, out)
    if prep is None:
        return
    check_ink(prep, out)
    check_images(ctx, prep, cards, out)
