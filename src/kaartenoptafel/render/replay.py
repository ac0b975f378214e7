"""Drawing that repeats, replayed: what a drawing call wrote is remembered per canvas and written again.

A card face, paragraph, picture or set of cut marks that recurs in one PDF writes the same PDF
operators every time, because each is drawn relative to its own origin. The first time,
:func:`replay` runs the drawing and keeps the operators it appended to the page, the forms and
images it used and the graphics state it left; after that, for the same key and the same graphics
state at entry, it appends the operators again and restores that state without drawing. The PDF is
byte for byte the one the drawing would have written.

A drawing the replay could not reproduce (one that moves the origin for what follows, changes
transparency, adds a link, a colour space or a shading, or switches to another form) is never
remembered, just drawn. Memory stays bounded: each canvas keeps at most ``MAX_ENTRIES`` recordings,
the least recently used go first.
"""

from __future__ import annotations

import operator
import weakref
from collections import OrderedDict
from typing import Callable, Hashable

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfgen.canvas import Canvas

MAX_ENTRIES = 2048

# The canvas state a drawing may read or change. The current matrix is not part of the key on
# purpose: boxes are drawn relative to a translated origin, and no operator depends on where it is.
_STATE = tuple(name for name in Canvas.STATE_ATTRIBUTES if name not in ("_currentMatrix", "_extgstate"))
_PLAIN = (int, float, str, bool, type(None))


class _Memo:
    """One canvas's recordings, and the last state signature computed (states repeat as the same objects)."""

    __slots__ = ("entries", "raw", "signature", "__weakref__")

    def __init__(self) -> None:
        self.entries: OrderedDict = OrderedDict()
        self.raw: tuple | None = None
        self.signature: tuple = ()


_memos: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Unsafe(Exception):
    """A state value we cannot compare reliably: draw without remembering."""


def _value(v):
    if isinstance(v, _PLAIN):
        return (type(v), v)
    if isinstance(v, tuple) and all(isinstance(x, _PLAIN) for x in v):
        return (type(v), tuple((type(x), x) for x in v))
    if isinstance(v, Color):
        return (type(v), tuple(sorted(v.__dict__.items())))
    raise _Unsafe


_raw_state = operator.itemgetter(*_STATE)


def _raw(c: Canvas) -> tuple:
    return _raw_state(c.__dict__)


def _signature(c: Canvas, memo: _Memo) -> tuple:
    """The graphics state at entry, by value: every attribute with its type, colours by all their fields."""
    raw = _raw(c)
    if memo.raw is None or not all(map(operator.is_, raw, memo.raw)):
        memo.signature = tuple(_value(v) for v in raw)
        memo.raw = raw
    g = c._extgstate
    return memo.signature + ((tuple(sorted(g._d.items())) if g._d else ()), len(g._c), len(c._codeStack))


def _outside(c: Canvas) -> tuple:
    """What a replay would not reproduce: it must be the same after the drawing as before."""
    g = c._extgstate
    return (c._currentMatrix, id(g), len(g._c), tuple(sorted(g._d.items())), id(c._code), id(c._formsinuse),
            len(c._annotationrefs), len(c._colorsUsed), len(c._shadingUsed), c._formData is None, len(c._codeStack), len(c.state_stack))


def replay(c: Canvas, key: Hashable, draw: Callable[[], None]) -> None:
    """``draw()`` on ``c``, or what the same ``key`` drew there before from the same graphics state."""
    memo = _memos.get(c)
    if memo is None:
        memo = _memos[c] = _Memo()
    try:
        full_key = (key, _signature(c, memo))
        hit = memo.entries.get(full_key)
    except (_Unsafe, TypeError):  # an unhashable key or state value
        draw()
        return
    if hit is not None:
        code, forms, images, after = hit
        c._code.extend(code)
        if forms:
            c._formsinuse.extend(forms)
        if images:
            c._currentPageHasImages = 1
        c.__dict__.update(after)
        memo.entries.move_to_end(full_key)
        return
    code = c._code
    start, forms_start = len(code), len(c._formsinuse)
    before = _outside(c)
    had_images = c._currentPageHasImages
    c._currentPageHasImages = 0
    try:
        draw()
    finally:
        used_images = c._currentPageHasImages
        c._currentPageHasImages = had_images or used_images
    if _outside(c) != before:
        return
    after = dict(zip(_STATE, _raw(c)))
    memo.entries[full_key] = (tuple(code[start:]), tuple(c._formsinuse[forms_start:]), bool(used_images), after)
    if len(memo.entries) > MAX_ENTRIES:
        memo.entries.popitem(last=False)


def portable(c: Canvas) -> list:
    """What ``c`` recorded, for another document to replay (products.deck draws a long deck in parts): each
    recording with the images it shows (objects of ``c``'s document, registered in the other one by
    :func:`adopt`); a recording that used any other form is left out. The fonts must keep their names across
    the parts (products.deck.SharedFonts with ``keep_names``), so the text operators name the same font there."""
    memo = _memos.get(c)
    if memo is None:
        return []
    found = []
    for key, entry in memo.entries.items():
        objects = _images(c._doc, entry[1]) if entry[1] else ()
        if objects is not None:
            found.append((key, entry, objects))
    return found


def _images(doc, forms: tuple) -> list | None:
    """[(name, object)] of the images (and their soft masks) ``forms`` names in ``doc``; None if one is not an image."""
    objects = []
    for form in forms:
        name = doc.getXObjectName(form)
        obj = doc.idToObject.get(name)
        if not isinstance(obj, PDFImageXObject):
            return None
        objects.append((name, obj))
        mask = getattr(obj, "smask", None)
        if mask is not None:
            if mask.name not in doc.idToObject:
                return None
            objects.append((mask.name, doc.idToObject[mask.name]))
    return objects


def adopt(c: Canvas, recordings: list) -> None:
    """Start ``c``'s recordings with ``recordings`` (from :func:`portable`), registering their images in ``c``'s
    document under the names they had (a part that does not show one leaves it out of its pages)."""
    memo = _memos.get(c)
    if memo is None:
        memo = _memos[c] = _Memo()
    doc = c._doc
    for key, entry, objects in recordings:
        for name, obj in objects:
            if name not in doc.idToObject:
                obj.__dict__.pop(pdfdoc.__InternalName__, None)  # registered in the earlier part's document
                doc.Reference(obj, name)
        memo.entries[key] = entry
