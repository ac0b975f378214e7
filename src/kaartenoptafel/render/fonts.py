"""Register the packaged (or a layout's own) TrueType family with reportlab, once per process.

reportlab always subsets and embeds TrueType fonts; the canvas must also be created with
``initialFontName`` set to one of them, or an unembedded Helvetica reference is written.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from kaartenoptafel.errors import ContentError, Diagnostic, Pos
from kaartenoptafel.load.checks import project_file

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
PACKAGED = {
    "AtkinsonHyperlegibleNext": {
        "regular": "AtkinsonHyperlegibleNext_400Regular.ttf",
        "bold": "AtkinsonHyperlegibleNext_700Bold.ttf",
        "italic": "AtkinsonHyperlegibleNext_400Regular_Italic.ttf",
        "bold_italic": "AtkinsonHyperlegibleNext_700Bold_Italic.ttf",
    }
}
VARIANTS = ("regular", "bold", "italic", "bold_italic")
MAX_FONT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class FontFamily:
    """The reportlab names of one family's four faces."""

    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, bold: bool = False, italic: bool = False) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that the regular face cannot draw (they would print as boxes)."""
        chars = set(text)
        drawable = _drawable(self.regular)
        return [] if chars <= drawable else sorted(chars - drawable)


def _character(code: int) -> bool:
    """Whether ``code`` is a character a text may hold: not a surrogate, not a noncharacter (U+FFFE, U+FFFF,
    U+FDD0..U+FDEF and the last two of every plane), which a font's cmap may list as a table sentinel."""
    if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF:
        return False
    return code & 0xFFFE != 0xFFFE


@lru_cache(maxsize=None)
def _drawable(name: str) -> frozenset[str]:
    """Every character the registered font ``name`` has a real glyph for (glyph 0 is the box shown for a missing
    one), and the invisible ones it needs none for."""
    cmap = pdfmetrics.getFont(name).face.charToGlyph
    return (frozenset(chr(code) for code, glyph in cmap.items() if glyph and _character(code))
            | frozenset("\n\r\t\u00ad\u200b"))


class _Impossible(ValueError):
    """A font whose numbers no real font has: it would print text of the wrong size or in the wrong place."""


def _check_metrics(font: TTFont) -> None:
    """The numbers that place and size the text: units per em as the OpenType spec allows (16 to 16384), a height
    above the baseline (ascent) and below it (descent) of at most 2.5 em, and letters no wider than 3 em."""
    face = font.face
    head = face.get_table("head")
    upem = struct.unpack(">H", head[18:20])[0] if len(head) >= 20 else 0
    if not 16 <= upem <= 16384:
        raise _Impossible(f"{upem} units per em; a font has 16 to 16384")
    if not 0 < face.ascent <= 2500 or not -2500 <= face.descent <= 0:
        raise _Impossible(f"ascent {face.ascent:g} and descent {face.descent:g} per 1000 units; a font's letters "
                          "stand above the baseline, with at most 2.5 em above and below it")
    widths = [face.getCharWidth(ord(ch)) for ch in "abcdefghijklmnopqrstuvwxyz" if ord(ch) in face.charToGlyph]
    if widths and not 0 < max(widths) <= 3000:
        raise _Impossible(f"letters {max(widths) / 1000:g} em wide; a letter is at most a few em wide")


def _check_font(font: TTFont) -> None:
    """Make the subsets a PDF would embed, for every character the font maps: a truncated or damaged glyph table
    then fails here, while the layout is checked (``kot validate`` too), not when the PDF is saved."""
    _check_metrics(font)
    codes = sorted(code for code in font.face.charToGlyph if _character(code))
    for start in range(0, len(codes), 255):
        font.face.makeSubset([0, *codes[start:start + 255]])
    for code in codes[:1000]:
        font.stringWidth(chr(code), 10)


def _font_problem(exc: BaseException) -> str:
    """Why a font cannot be used, in words: reportlab's own messages are terse (a KeyError says only ('cmap'))."""
    if isinstance(exc, KeyError):
        return f"it has no '{exc.args[0] if exc.args else '?'}' table (the file is damaged or not a TrueType font)"
    if isinstance(exc, (struct.error, IndexError, EOFError)) or "unpack requires" in str(exc):
        return "the file ends too early or its tables are damaged (a truncated download?)"
    if isinstance(exc, _Impossible):
        return f"its header gives impossible values ({exc})"
    if isinstance(exc, ZeroDivisionError):
        return "its header gives impossible values (units per em of 0)"
    text = str(exc).strip().rstrip(".")
    return f"not a usable TrueType font ({text[:200]})" if text else "not a usable TrueType font"


class TaggedTTFont(TTFont):
    """A TrueType font whose embedded subsets are named by what they hold, not by their number.

    reportlab names subset n of every font ``AAAAAA+Font``, ``AAAAAB+Font``, ... in every file, so two PDFs a
    print shop merges carry different subsets under one name and one of them prints wrong glyphs. Here the
    six-letter tag is a hash of the document (its title, subject and page size, see render.pdf.new_canvas),
    the font and the subset's characters in order: different PDFs and subsets get different tags, and the
    same build gives the same tags, so files stay byte-identical from build to build.
    """

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [tuple(sub) for sub in state.subsets] if state is not None else []
        salt = str(getattr(doc, "kot_subset_salt", ""))

        def tag(n, *_):
            content = ",".join(map(str, subsets[n])) if n < len(subsets) else ""
            digest = hashlib.sha256(f"{salt}|{self.fontName}|{n}|{content}".encode("utf-8")).digest()
            return bytes(65 + b % 26 for b in digest[:6])

        original = ttfonts.SUBSETN
        ttfonts.SUBSETN = tag  # addObjects looks the tagger up by name at call time
        try:
            super().addObjects(doc)
        finally:
            ttfonts.SUBSETN = original


_registered: dict[tuple, FontFamily] = {}


def register_family(fonts: dict, root: Path) -> FontFamily:
    """Register the family a layout's ``fonts:`` names; raises ContentError naming the bad file."""
    positions = fonts.get("_pos", {})
    if "family" in fonts:
        name = str(fonts["family"])
        if name not in PACKAGED:
            raise ContentError([Diagnostic(positions.get("family", Pos("layouts")),
                                           f"unknown font family '{name}'; packaged: {', '.join(PACKAGED)}, "
                                           "or give regular/bold/italic/bold_italic .ttf files")])
        files = {v: FONT_DIR / PACKAGED[name][v] for v in VARIANTS}
        tag = name
    else:
        if "regular" not in fonts:
            where = next(iter(positions.values()), Pos("layouts"))
            raise ContentError([Diagnostic(where, "fonts: give 'family' or at least 'regular: file.ttf'")])
        files = {}
        problems = []
        for v in VARIANTS:
            rel = fonts.get(v, fonts["regular"])
            path, problem = project_file(root, rel, "font")
            if path is not None and path.stat().st_size > MAX_FONT_BYTES:
                problem = f"font '{rel}' is {path.stat().st_size / 1048576:.0f} MiB; a font file is far smaller (the limit is {MAX_FONT_BYTES // 1048576} MiB)"
            if problem:
                problems.append(Diagnostic(positions.get(v, positions.get("regular", Pos("layouts"))), problem))
            files[v] = path
        if problems:
            raise ContentError(list(dict.fromkeys(problems)))
        # a name from the files' contents: the same in every run and on every machine (the PDFs name it)
        digest = hashlib.sha256()
        for path in files.values():
            digest.update(path.read_bytes())
        tag = "Custom" + digest.hexdigest()[:8]
    key = tuple(sorted((k, str(p)) for k, p in files.items()))
    if key in _registered:
        return _registered[key]
    names = {}
    for variant, path in files.items():
        rl_name = f"{tag}-{variant}"
        try:
            if rl_name not in pdfmetrics.getRegisteredFontNames():
                font = TaggedTTFont(rl_name, str(path))
                if "family" not in fonts:  # a font from the project is checked in full; the packaged ones are known
                    _check_font(font)
                pdfmetrics.registerFont(font)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to parse a font file is a problem of that file
            where = positions.get(variant, positions.get("regular", Pos("layouts")))
            reason = "file not found" if not Path(path).exists() else _font_problem(exc)
            raise ContentError([Diagnostic(where, f"font '{path.name}': {reason}")]) from None
        names[variant] = rl_name
    pdfmetrics.registerFontFamily(tag, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    family = FontFamily(**names)
    _registered[key] = family
    return family
