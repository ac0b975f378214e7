"""The layout spec: ``layouts/*.yaml`` read (with ``extends``), checked and turned into plain data.

Everything is millimetres here; the layout and render stages convert to points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.layout.framecheck import inside_card, prints_something
from kaartenoptafel.load.checks import describe
from kaartenoptafel.load.yamlfile import Doc, read_yaml
from kaartenoptafel.schema.check import node_at, unknown_keys
from kaartenoptafel.schema.layout import ALIGNS, FRAME, FRAME_KINDS, LAYOUT, SAME_SIZE, SHAPES, STYLE, TYPE_LAYOUT
from kaartenoptafel.schema.nodes import ListOf

CARD_SIZES = {"poker": (63.0, 88.0), "a7": (74.0, 105.0), "tarot": (70.0, 120.0), "square": (63.0, 63.0),
              "token": (25.0, 25.0),
              "bridge": (57.0, 88.0), "mini": (44.0, 63.0)}
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Colour:
    """A colour as written: RGB (0..1) or CMYK (0..1)."""

    rgb: tuple[float, float, float] | None = None
    cmyk: tuple[float, float, float, float] | None = None

    def hex(self) -> str:
        r, g, b = self.as_rgb()
        return "#%02x%02x%02x" % (round(r * 255), round(g * 255), round(b * 255))

    def as_rgb(self) -> tuple[float, float, float]:
        if self.rgb is not None:
            return self.rgb
        c, m, y, k = self.cmyk
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))

    def luminance(self) -> float:
        r, g, b = self.as_rgb()
        return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(frozen=True)
class Style:
    size: float = 10.0
    min_size: float = 8.0
    bold: bool = False
    italic: bool = False
    colour: str = "ink"  # a token (ink, accent, paper, …) or '#hex'
    leading: float = 1.2
    align: str = "left"
    label_colour: str = "accent"


@dataclass(frozen=True)
class Frame:
    kind: str
    x: float
    y: float
    w: float | None  # None: fill to the safe margin (text) or the card edge (band)
    h: float | None
    field: str | None = None
    fields: tuple[str, ...] = ()
    style: str = "body"
    fill: str = "accent"
    checks: str | None = None
    file: str | None = None
    pos: Pos | None = None


@dataclass(frozen=True)
class TypeLayout:
    colour: Colour
    accent_by: str | None = None  # a card field whose value picks the accent colour
    accent_from: str | None = None  # the colour table it picks from (``colours.<name>``)
    frames: tuple[Frame, ...] = ()
    # the card's own fields on its back, over the type's back background; () = one back for the whole type
    back_frames: tuple[Frame, ...] = ()
    size: tuple[float, float] | None = None  # this type's own size in mm (a token, a table card); None: card.size
    shape: str = "rect"  # rect | round (a round token: home sheets get a circular cut guide)
    size_pos: Pos | None = None


@dataclass(frozen=True)
class BackSpec:
    fill: str = "colour"
    frame_inset: float = 0.0
    show_title: bool = True
    logo: str | None = None


@dataclass(frozen=True)
class LayoutSpec:
    width: float
    height: float
    bleed: float
    safe: float
    corner_radius: float
    fonts: dict[str, Any]
    min_font_size: float
    colours: dict[str, Colour]
    tables: dict[str, dict[str, Colour]]  # named colour tables, e.g. groups
    styles: dict[str, Style]
    types: dict[str, TypeLayout]
    back: BackSpec
    root: Path
    files: tuple[str, ...] = field(default=())
    # where each colour is set: ('colours', name), ('colours', table, key), ('types', id, 'colour'),
    # ('styles', name, 'colour' | 'label_colour'), ('back', 'fill'): for located contrast errors
    positions: dict = field(default_factory=dict, compare=False)
    same_size: str = "type"  # 'type': every card of a type prints each style at one size; 'card': each its own
    hyphenate: bool = False  # split long words on cards (with the rules of layout.text.hyphenator)
    size_pos: Pos | None = field(default=None, compare=False)  # where card.size is written (or the layout file)

    def sized(self, type_id: str) -> "LayoutSpec":
        """This spec at the size of ``type_id`` (its own ``size:``, else the card size)."""
        tl = self.types.get(type_id)
        if tl is None or tl.size is None or tl.size == (self.width, self.height):
            return self
        from dataclasses import replace

        return replace(self, width=tl.size[0], height=tl.size[1], size_pos=tl.size_pos or self.size_pos)

    def shape(self, type_id: str) -> str:
        tl = self.types.get(type_id)
        return tl.shape if tl is not None else "rect"

    def type_layout(self, type_id: str, field_names: list[str], title_field: str) -> TypeLayout:
        """The type's layout, or a plain generic one so a new card type prints without a layout change."""
        if type_id in self.types:
            return self.types[type_id]
        rest = tuple(f for f in field_names if f != title_field)
        return TypeLayout(
            colour=Colour(rgb=(0.3, 0.3, 0.3)),
            frames=(
                Frame("band", 0, 0, None, 15, fill="accent"),
                Frame("text", self.safe, self.safe, None, 9, field=title_field, style="title"),
                Frame("stack", self.safe, 18, None, None, fields=rest, style="body"),
            ),
        )


def parse_colour(value: Any) -> Colour | None:
    if isinstance(value, str) and HEX.match(value):
        return Colour(rgb=tuple(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    if isinstance(value, list) and len(value) == 4 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value
    ):
        return Colour(cmyk=tuple(v / 100 for v in value))
    return None


COLOUR_WORDS = ("accent", "colour", "on_accent", "on_colour")  # the card's accent and type colour, text on them


def check_colour_token(out: Collector, pos: Pos, token: Any, colours: dict, what: str = "colour") -> bool:
    """A colour as a layout names it: '#rrggbb', a colour of ``colours:`` or one of COLOUR_WORDS. Anything else
    (``acent``, ``'#zzzzzz'``) is an error with a did-you-mean, not the near-black ink it used to print as."""
    if isinstance(token, str) and (HEX.match(token) or token in colours or token in COLOUR_WORDS):
        return True
    known = [*COLOUR_WORDS, *colours]
    shown = f"'{token}'" if isinstance(token, str) else describe(token)
    hint = did_you_mean(token, known) if isinstance(token, str) else ""
    if isinstance(token, str) and token.startswith("#"):
        hint = " (a colour code is '#' and six of 0-9 and a-f, such as '#1f6f8b')"
    out.error(pos, f"{what} {shown} is not a colour{hint}; use '#rrggbb' or one of {one_of(known)}")
    return False


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return over


class _Located:
    """Merged layout data that still knows which file and line each value came from."""

    def __init__(self) -> None:
        self.data: dict = {}
        self.docs: list[Doc] = []

    def pos(self, *key) -> Pos:
        for doc in reversed(self.docs):  # the overriding file wins
            node = doc.data
            try:
                for k in key:
                    node = node[k]
            except (KeyError, IndexError, TypeError):
                continue
            return doc.pos(*key)
        return self.docs[-1].pos() if self.docs else Pos("layouts")

    def key_pos(self, *key) -> Pos:
        for doc in reversed(self.docs):
            if tuple(key) in doc.key_positions:
                return doc.key_positions[tuple(key)]
        return self.pos(*key[:-1])


def read_layout(root: Path, name: str, out: Collector) -> _Located | None:
    located = _Located()
    chain: list[Path] = []
    layouts_dir = root / "layouts"
    path = layouts_dir / name
    if not path.suffix:
        path = path.with_suffix(".yaml")
    while True:
        if path in chain:
            names = " -> ".join(p.name for p in chain + [path])
            out.error(located.pos("extends"), f"layouts extend each other in a circle: {names}")
            return None
        if not path.is_file():
            where = located.pos("extends") if located.docs else Pos(f"layouts/{path.name}")
            known = [p.name for p in layouts_dir.glob("*.yaml")] if layouts_dir.is_dir() else []
            out.error(where, f"layout file '{path.name}' not found{did_you_mean(path.name, known)}")
            return None
        doc, problems = read_yaml(path, root)
        out.extend(problems)
        if doc is None:
            return None
        if doc.data is None:
            doc.data = {}
        if not isinstance(doc.data, dict):
            out.error(doc.pos(), "a layout file must be a mapping (card:, fonts:, colours:, ...)")
            return None
        chain.append(path)
        located.docs.insert(0, doc)
        parent = doc.data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str):
            out.error(doc.pos("extends"), "'extends' must be the name of another layout file, such as default.yaml")
            return None
        path = (path.parent / parent).resolve()
        try:
            path.relative_to(layouts_dir.resolve())
        except ValueError:
            out.error(doc.pos("extends"), f"'{parent}' is outside the layouts/ folder")
            return None
    for doc in located.docs:
        located.data = _merge(located.data, doc.data)
    return located


def _number(out: Collector, loc: _Located, key: tuple, default: float) -> float:
    """The number at ``key``, in the range and unit its declaration gives (:data:`~kaartenoptafel.schema.layout.LAYOUT`)."""
    declared = node_at(LAYOUT, key)
    low, high, unit = declared.minimum, declared.maximum, declared.unit
    node = loc.data
    for k in key:
        if not isinstance(node, dict) or k not in node:
            return default
        node = node[k]
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        out.error(loc.pos(*key), f"'{'.'.join(map(str, key))}' must be a number in {unit}, not {describe(node)}")
        return default
    if not low <= node <= high:
        out.error(loc.pos(*key), f"'{'.'.join(map(str, key))}' is {node} {unit}; expected {low} to {high} {unit}")
        return default
    return float(node)


def _size_range(key: tuple) -> tuple[float, float]:
    """The lowest and highest width or height a size's declaration allows for [width, height]."""
    pair = next(option for option in node_at(LAYOUT, key).options if isinstance(option, ListOf))
    return pair.item.minimum, pair.item.maximum


def _mapping(out: Collector, loc: _Located, key: str, what: str | None = None) -> dict:
    """``data[key]`` when it is a mapping (or absent: {}); anything else is reported and ignored."""
    value = loc.data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        what = what or ", ".join(node_at(LAYOUT, (key,)).names)  # such as 'size, bleed, safe, corner_radius'
        out.error(loc.pos(key), f"'{key}' must be a mapping ({what}), not {describe(value)}")
        return {}
    return value


def _image(out: Collector, root: Path, value: Any, pos: Pos) -> str | None:
    """An image file the layout names: inside the project, present and readable (checked now, not at print time)."""
    from kaartenoptafel.render.images import check_image

    _, problem = check_image(root, value)
    if problem:
        out.error(pos, problem)
        return None
    return value


def load_layout(root: Path, name: str = "default.yaml") -> tuple[LayoutSpec | None, list]:
    """Read ``layouts/<name>`` and everything it extends; returns (spec, problems)."""
    out = Collector()
    loc = read_layout(root, name, out)
    if loc is None:
        return None, out.diagnostics
    data = loc.data
    unknown_keys(out, LAYOUT, data, lambda k: loc.key_pos(k))
    card = _mapping(out, loc, "card")
    unknown_keys(out, node_at(LAYOUT, ("card",)), card, lambda k: loc.key_pos("card", k))
    size = card.get("size", "poker")
    width, height = 63.0, 88.0
    if isinstance(size, str):
        if size.lower() in CARD_SIZES:
            width, height = CARD_SIZES[size.lower()]
        else:
            out.error(loc.pos("card", "size"), f"unknown card size '{size}'{did_you_mean(size, CARD_SIZES)}; use one of {one_of(CARD_SIZES)} or [width, height] in mm")
    elif isinstance(size, list) and len(size) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in size):
        width, height = float(size[0]), float(size[1])
        for value, what in ((width, "width"), (height, "height")):
            low, high = _size_range(("card", "size"))
            if not low <= value <= high:
                out.error(loc.pos("card", "size"), f"card {what} {value} mm is not a card size; expected {low} to {high} mm")
                width, height = 63.0, 88.0
    else:
        out.error(loc.pos("card", "size"), "card size must be a name (poker, a7, tarot, square) or [width, height] in mm")
    bleed = _number(out, loc, ("card", "bleed"), 3.0)
    safe = _number(out, loc, ("card", "safe"), 4.0)
    if safe * 2 >= min(width, height) - 10:
        out.error(loc.pos("card", "safe"), f"safe margin {safe} mm leaves no room on a {width:g} x {height:g} mm card")
    radius = _number(out, loc, ("card", "corner_radius"), 3.0)
    min_font = _number(out, loc, ("min_font_size",), 8.0)

    colours: dict[str, Colour] = {}
    tables: dict[str, dict[str, Colour]] = {}
    raw_colours = _mapping(out, loc, "colours", "name: colour")
    for cname, value in raw_colours.items():
        if isinstance(value, dict):
            tables[cname] = {}
            for k, v in value.items():
                c = parse_colour(v)
                if c is None:
                    out.error(loc.pos("colours", cname, k), f"colour {v!r} is not '#rrggbb' or [c, m, y, k]")
                else:
                    tables[cname][str(k)] = c
            continue
        c = parse_colour(value)
        if c is None:
            out.error(loc.pos("colours", cname), f"colour {value!r} is not '#rrggbb' or [c, m, y, k] (0-100)")
        else:
            colours[cname] = c
    colours.setdefault("ink", Colour(rgb=(0.11, 0.11, 0.1)))
    colours.setdefault("paper", Colour(rgb=(1, 1, 1)))

    styles: dict[str, Style] = {}
    for sname, raw in _mapping(out, loc, "styles", "name: {size, bold, colour, ...}").items():
        if not isinstance(raw, dict):
            out.error(loc.pos("styles", sname), f"style '{sname}' must be a mapping such as {{size: 10}}")
            continue
        unknown_keys(out, STYLE, raw, lambda k, s=sname: loc.key_pos("styles", s, k), name=sname)
        size = _number(out, loc, ("styles", sname, "size"), 10)
        min_size = _number(out, loc, ("styles", sname, "min_size"), min(size, min_font))
        align = raw.get("align", "left")
        if align not in ALIGNS:
            out.error(loc.pos("styles", sname, "align"), f"align '{align}' is not one of {one_of(ALIGNS)}")
            align = "left"
        for flag in ("bold", "italic"):  # bool("false") is True: a quoted 'false' printed bold
            if flag in raw and not isinstance(raw[flag], bool):
                out.error(loc.pos("styles", sname, flag), f"'{flag}' of style '{sname}' must be true or false, not "
                                                          f"{describe(raw[flag])}")
        for token_key in ("colour", "label_colour"):
            token = raw.get(token_key)
            if token is not None:
                check_colour_token(out, loc.pos("styles", sname, token_key), token, colours, f"'{token_key}' of style '{sname}':")
        styles[sname] = Style(
            size=size,
            min_size=min(min_size, size),
            bold=raw.get("bold") is True,
            italic=raw.get("italic") is True,
            colour=str(raw.get("colour", "ink")),
            leading=_number(out, loc, ("styles", sname, "leading"), 1.2),
            align=align,
            label_colour=str(raw.get("label_colour", "accent")),
        )
    for needed in ("title", "caption", "body", "back", "back_small"):
        styles.setdefault(needed, Style())

    types: dict[str, TypeLayout] = {}
    for tid, raw in _mapping(out, loc, "types", "card type: {colour, frames}").items():
        if not isinstance(raw, dict):
            out.error(loc.pos("types", tid), f"the layout of type '{tid}' must be a mapping (colour, frames)")
            continue
        unknown_keys(out, TYPE_LAYOUT, raw, lambda k, t=tid: loc.key_pos("types", t, k), tid=tid)
        colour = parse_colour(raw.get("colour", "#4d4d4d"))
        if colour is None:
            out.error(loc.pos("types", tid, "colour"), f"colour {raw.get('colour')!r} is not '#rrggbb' or [c, m, y, k]")
            colour = Colour(rgb=(0.3, 0.3, 0.3))
        accent_by = accent_from = None
        accent = raw.get("accent")
        if isinstance(accent, dict):
            accent_by, accent_from = accent.get("by"), accent.get("from")
            if not isinstance(accent_by, str) or not isinstance(accent_from, str):
                out.error(loc.pos("types", tid, "accent"), "accent must be {by: <field>, from: <colour table>}, both names")
                accent_by = accent_from = None
            elif accent_from not in tables:
                out.error(loc.pos("types", tid, "accent"), f"accent table '{accent_from}' is not under colours{did_you_mean(str(accent_from), tables)}")
                accent_by = accent_from = None
        elif accent is not None:
            out.error(loc.pos("types", tid, "accent"), "accent must be {by: <field>, from: <colour table>}")
        own = _size(out, loc.pos("types", tid, "size"), raw["size"], None, _size_range(("types", tid, "size"))) \
            if "size" in raw else None
        shape = raw.get("shape", "round" if raw.get("size") == "token" else "rect")
        if shape not in SHAPES:
            out.error(loc.pos("types", tid, "shape"), f"shape {shape!r} is not one of {one_of(SHAPES)}")
            shape = "rect"
        tw, th = own or (width, height)
        frames = _frames(out, loc, tid, "frames", raw, styles, tw, th, root, colours, safe)
        back_frames = _frames(out, loc, tid, "back_frames", raw, styles, tw, th, root, colours, safe)
        types[str(tid)] = TypeLayout(colour=colour, accent_by=accent_by, accent_from=accent_from, frames=frames,
                                     back_frames=back_frames, size=own, shape=shape,
                                     size_pos=loc.pos("types", tid, "size") if "size" in raw else None)

    back_raw = _mapping(out, loc, "back")
    unknown_keys(out, node_at(LAYOUT, ("back",)), back_raw, lambda k: loc.key_pos("back", k))
    logo = back_raw.get("logo")
    if logo is not None:
        logo = _image(out, root, logo, loc.pos("back", "logo"))
    fill = back_raw.get("fill", "colour")
    if not check_colour_token(out, loc.pos("back", "fill"), fill, colours, "back fill"):
        fill = "colour"
    show_title = back_raw.get("show_title", True)
    if not isinstance(show_title, bool):
        out.error(loc.pos("back", "show_title"), f"show_title must be true or false, not {describe(show_title)}")
        show_title = True
    back = BackSpec(
        fill=fill,
        frame_inset=_frame_inset(out, loc, safe),
        show_title=show_title,
        logo=logo or None,
    )
    text_raw = _mapping(out, loc, "text")
    unknown_keys(out, node_at(LAYOUT, ("text",)), text_raw, lambda k: loc.key_pos("text", k))
    same_size = text_raw.get("same_size", "type")
    if same_size not in SAME_SIZE:
        out.error(loc.pos("text", "same_size"), f"same_size must be 'type' (one text size per style for all cards "
                                                f"of a type) or 'card' (each card shrinks on its own), not {describe(same_size)}")
        same_size = "type"
    hyphenate = text_raw.get("hyphenate", False)
    if not isinstance(hyphenate, bool):
        out.error(loc.pos("text", "hyphenate"), f"hyphenate must be true or false, not {describe(hyphenate)}")
        hyphenate = False
    fonts = data.get("fonts", {"family": "AtkinsonHyperlegibleNext"})
    if not isinstance(fonts, dict) or not fonts:
        out.error(loc.pos("fonts"), "'fonts' must be a mapping: {family: NAME} or {regular: file.ttf, bold: ...}")
        fonts = {"family": "AtkinsonHyperlegibleNext"}
    unknown_keys(out, node_at(LAYOUT, ("fonts",)), fonts, lambda k: loc.key_pos("fonts", k))
    for key, value in fonts.items():
        if not isinstance(value, str) or not value.strip():
            out.error(loc.pos("fonts", key), f"fonts '{key}' must be a font family name or a .ttf file, not {describe(value)}")
    spec = LayoutSpec(
        width=width, height=height, bleed=bleed, safe=safe, corner_radius=radius,
        fonts={**fonts, "_pos": {k: loc.pos("fonts", k) for k in fonts}},
        min_font_size=min_font, colours=colours, tables=tables, styles=styles, types=types, back=back, root=root,
        files=tuple(d.path for d in loc.docs), same_size=same_size, hyphenate=hyphenate,
        positions=_colour_positions(loc, colours, tables, styles, types),
        size_pos=loc.pos("card", "size"),
    )
    return (None if out else spec), out.diagnostics


def _size(out: Collector, pos: Pos, size: Any, default, limits: tuple[float, float]):
    """A size as written: a preset name or [width, height] in mm (each from ``limits``: 10 to 300)."""
    if isinstance(size, str):
        if size.lower() in CARD_SIZES:
            return CARD_SIZES[size.lower()]
        out.error(pos, f"unknown size '{size}'{did_you_mean(size, CARD_SIZES)}; use one of {one_of(CARD_SIZES)} "
                       f"or [width, height] in mm")
        return default
    if isinstance(size, list) and len(size) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in size):
        w, h = float(size[0]), float(size[1])
        low, high = limits
        if all(low <= v <= high for v in (w, h)):
            return (w, h)
        out.error(pos, f"size {w:g} x {h:g} mm is not a component size; expected {low} to {high} mm each")
        return default
    out.error(pos, f"size must be a name ({one_of(CARD_SIZES)}) or [width, height] in mm, not {describe(size)}")
    return default


def _frames(out, loc, tid, key: str, raw: dict, styles, width, height, root, colours=None, safe=0.0) -> tuple[Frame, ...]:
    """The ``frames:`` (front) or ``back_frames:`` (back) list of one type's layout."""
    frames = []
    raw_frames = raw.get(key, []) or []
    if not isinstance(raw_frames, list):
        out.error(loc.pos("types", tid, key), f"'{key}' must be a list, each starting with '- {{kind: ...}}', "
                                              f"not {describe(raw_frames)}")
        raw_frames = []
    for i, fraw in enumerate(raw_frames):
        frame = _parse_frame(out, loc, ("types", tid, key, i), fraw, styles, width, height, root, colours, safe)
        if frame:
            frames.append(frame)
    return tuple(frames)


def _frame_inset(out: Collector, loc, safe: float) -> float:
    """The back's thin frame: not drawn (0), or at least the safe margin inside the cut, so an off cut does not
    show it running crooked along the edge."""
    inset = _number(out, loc, ("back", "frame_inset"), 0)
    if 0 < inset < safe:
        out.error(loc.pos("back", "frame_inset"), f"frame_inset {inset:g} mm is closer to the cut than the safe "
                                                  f"margin ({safe:g} mm): a cut that is slightly off would show it "
                                                  f"crooked; use 0 (no frame) or at least {safe:g}")
    return inset


def _colour_positions(loc, colours, tables, styles, types) -> dict:
    where = {("colours", n): loc.pos("colours", n) for n in colours}
    where.update({("colours", t, k): loc.pos("colours", t, k) for t, table in tables.items() for k in table})
    where.update({("types", t, "colour"): loc.pos("types", t, "colour") for t in types})
    raw_styles = loc.data.get("styles") if isinstance(loc.data.get("styles"), dict) else {}
    for name in styles:
        for key in ("colour", "label_colour"):  # a style that does not set it: the style's own line
            written = isinstance(raw_styles.get(name), dict) and key in raw_styles[name]
            where[("styles", name, key)] = loc.pos("styles", name, key) if written else loc.pos("styles", name)
    where[("back", "fill")] = loc.pos("back", "fill")
    where[("file",)] = loc.pos()  # the layout file itself: for a colour no line sets (a generic type layout)
    return where


def _parse_frame(out, loc, key, raw, styles, width, height, root=None, colours=None, safe=0.0) -> Frame | None:
    if not isinstance(raw, dict):
        out.error(loc.pos(*key), "a frame must be a mapping such as {kind: text, field: titel, at: [4, 4, fill, 9]}")
        return None
    unknown_keys(out, FRAME, raw, lambda k: loc.key_pos(*key, k))
    kind = raw.get("kind")
    if kind not in FRAME_KINDS:
        out.error(loc.pos(*key, "kind") if "kind" in raw else loc.pos(*key), f"frame kind {kind!r} is not one of {one_of(FRAME_KINDS)}")
        return None
    at = raw.get("at")
    if not (isinstance(at, list) and len(at) == 4):
        out.error(loc.pos(*key, "at") if "at" in raw else loc.pos(*key), "'at' must be [x, y, width, height] in mm (width/height may be 'fill')")
        return None
    values = []
    for i, v in enumerate(at):
        if i >= 2 and v == "fill":
            values.append(None)
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= max(width, height):
            values.append(float(v))
        else:
            out.error(loc.pos(*key, "at"), f"'at' value {v!r} must be a number of mm inside the card" + (" or 'fill'" if i >= 2 else ""))
            return None
    if not inside_card(out, loc.pos(*key, "at"), kind, values, width, height, safe):
        return None
    style = raw.get("style", "body")
    if not isinstance(style, str):
        out.error(loc.pos(*key, "style"), f"'style' must be the name of a style, not {describe(style)}")
        return None
    if style not in styles:
        out.error(loc.pos(*key, "style"), f"unknown style '{style}'{did_you_mean(str(style), styles)}; expected one of {one_of(styles)}")
        return None
    fields = raw.get("fields", [])
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        out.error(loc.pos(*key, "fields"), "'fields' must be a list of field names")
        return None
    names = {}
    for name in ("field", "checks", "file", "fill"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            out.error(loc.pos(*key, name), f"'{name}' must be a name (a text), not {describe(value)}")
            return None
        names[name] = value
    if not prints_something(out, loc.pos(*key), kind, names, fields):
        return None
    if names["fill"] is not None and colours is not None and not check_colour_token(
            out, loc.pos(*key, "fill"), names["fill"], colours, "frame fill"):
        return None
    if names["file"] is not None and root is not None and _image(out, root, names["file"], loc.pos(*key, "file")) is None:
        return None
    return Frame(
        kind=kind, x=values[0], y=values[1], w=values[2], h=values[3],
        field=names["field"], fields=tuple(fields), style=style,
        fill=names["fill"] or "accent", checks=names["checks"], file=names["file"], pos=loc.pos(*key),
    )
