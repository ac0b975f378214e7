"""Helpers that read real PDFs: page boxes in mm, embedded fonts, text, and rendered pixels."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from pypdf import PdfReader

PT = 25.4 / 72  # mm per point


def box_mm(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return x0 * PT, y0 * PT, x1 * PT, y1 * PT


def size_mm(box) -> tuple[float, float]:
    x0, y0, x1, y1 = box_mm(box)
    return x1 - x0, y1 - y0


def fonts(path: Path) -> list[dict]:
    """Every font resource used on any page (and in forms): name, subtype, embedded or not."""
    found = {}
    reader = PdfReader(str(path))

    def visit(resources):
        if not resources:
            return
        resources = resources.get_object()
        for _, ref in (resources.get("/Font") or {}).items():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descendants = font.get("/DescendantFonts")
            desc_font = descendants[0].get_object() if descendants else font
            desc = desc_font.get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = {"name": name, "subtype": str(font.get("/Subtype")), "embedded": embedded}
        for _, ref in (resources.get("/XObject") or {}).items():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return list(found.values())


def qpdf_problems(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check  # pikepdf >= 9 renamed it
        return [str(p) for p in check()]


def text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def render(path: Path, page: int, dpi: float = 50):
    """Page ``page`` (0-based) as an RGB PIL image at ``dpi`` (whole MediaBox)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[page].render(scale=dpi / 72, may_draw_forms=True).to_pil().convert("RGB")
    finally:
        pdf.close()


def find_text(path: Path, page: int, needle: str) -> list[tuple[float, float]]:
    """Where ``needle`` starts on page ``page`` (0-based): (x, y) in mm from the bottom-left, one per occurrence."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        textpage = pdf[page].get_textpage()
        searcher = textpage.search(needle, match_case=True)
        found = []
        while (hit := searcher.get_next()) is not None:
            left, bottom, right, top = textpage.get_charbox(hit[0])
            found.append((left * PT, bottom * PT))
        return found
    finally:
        pdf.close()


def page_text(path: Path, page: int) -> str:
    """The text of page ``page`` (0-based) squeezed for 'is it on this page': no spaces, hyphens or line breaks.

    Compare with :func:`squeeze` of the text looked for, so wrapping and hyphenation do not matter.
    """
    return squeeze(PdfReader(str(path)).pages[page].extract_text() or "")


def squeeze(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-\u00ad")


def text_sizes(path: Path) -> list[list[tuple[str, float]]]:
    """Per page, every visible character with the size it prints at (points, after every scaling).

    pdfium gives each character's font size in text space and its matrix to the page; the printed
    size is the font size times the matrix's scale, so a card drawn at 61 % in the guide reads as it prints.
    """
    import ctypes
    import math

    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    try:
        matrix = raw.FS_MATRIX()
        for page in pdf:
            textpage = page.get_textpage()
            chars = []
            for k in range(textpage.count_chars()):
                ch = chr(raw.FPDFText_GetUnicode(textpage, k))
                if ch.isspace() or not ch.isprintable():
                    continue
                raw.FPDFText_GetMatrix(textpage, k, ctypes.byref(matrix))
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                chars.append((ch, round(raw.FPDFText_GetFontSize(textpage, k) * scale, 2)))
            pages.append(chars)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages
