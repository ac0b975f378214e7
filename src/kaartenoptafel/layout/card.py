"""Lay out one card: its type's frames, filled with the card's values, fitted, as plain positioned boxes.

Coordinates are points with the origin at the card's bottom-left trim corner, y up (reportlab's way).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from reportlab.lib.units import mm

from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.layout.contrast import readable_on
from kaartenoptafel.layout.spec import HEX, Colour, Frame, LayoutSpec, Style, TypeLayout
from kaartenoptafel.layout.text import Fitted, Item, Overflow, TextStyle, common_size, fit, hyphenation_language
from kaartenoptafel.load.model import CardType, Kit
from kaartenoptafel.render.fonts import FontFamily
from kaartenoptafel.resolve import ResolvedCard


@dataclass(frozen=True)
class FillBox:
    x: float
    y: float
    w: float
    h: float
    colour: Colour
    bleed: tuple[bool, bool, bool, bool]  # extend past the left, bottom, right, top edge


@dataclass(frozen=True)
class TextBox:
    x: float
    top: float
    w: float
    fitted: Fitted


@dataclass(frozen=True)
class LineBox:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: Colour
    width: float = 0.6


@dataclass(frozen=True)
class SquareBox:
    x: float
    y: float
    size: float
    colour: Colour


@dataclass(frozen=True)
class ImageBox:
    x: float
    y: float
    w: float
    h: float
    path: Path
    pos: Pos | None = None


@dataclass(frozen=True)
class CardLayout:
    """Everything the renderer draws for one card face."""

    id: str
    width: float
    height: float
    background: Colour
    boxes: tuple = field(default_factory=tuple)


class Context:
    """What laying out a card needs besides the card: the kit, the spec and the registered fonts."""

    def __init__(self, kit: Kit, spec: LayoutSpec, family: FontFamily):
        self.kit, self.spec, self.family = kit, spec, family
        self._text_styles: dict = {}
        self.backs: dict = {}  # type id -> its back design, laid out once (see layout.back.type_back)
        self._type_sizes: dict = {}
        self.size_cache = None  # a folder: remember the per-type sizes on disk (see layout.sizecache); `kot preview`

    def type_sizes(self, type_id: str, frames: tuple) -> dict[str, float]:
        """Per style, the one text size every card of this type prints ``frames`` at (``text: {same_size: type}``).

        The largest size at which every card of the type fits; cards that do not fit even at the
        minimum size are left out (each is reported on its own when it is laid out). ``frames`` are the
        type's front ``frames`` or its ``back_frames``: each side has its own sizes.
        """
        key = (type_id, tuple(frames))
        if key not in self._type_sizes:
            self._type_sizes[key] = _common_sizes(self, self._cards_of(type_id, key), frames)
        return self._type_sizes[key]

    def resolved(self) -> list:
        """Every card of the kit, resolved (see :func:`kaartenoptafel.resolve.resolve`), worked out once per context:
        the build, its checks and the per-type text sizes share it. A new list each time; the cards are frozen."""
        cards = self.__dict__.get("_resolved")
        if cards is None:
            from kaartenoptafel.resolve import resolve

            cards = self._resolved = tuple(resolve(self.kit))
        return list(cards)

    def _cards_of(self, type_id: str, key: tuple) -> list:
        """The type's cards, resolved (the kit once, not once per type and side)."""
        by_type = self.__dict__.get("_by_type")
        if by_type is None:
            by_type = self._by_type = {}
            for card in self.resolved():
                by_type.setdefault(card.type, []).append(card)
        return by_type.get(type_id, [])

    def spec_of(self, type_id: str) -> LayoutSpec:
        """The layout spec at this type's size (a token or another component may have its own)."""
        sized = self.__dict__.setdefault("_sized", {})
        if type_id not in sized:
            sized[type_id] = self.spec.sized(type_id)
        return sized[type_id]

    def type_layout(self, ctype: CardType) -> TypeLayout:
        return self.spec.type_layout(ctype.id, list(ctype.fields), ctype.title_field)

    def accent(self, card: ResolvedCard, tl: TypeLayout) -> Colour:
        if tl.accent_by and tl.accent_from:
            key = card.raw.get(tl.accent_by)
            table = self.spec.tables.get(tl.accent_from, {})
            if key in table:
                return table[key]
        return tl.colour

    def colour(self, token: str, accent: Colour, base: Colour) -> Colour:
        """A colour token: '#hex', 'accent', 'colour' (the type's), 'on_accent'/'on_colour' (readable on it), or a named colour."""
        if HEX.match(token):
            r, g, b = (int(token[i : i + 2], 16) / 255 for i in (1, 3, 5))
            return Colour(rgb=(r, g, b))
        if token == "accent":
            return accent
        if token == "colour":
            return base
        if token in ("on_accent", "on_colour"):  # ink or paper, whichever has the higher WCAG 2 contrast
            under = accent if token == "on_accent" else base
            return readable_on(under, self.spec.colours["ink"], self.spec.colours["paper"])
        return self.spec.colours.get(token, self.spec.colours["ink"])

    def text_style(self, style: Style, accent: Colour, base: Colour) -> TextStyle:
        key = (style, accent, base)
        if key not in self._text_styles:
            self._text_styles[key] = TextStyle(
                family=self.family,
                colour=self.colour(style.colour, accent, base).hex(),
                label_colour=self.colour(style.label_colour, accent, base).hex(),
                leading=style.leading,
                align=style.align,
                bold=style.bold,
                italic=style.italic,
                hyphenate=self.spec.hyphenate,
                lang=hyphenation_language(self.kit.game.language),
                strict_words=True,
            )
        return self._text_styles[key]


def frame_rect(spec: LayoutSpec, frame: Frame) -> tuple[float, float, float, float]:
    """(x, y, w, h) in points from the bottom-left; 'fill' runs to the safe margin, or the edge for bands."""
    edge = 0.0 if frame.kind == "band" else spec.safe
    w = frame.w if frame.w is not None else spec.width - edge - frame.x
    h = frame.h if frame.h is not None else spec.height - edge - frame.y
    return frame.x * mm, (spec.height - frame.y - h) * mm, max(w, 0) * mm, max(h, 0) * mm


def layout_card(ctx: Context, card: ResolvedCard, out: Collector) -> CardLayout | None:
    """Lay out ``card``; problems (text that cannot fit, characters the font lacks) go to ``out``."""
    spec = ctx.spec_of(card.type)
    ctype = ctx.kit.types[card.type]
    tl = ctx.type_layout(ctype)
    before = len(out.diagnostics)
    _check_glyphs(ctx, card, out)
    boxes = frame_boxes(ctx, card, tl.frames, out)
    if len(out.diagnostics) > before:
        return None
    return CardLayout(card.id, spec.width * mm, spec.height * mm, spec.colours["paper"], tuple(boxes))


def frame_boxes(ctx: Context, card: ResolvedCard, frames, out: Collector) -> list:
    """The boxes of ``frames`` (a type's front ``frames`` or its ``back_frames``) filled with the card's values."""
    spec = ctx.spec_of(card.type)
    ctype = ctx.kit.types[card.type]
    tl = ctx.type_layout(ctype)
    accent = ctx.accent(card, tl)
    boxes = []
    common = ctx.type_sizes(card.type, frames) if spec.same_size == "type" else {}
    for frame in frames:
        x, y, w, h = frame_rect(spec, frame)
        style = spec.styles[frame.style]
        if frame.kind == "band":
            eps = 0.01
            boxes.append(FillBox(x, y, w, h, ctx.colour(frame.fill, accent, tl.colour),
                                 (x < eps, y < eps, x + w > spec.width * mm - eps, y + h > spec.height * mm - eps)))
        elif frame.kind in ("text", "stack"):
            items = _frame_items(ctype, card, frame)
            if not items:
                continue
            tstyle = _frame_style(ctx, frame, style, accent, tl.colour)
            try:
                fitted = fit(items, tstyle, w, h, common.get(frame.style, style.size), _min_size(spec, style))
            except Overflow as over:
                out.error(card.field_pos.get(over.field, card.pos), overflow_message(over), card.id)
                continue
            boxes.append(TextBox(x, y + h, w, fitted))
        elif frame.kind == "form":
            boxes.extend(_form(ctx, card, ctype, frame, (x, y, w, h), style, accent, tl, out))
        elif frame.kind == "image":
            rel = card.values.get(frame.field) if frame.field else frame.file
            if rel:
                pos = card.field_pos.get(frame.field, frame.pos) if frame.field else frame.pos
                boxes.append(ImageBox(x, y, w, h, spec.root / str(rel), pos))
    return boxes


def overflow_message(over: Overflow) -> str:
    """What a card author reads when a field cannot fit: the word that is too wide, or how far the text runs."""
    if over.word:
        return (f"field '{over.field}': the word '{over.word}' is {over.overflow_pt / mm:.1f} mm wider than its "
                f"frame even at the minimum size of {over.size:g} pt; use a shorter word, or split it with a "
                f"hyphen or a space (words are not hyphenated on cards)")
    return (f"field '{over.field}' does not fit on the card: the text runs {over.overflow_pt / mm:.1f} mm "
            f"past its frame even at the minimum size of {over.size:g} pt; shorten it")


def _frame_items(ctype: CardType, card: ResolvedCard, frame: Frame) -> tuple[Item, ...]:
    names = (frame.field,) if frame.kind == "text" else frame.fields
    return tuple(_item(ctype, card, name, frame.kind == "stack") for name in names if name in card.values)


def _frame_style(ctx: Context, frame: Frame, style: Style, accent: Colour, base: Colour) -> TextStyle:
    tstyle = ctx.text_style(style, accent, base)
    return _unhyphenated(tstyle) if frame.kind == "text" else tstyle  # a title shrinks rather than breaks a word


def _min_size(spec: LayoutSpec, style: Style) -> float:
    return max(style.min_size, min(spec.min_font_size, style.size))


def _common_sizes(ctx: Context, cards: list[ResolvedCard], frames: tuple) -> dict[str, float]:
    """Per style name, the largest size (0.1 pt steps) at which the ``frames`` of that style fit on every card."""
    if not cards:
        return {}
    spec = ctx.spec_of(cards[0].type)
    ctype = ctx.kit.types[cards[0].type]
    tl = ctx.type_layout(ctype)
    jobs: dict[str, list] = {}  # style -> [(items, text style, w, h)]
    for card in cards:
        accent = ctx.accent(card, tl)
        for frame in frames:
            if frame.kind not in ("text", "stack"):
                continue
            items = _frame_items(ctype, card, frame)
            if items:
                style = spec.styles[frame.style]
                _, _, w, h = frame_rect(spec, frame)
                jobs.setdefault(frame.style, []).append((items, _frame_style(ctx, frame, style, accent, tl.colour), w, h))
    if ctx.size_cache is not None:
        from kaartenoptafel.layout import sizecache

        return {name: sizecache.common_size(ctx.size_cache, entries, spec.styles[name].size,
                                            _min_size(spec, spec.styles[name])) for name, entries in jobs.items()}
    return {name: common_size(entries, spec.styles[name].size, _min_size(spec, spec.styles[name]))
            for name, entries in jobs.items()}


def _item(ctype: CardType, card: ResolvedCard, name: str, labelled: bool) -> Item:
    fspec = ctype.fields[name]
    value = card.values[name]
    label = fspec.label if labelled else None
    if isinstance(value, list):
        return _make_item(name, label, None, tuple(str(v) for v in value))
    return _make_item(name, label, str(value), ())


@lru_cache(maxsize=8192)
def _make_item(name: str, label: str | None, text: str | None, items: tuple[str, ...]) -> Item:
    """One Item per distinct text: a text on many cards is hashed and compared once in the fit caches."""
    return Item(name, label, text=text, items=items)


@lru_cache(maxsize=256)
def _unhyphenated(style: TextStyle) -> TextStyle:
    return replace(style, hyphenate=False)


def _check_glyphs(ctx: Context, card: ResolvedCard, out: Collector) -> None:
    fields = ctx.kit.types[card.type].fields
    for name, value in card.values.items():
        if name in fields and fields[name].kind == "image":
            continue  # a file name, never drawn
        if missing_glyphs(ctx, card.id, name, value, card.field_pos.get(name, card.pos), out,
                          raw=card.raw.get(name)):
            return


def missing_glyphs(ctx: Context, card_id, name: str, value, pos, out: Collector, what: str | None = None,
                   raw=None) -> bool:
    """Report the characters of ``value`` the font cannot draw. With ``raw`` (the text as written, before its
    variables and group names were filled in), characters that only a variable or a group's name brought in are
    left out: they are reported once, at that variable's or group's line."""
    texts = value if isinstance(value, list) else [value]
    written = "".join(map(str, raw if isinstance(raw, list) else [raw])) if raw is not None else None
    game = ctx.kit.game
    from_game = None  # what the game's variables and group names bring in: worked out only for a text that lacks some
    for text in texts:
        missing = ctx.family.missing(str(text))
        if not missing:
            continue
        if from_game is None:
            from_game = (set(ctx.family.missing("".join([*game.variables.values(), *game.groups.values()])))
                         if written is not None else set())
        missing = [ch for ch in missing if ch not in from_game or ch in written]
        if missing:
            shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            out.error(pos, f"{what or f'field {name!r}'} has characters the font cannot draw: {shown}{more}; "
                           "remove or replace them", card_id)
            return True
    return False


def _form(ctx, card, ctype, frame, rect, style, accent, tl, out):
    """Writing lines for each entry of ``frame.field`` and tick boxes for ``frame.checks``."""
    x, y, w, h = rect
    rows = list(card.values.get(frame.field, []) or [])
    checks = list(card.values.get(frame.checks, []) or []) if frame.checks else []
    units = len(rows) + 0.8 * len(checks) + (0.6 if checks else 0)
    if not units:
        return []
    row_h = h / units
    size = min(style.size, row_h * 0.42)
    if size < style.min_size:
        out.error(card.field_pos.get(frame.field, card.pos),
                  f"field '{frame.field}': {len(rows)} lines and {len(checks)} checks do not fit; "
                  f"the text would be {size:.1f} pt, below the minimum {style.min_size:g} pt", card.id)
        return []
    tstyle = ctx.text_style(style, accent, tl.colour)
    line_colour = ctx.colour("muted", accent, tl.colour)
    boxes = []
    top = y + h
    for i, row in enumerate(rows):
        base = top - (i + 1) * row_h + row_h * 0.18
        label = Item(frame.field, None, text=f"**{row}**")
        try:
            fitted = fit((label,), _labelled(tstyle), w, row_h, size, size)
        except Overflow as over:
            out.error(card.field_pos.get(frame.field, card.pos), overflow_message(over), card.id)
            return []
        boxes.append(TextBox(x, base + size * 1.25, w, fitted))
        boxes.append(LineBox(x, base - 1, x + w, base - 1, line_colour, 0.5))
    ctop = top - len(rows) * row_h - 0.6 * row_h
    for j, check in enumerate(checks):
        cy = ctop - (j + 1) * 0.8 * row_h + row_h * 0.2
        box = size * 0.95
        boxes.append(SquareBox(x, cy, box, ctx.colour("accent", accent, tl.colour)))
        try:
            fitted = fit((Item(frame.checks, None, text=str(check)),), tstyle, w - box * 1.6, row_h, size, size)
        except Overflow as over:
            out.error(card.field_pos.get(frame.checks, card.pos), overflow_message(over), card.id)
            return []
        boxes.append(TextBox(x + box * 1.6, cy + size * 1.05, w - box * 1.6, fitted))
    return boxes


def _labelled(style: TextStyle) -> TextStyle:
    from dataclasses import replace

    return replace(style, colour=style.label_colour)
