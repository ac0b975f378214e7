"""Text that fits: light markup to reportlab paragraphs, careful hyphenation, shrink-to-fit by bisection.

Nothing is ever clipped: when text does not fit at the minimum size, :class:`Overflow` says which
field crosses the frame's bottom and by how much, or which word is wider than its frame.

Words are never split by default: for readers with low literacy a ragged edge reads more easily than
"gemeen-teraad". When a layout turns hyphenation on, the rules of :func:`hyphenator` apply.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color, toColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from kaartenoptafel.layout.sizesearch import estimator, largest, search, trial_sizes
from kaartenoptafel.render.fonts import FontFamily

# Only long words are broken: a short word split over two lines is harder for a weak reader than a ragged edge.
MIN_HYPHENATED = 9
MIN_FRAGMENT = 3  # letters left on either side of a break ("ge-beurtenis" and "ouderbijdra-ge" are not allowed)
_WORD = re.compile(r"[^\W\d_]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)([^\w<>]*(?:<[^>]*>[^\w<>]*)*)$")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.S)


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape`` (&, <, >), without the 25 ms that importing it costs every command."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")  # zo'n, auto's, don't
_ELIDED = re.compile(r"(?<![^\s(\[{])'(?=(?:s|t|n)\b)")  # Dutch 's avonds, 't, 'n at a word's start
_OPENS = r"(^|(?<=[\s(\[{\u2013\u2014/]))"  # a quote opens at the start or after a space or bracket


def typographic(text: str, lang: str = "nl") -> str:
    """Straight quotes as the language prints them: „...” and ‘...’ in Dutch, “...” and ‘...’ in English, and
    the apostrophe as ’ (zo’n, auto’s, ’s avonds), so editors need not type them."""
    if "'" not in text and '"' not in text:
        return text
    dutch = str(lang).lower().startswith("nl")
    text = _APOSTROPHE.sub("\u2019", text)
    if dutch:
        text = _ELIDED.sub("\u2019", text)
    text = re.sub(_OPENS + '"', "\u201e" if dutch else "\u201c", text).replace('"', "\u201d")
    return re.sub(_OPENS + "'", "\u2018", text).replace("'", "\u2019")


def to_markup(text: str, keep_last_word: bool = False, lang: str | None = None) -> str:
    """``**bold**``, ``*italic*`` and line breaks to reportlab's paragraph markup; everything else escaped.

    ``keep_last_word`` marks the last word of every line as unbreakable (``<nobr>``): a hyphenated
    paragraph never ends on half a word. With ``lang``, straight quotes become that language's (see typographic).
    """
    text = typographic(str(text), lang) if lang else str(text)
    pieces = _BOLD.split(escape(text))  # outside, bold, outside, bold, ...: an italic never crosses a
    italic = [_ITALIC.sub(r"<i>\1</i>", piece) for piece in pieces]  # bold edge, so the tags always nest
    out = "".join(f"<b>{piece}</b>" if i % 2 else piece for i, piece in enumerate(italic))
    lines = out.strip().split("\n")
    if keep_last_word:
        lines = [_LAST_WORD.sub(r"<nobr>\1</nobr>\2", line) for line in lines]
    return "<br/>".join(lines)


@lru_cache(maxsize=64)
def hyphenator(lang: str, min_word: int = MIN_HYPHENATED):
    """reportlab's word splitter for ``lang``, with the rules easy-reading practice asks for.

    A word is split only when it has at least ``min_word`` letters, is all lower case (names such as
    Middenstad or Nederland and abbreviations stay whole) and keeps at least :data:`MIN_FRAGMENT`
    letters on both sides of the break. Returns a callable: word -> [(head, tail), ...], longest head first.
    """
    dictionary = None  # parsed at the first word that needs it: most runs of `kot preview` never do

    def pairs(word: str) -> list[tuple[str, str]]:
        nonlocal dictionary
        if len(word) < min_word or not _WORD.fullmatch(word) or not word.islower():
            return []
        if dictionary is None:
            import pyphen

            dictionary = pyphen.Pyphen(lang=lang, left=MIN_FRAGMENT, right=MIN_FRAGMENT)
        return [(head, tail) for head, tail in dictionary.iterate(word)
                if len(head) >= MIN_FRAGMENT and len(tail) >= MIN_FRAGMENT]

    return pairs


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
    hyphenate: bool = False  # on only where a layout asks for it (``text: {hyphenate: true}``), never for titles
    lang: str = "nl_NL"  # hyphenation dictionary: the game's language (see hyphenation_language)
    strict_words: bool = False  # cards: a word wider than its frame is an Overflow naming it, and no line is
    # squeezed past its frame; elsewhere reportlab cuts such a word (the board and sheets check their own texts)


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


@lru_cache(maxsize=256)
def _markup_colour(value):
    """reportlab's reading of a ``<font color="#rrggbb">`` (a label's colour), made once per string: reportlab tries
    a literal eval and its named colours before the hex code each time. Colours compare by value, so the
    paragraphs and the PDF are the same."""
    return _to_colour(value)


def _remember_markup_colours() -> None:
    from reportlab.platypus import paraparser

    for table in (paraparser._spanAttrMap, paraparser._fontAttrMap):  # <font> reads the span table in reportlab 4-5
        attr, convert = table.get("color", (None, None))
        if convert is toColor:
            table["color"] = (attr, _markup_colour)


_to_colour = toColor
_remember_markup_colours()


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
        hyphenationLang=hyphenator(style.lang) if style.hyphenate else "",
        embeddedHyphenation=0,
        hyphenationMinWordLength=MIN_HYPHENATED,
        uriWasteReduce=0,
        spaceShrinkage=0 if style.strict_words else 0.05,  # strict: no line runs past its frame
        splitLongWords=0 if style.strict_words else 1,  # strict: a word wider than its frame is reported
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
    keep, lang = style.hyphenate, style.lang
    if item.text is not None:
        if label:
            return [_paragraph(f"{label}: {_markup(item.text, keep, lang)}", style, size, ps)]
        return [_paragraph(_markup(item.text, keep, lang), style, size, ps)]
    flows: list[Flowable] = []
    if label:
        flows.append(_paragraph(label, style, size, ps))
    bullet = paragraph_style(style, size, indent=size * 0.85)
    for entry in item.items:
        flows.append(_paragraph(_markup(entry, keep, lang), style, size, bullet, "•"))
    return flows


@lru_cache(maxsize=8192)
def _markup(text: str, keep: bool, lang: str) -> str:
    """:func:`to_markup`, once per text: the fitter asks for it at every trial size."""
    return to_markup(text, keep, lang)


def _paragraph(markup: str, style: TextStyle, size: float, ps: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """``Paragraph(markup, ps, bulletText=bullet)``, with the markup parsed once per text and style rather than at
    every trial size: the fragments reportlab's parser makes differ between sizes only in their font size."""
    try:
        parsed = _parsed(markup, style, size, ps)
    except TypeError:  # unhashable: parse as reportlab does
        parsed = None
    if parsed is None:
        return Paragraph(markup, ps, bulletText=bullet)
    text, at, frags = parsed
    if at != size:
        frags = [frag.clone(fontSize=size) for frag in frags]
    else:
        frags = [frag.clone() for frag in frags]
    return Paragraph(text, ps, bulletText=bullet, frags=frags)


_PARSES: dict = {}


def _parsed(markup: str, style: TextStyle, size: float, ps: ParagraphStyle):
    """(cleaned text, the size parsed at, fragments) of ``markup`` in ``style``; None where a fragment's size is not
    the style's (then every paragraph is parsed as reportlab does). At most 8,192 texts are kept."""
    key = (markup, style)
    if key in _PARSES:
        return _PARSES[key]
    from reportlab.platypus.paragraph import cleanBlockQuotedText
    from reportlab.platypus.paraparser import ParaParser

    text = cleanBlockQuotedText(markup)
    frags = _plain_frags(text, ps)
    if frags is not None:
        got, bullet_frags = ps, None
    else:
        parser = ParaParser()
        parser.caseSensitive = 1
        got, frags, bullet_frags = parser.parse(text, ps)
    result = None
    if (got is ps and frags is not None and not bullet_frags and not getattr(ps, "textTransform", None)
            and all(getattr(frag, "fontSize", None) == size for frag in frags)):
        result = (text, size, tuple(frags))
    if len(_PARSES) >= 8192:
        _PARSES.clear()
    _PARSES[key] = result
    return result


_LABELLED = re.compile(r'(<font color="[^"<>&]*"><b>[^<>]*</b></font>)([^<>&]+)\Z')  # build_item's "label: text"
_PLAIN_BASE: dict = {}
_PLAIN_PREFIX: dict = {}


def _plain_frags(text: str, ps: ParagraphStyle) -> list | None:
    """The fragments reportlab's parser makes of ``text`` (cleaned markup), without running it, where that is sure:
    a text with no tag and no entity, or a label (``<font color><b>...</b></font>``) followed by such a text. The
    parser makes one fragment of such a text, a copy of the paragraph's own fragment holding the text; that
    fragment is taken from parsing "x" once per paragraph style, the label's from parsing the label once. None
    for anything else (then the parser runs)."""
    if "<" not in text and "&" not in text:
        prefix, rest = None, text
    else:
        match = _LABELLED.match(text)
        if match is None:
            return None
        prefix, rest = match.groups()
    if not rest.strip():
        return None
    base = _PLAIN_BASE.get(ps, False)
    if base is False:
        if len(_PLAIN_BASE) >= 4096:
            _PLAIN_BASE.clear()
        base = _PLAIN_BASE[ps] = _parse_alone("x", ps)
    if base is None or len(base) != 1 or base[0].text != "x":
        return None
    frags = []
    if prefix is not None:
        key = (prefix, ps)
        if key not in _PLAIN_PREFIX:
            if len(_PLAIN_PREFIX) >= 4096:
                _PLAIN_PREFIX.clear()
            _PLAIN_PREFIX[key] = _parse_alone(prefix, ps)
        label = _PLAIN_PREFIX[key]
        if not label:
            return None
        frags.extend(copy.copy(frag) for frag in label)
    frag = copy.copy(base[0])
    frag.text = rest
    frags.append(frag)
    return frags


def _parse_alone(text: str, ps: ParagraphStyle):
    """The fragments reportlab's parser makes of ``text`` in ``ps``; None when it returns another style, bullet
    fragments or none."""
    from reportlab.platypus.paraparser import ParaParser

    parser = ParaParser()
    parser.caseSensitive = 1
    got, frags, bullet_frags = parser.parse(text, ps)
    if got is not ps or not frags or bullet_frags:
        return None
    return tuple(frags)


def _overwide(flow) -> tuple[str, float] | None:
    """(word, points) when a wrapped paragraph has a line wider than its frame: a word too long to fit."""
    para = getattr(flow, "blPara", None)
    for line in getattr(para, "lines", ()) or ():
        if isinstance(line, tuple):
            extra, text = line[0], " ".join(str(w) for w in line[1])
        else:
            extra = getattr(line, "extraSpace", 0)
            text = "".join(str(getattr(w, "text", "")) for w in getattr(line, "words", ()))
        if extra < -0.01:
            words = re.sub(r"<[^>]*>", "", text).split() or [text]
            return max(words, key=len).strip(".,;:!?\"'()[]„“”‘’…"), -extra
    return None


class Overflow(Exception):
    """Text that cannot fit: ``field`` runs ``overflow_pt`` past its frame at ``size``; with ``word``, that word
    alone is ``overflow_pt`` wider than the frame."""

    def __init__(self, field: str, overflow_pt: float, size: float, word: str | None = None):
        self.field, self.overflow_pt, self.size, self.word = field, overflow_pt, size, word
        super().__init__(f"{field} overflows by {overflow_pt:.1f} pt at {size} pt" + (f" ({word!r})" if word else ""))


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
    """The stack at ``size``, and each field's bottom; a field with a word wider than ``width`` has an
    infinite bottom (it never fits at this size), and the last entry then says which word."""
    flows = []
    bottoms = []
    y = 0.0
    gap = size * 0.32
    wide = None
    for n, item in enumerate(items):
        for k, (flow, h) in enumerate(_flows(item, style, size, width)):
            space = gap if (n and k == 0) else (size * 0.1 if k else 0.0)
            y += space + h
            flows.append((flow, h, space))
            if wide is None and style.strict_words:
                over = _overwide(flow)
                if over:
                    wide = (item.field, *over)
        bottoms.append((item.field, y))
    fitted = Fitted(size, tuple(flows), y if wide is None else float("inf"))
    if wide is not None:
        bottoms.append(wide)
    return fitted, bottoms


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

    Returns the Fitted, or (field, overflow, size, word) for :class:`Overflow`.

    The answer is the bisection's (:func:`_fit_bisect`): the size at ``max_size`` when that fits, else the largest
    of the sizes the bisection can try (:func:`trial_sizes`) at which the text fits. Instead of walking down the
    bisection from the top, the search starts at an estimate made from the text's width and the height it has at
    ``max_size``, and usually wraps the text at two sizes: the answer and the trial size above it.
    """
    if not max_size - min_size > 0.1:
        return _fit_bisect.__wrapped__(items, style, width, height, max_size, min_size)
    fitted, _ = _lay(items, style, max_size, width)
    if fitted.height <= height:
        return fitted
    sizes = trial_sizes(min_size, max_size)  # ascending; the last is max_size, which does not fit
    laid: dict[int, tuple] = {}

    def fits(i: int) -> bool:
        laid[i] = _lay(items, style, sizes[i], width)
        return laid[i][0].height <= height

    guess = len(sizes) - 2
    if fitted.height != float("inf"):
        estimate = estimator(items, style, width)
        if estimate is not None:
            scale = fitted.height / max(estimate(max_size), 1e-9)  # the estimate, made exact at max_size
            guess = largest(sizes, lambda s: scale * estimate(s) <= height)
    best = search(fits, -1, len(sizes) - 1, guess)
    if best >= 0:
        return laid[best][0]
    smallest, bottoms = laid[0]
    if smallest.height == float("inf"):
        field, word, excess = bottoms[-1]
        return (field, excess, min_size, word)
    field = next((f for f, bottom in bottoms if bottom > height + 0.01), items[-1].field)
    return (field, smallest.height - height, min_size, None)


def common_size(entries, max_size: float, min_size: float) -> float:
    """The one size at which every stack of ``entries`` ([(items, style, width, height)], the cards of a type in one
    style) fits: the smallest of their :func:`fit` sizes, leaving out stacks that fit at no size. Then every stack
    that fits is checked at the result, which steps down 0.1 pt while one does not (text height is not strictly
    monotonic in size).

    The same answer as fitting every stack and taking the smallest size, without fitting every stack: the
    candidate starts at ``max_size``; stacks are tried at it from the one whose estimated size is the smallest, and
    only a stack that does not fit at the candidate is fitted, below it, which lowers the candidate. Most stacks
    are wrapped once, at the size they will be printed at.
    """
    entries = list(entries)
    if not entries:
        return max_size
    if not max_size - min_size > 0.1:
        return _common_size_stepped(entries, max_size, min_size)
    sizes = trial_sizes(min_size, max_size)
    guesses = []
    for items, style, width, height in entries:
        estimate = estimator(items, style, width)
        guesses.append(len(sizes) - 1 if estimate is None else largest(sizes, lambda s: estimate(s) <= height))
    order = sorted(range(len(entries)), key=guesses.__getitem__)
    top = len(sizes) - 1  # the candidate's index: every stack tried so far fits at sizes[top] or at no size
    fitting = []
    for k in order:
        items, style, width, height = entries[k]

        def fits(i: int) -> bool:
            return _lay(items, style, sizes[i], width)[0].height <= height

        if fits(top):
            fitting.append(entries[k])
            continue
        best = search(fits, -1, top, guesses[k])
        if best < 0:
            continue  # fits at no size: this card is reported when it is laid out
        top = best
        fitting.append(entries[k])
    return _check_down(fitting, sizes[top], min_size)


def _check_down(fitting, size: float, min_size: float) -> float:
    while size > min_size:  # text height is not strictly monotonic in size: check every stack at the result
        if all(_lay(items, style, size, width)[0].height <= height for items, style, width, height in fitting):
            break
        size = max(min_size, round(size - 0.1, 2))
    return size


def _common_size_stepped(entries, max_size: float, min_size: float) -> float:
    """:func:`common_size` the plain way: fit every stack, take the smallest size, check down."""
    size = max_size
    fitting = []
    for items, style, width, height in entries:
        try:
            size = min(size, fit(items, style, width, height, max_size, min_size).size)
            fitting.append((items, style, width, height))
        except Overflow:
            continue
    return _check_down(fitting, size, min_size)


@lru_cache(maxsize=4096, typed=True)
def _fit_bisect(items: tuple[Item, ...], style: TextStyle, width: float, height: float, max_size: float,
                min_size: float) -> Fitted | tuple[str, float, float]:
    """:func:`_fit` by plain bisection from the top (as it was done before the search started at an estimate): the
    reference the tests compare :func:`_fit` with."""
    fitted, _ = _lay(items, style, max_size, width)
    if fitted.height <= height:
        return fitted
    smallest, bottoms = _lay(items, style, min_size, width)
    if smallest.height > height:
        if smallest.height == float("inf"):
            field, word, excess = bottoms[-1]
            return (field, excess, min_size, word)
        field = next((f for f, bottom in bottoms if bottom > height + 0.01), items[-1].field)
        return (field, smallest.height - height, min_size, None)
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
