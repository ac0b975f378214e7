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

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

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


@lru_cache(maxsize=None)
def _drawable(name: str) -> frozenset[str]:
    """Every character the registered font ``name`` has a glyph for, and the invisible ones it needs none for."""
    cmap = pdfmetrics.getFont(name).face.charToGlyph
    return frozenset(chr(code) for code in cmap if 0 <= code <= 0x10FFFF) | frozenset("\n\r\t\u00ad\u200b")


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
                pdfmetrics.registerFont(TTFont(rl_name, str(path)))
        except (TTFError, OSError, ValueError, AssertionError, KeyError, IndexError, TypeError, struct.error) as exc:
            where = positions.get(variant, positions.get("regular", Pos("layouts")))
            reason = "file not found" if not Path(path).exists() else f"not a usable TrueType font ({exc})"
            raise ContentError([Diagnostic(where, f"font '{path.name}': {reason}")]) from None
        names[variant] = rl_name
    pdfmetrics.registerFontFamily(tag, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    family = FontFamily(**names)
    _registered[key] = family
    return family
