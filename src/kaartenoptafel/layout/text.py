"""Text that fits: light markup to reportlab paragraphs, Dutch hyphenation, shrink-to-fit by bisection.

Nothing is ever clipped: when text does not fit at the minimum size, :class:`Overflow` says which
field crosses the frame's bottom and by how much.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color, toColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from kaartenoptafel.render.fonts import FontFamily

# Only long words are broken: a short word split over two lines is harder for a weak reader than a ragged edge.
MIN_HYPHENATED = 9
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.S)


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape`` (&, <, >), without the 25 ms that importing it costs every command."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def to_markup(text: str) -> str:
    """``**bold**``, ``*italic*`` and line breaks to reportlab's paragraph markup; everything else escaped."""
    pieces = _BOLD.split(escape(str(text)))  # outside, bold, outside, bold, ...: an italic never crosses a
    italic = [_ITALIC.sub(r"<i>\1</i>", piece) for piece in pieces]  # bold edge, so the tags always nest
    out = "".join(f"<b>{piece}</b>" if i % 2 else piece for i, piece in enumerate(italic))
    return out.strip().replace("\n", "<br/>")


@dataclass(frozen=True)
class TextStyle:
    """A paragraph look at size 1: the fitter scales it."""

    family: FontFamily
    colour: str  # '#rrggbb'
    label_colour: str
    leading: float = 1.2
    align: str = "left"
    bold: bool = False
    italic: bool = False
    hyphenate: bool = True  # off for titles: a title shrinks rather than breaks a word
    lang: str = "nl_NL"  # hyphenation dictionary: the game's language (see hyphenation_language)


def hyphenation_language(code: str) -> str:
    """The pyphen dictionary for a game's ``language`` ('nl', 'en', 'de_CH', ...); Dutch when pyphen has none."""
    import pyphen

    return pyphen.language_fallback(str(code).replace("-", "_")) or "nl_NL"


class _StyleColour(Color):
    """A style's text colour as reportlab makes it from the '#rrggbb' string, made once per string.

    reportlab converts a string colour again at every change of colour it draws, the slow way. This object has the
    string's colour and compares like the string did: equal only to itself (there is one per string), unequal to
    every other colour, so reportlab switches colour in exactly the same places and writes the same PDF.
    """

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other


@lru_cache(maxsize=None)
def _style_colour(value: str):
    try:
        made = toColor(value) if isinstance(value, str) else None
    except ValueError:
        made = None
    if type(made) is not Color:
        return value  # not a plain RGB colour: reportlab gets the string, as before
    colour = _StyleColour.__new__(_StyleColour)
    colour.__dict__.update(made.__dict__)
    return colour


@lru_cache(maxsize=4096)
def paragraph_style(style: TextStyle, size: float, indent: float = 0.0) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{size}",
        fontName=style.family.face(style.bold, style.italic),
        fontSize=size,
        leading=size * style.leading,
        textColor=_style_colour(style.colour),
        alignment=ALIGN[style.align],
        leftIndent=indent,
        bulletIndent=0,
        bulletFontName=style.family.regular,
        bulletFontSize=size,
        hyphenationLang=style.lang if style.hyphenate else "",
        embeddedHyphenation=1 if style.hyphenate else 0,
        hyphenationMinWordLength=MIN_HYPHENATED,
        uriWasteReduce=0.3,
        splitLongWords=1,
    )


@dataclass(frozen=True)
class Item:
    """One field's text in a stack: a label, and either a text or a list of bullet items."""

    field: str
    label: str | None
    text: str | None = None
    items: tuple[str, ...] = ()


def build_item(item: Item, style: TextStyle, size: float) -> list[Flowable]:
    ps = paragraph_style(style, size)
    label = ""
    if item.label:
        label = f'<font color="{style.label_colour}"><b>{escape(item.label)}</b></font>'
    if item.text is not None:
        if label:
            return [Paragraph(f"{label}: {to_markup(item.text)}", ps)]
        return [Paragraph(to_markup(item.text), ps)]
    flows: list[Flowable] = []
    if label:
        flows.append(Paragraph(label, ps))
    bullet = paragraph_style(style, size, indent=size * 0.85)
    for entry in item.items:
        flows.append(Paragraph(to_markup(entry), bullet, bulletText="•"))
    return flows


class Overflow(Exception):
    def __init__(self, field: str, overflow_pt: float, size: float):
        self.field, self.overflow_pt, self.size = field, overflow_pt, size
        super().__init__(f"{field} overflows by {overflow_pt:.1f} pt at {size} pt")


@dataclass(frozen=True)
class Fitted:
    """A stack laid out at one size: each flowable with its wrapped height, top to bottom."""

    size: float
    flowables: tuple[tuple[Flowable, float, float], ...]  # (flowable, height, space before)
    height: float


@lru_cache(maxsize=8192, typed=True)
def _wrapped(item: Item, style: TextStyle, size: float, width: float) -> tuple[tuple[Flowable, float], ...]:
    """The item's paragraphs at ``size`` wrapped to ``width``, with their heights.

    Remembered, so a text that recurs (a label, a list entry, a card printed again, the same card in
    the next product) is wrapped once. Drawing a wrapped paragraph does not change it, so the same
    objects can be drawn on any number of cards and pages.
    """
    return tuple((flow, flow.wrap(width, 1e6)[1]) for flow in build_item(item, style, size))


def _flows(item: Item, style: TextStyle, size: float, width: float) -> tuple[tuple[Flowable, float], ...]:
    try:
        return _wrapped(item, style, size, width)
    except TypeError:  # an unhashable value (a list inside an Item): wrap without remembering
        return _wrapped.__wrapped__(item, style, size, width)


def _lay(items: tuple[Item, ...], style: TextStyle, size: float, width: float) -> tuple[Fitted, list[tuple[str, float]]]:
    flows = []
    bottoms = []
    y = 0.0
    gap = size * 0.32
    for n, item in enumerate(items):
        for k, (flow, h) in enumerate(_flows(item, style, size, width)):
            space = gap if (n and k == 0) else (size * 0.1 if k else 0.0)
            y += space + h
            flows.append((flow, h, space))
        bottoms.append((item.field, y))
    return Fitted(size, tuple(flows), y), bottoms


def fit(items: tuple[Item, ...], style: TextStyle, width: float, height: float, max_size: float,
        min_size: float) -> Fitted:
    """The largest size in [min_size, max_size] (0.1 pt steps) at which ``items`` fit ``height``."""
    items = tuple(items)
    try:
        result = _fit(items, style, width, height, max_size, min_size)
    except TypeError:  # an unhashable value (a list inside an Item): fit without remembering
        result = _fit.__wrapped__(items, style, width, height, max_size, min_size)
    if isinstance(result, Fitted):
        return result
    raise Overflow(*result)


@lru_cache(maxsize=4096, typed=True)
def _fit(items: tuple[Item, ...], style: TextStyle, width: float, height: float, max_size: float,
         min_size: float) -> Fitted | tuple[str, float, float]:
    """:func:`fit`, remembered: the print-shop deck, the guide and a card's copies reuse the home deck's fit.

    Returns the Fitted, or (field, overflow, size) for :class:`Overflow`.
    """
    fitted, _ = _lay(items, style, max_size, width)
    if fitted.height <= height:
        return fitted
    smallest, bottoms = _lay(items, style, min_size, width)
    if smallest.height > height:
        field = next((f for f, bottom in bottoms if bottom > height + 0.01), items[-1].field)
        return (field, smallest.height - height, min_size)
    lo, hi = min_size, max_size  # lo fits, hi does not
    best = smallest
    while hi - lo > 0.1:
        mid = round((lo + hi) / 2, 2)
        trial, _ = _lay(items, style, mid, width)
        if trial.height <= height:
            lo, best = mid, trial
        else:
            hi = mid
    return best
