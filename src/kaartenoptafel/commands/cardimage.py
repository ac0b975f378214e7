"""Card faces as pixels, rendered from the real print-shop PDF (never drawn a second time).

`kot preview`, `kot sheet` and `kot watch` share this: the cards are written with
:func:`products.deck.write_printshop_deck` into memory, and each page is rasterised with pypdfium2,
cropped to its TrimBox (the cut card) or its BleedBox. What you see is what the print shop gets, in the
screen's RGB: this is the drawing before ``write.pdfx`` separates it to CMYK (same pages, boxes and text).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kaartenoptafel.errors import Collector, ContentError, Diagnostic, did_you_mean
from kaartenoptafel.load.model import Card, Kit
from kaartenoptafel.resolve import ResolvedCard, resolve_card

if TYPE_CHECKING:  # reportlab and pypdfium2 load only when a card is really drawn: `kot --help` stays quick
    from kaartenoptafel.layout.card import Context

DEFAULT_DPI = 200
MAX_DPI = 1200


def find_card(kit: Kit, card_id: str) -> Card:
    """The card with this id; a content error with a did-you-mean suggestion when there is none."""
    for card in kit.cards:
        if card.id == card_id:
            return card
    ids = [c.id for c in kit.cards]
    hint = did_you_mean(card_id, ids)
    if not hint and ids:
        close = [i for i in ids if card_id in i or i in card_id][:3]
        if close:
            hint = " (did you mean " + " or ".join(f"'{i}'" for i in close) + "?)"
    raise ContentError([Diagnostic(None, f"no card has the id '{card_id}'{hint}; 'kot list' shows every id")])


def check_type(kit: Kit, type_id: str) -> None:
    if type_id not in kit.types:
        raise ContentError([Diagnostic(None, f"unknown card type '{type_id}'{did_you_mean(type_id, kit.types)}; "
                                             f"the types are {', '.join(kit.types)}")])


def printshop_pdf(ctx: Context, cards: list[ResolvedCard]) -> bytes:
    """The print-shop deck of ``cards`` (front, back, front, back, ...) as PDF bytes in memory."""
    from kaartenoptafel.products.deck import write_printshop_deck

    buffer = io.BytesIO()
    out = Collector()
    write_printshop_deck(ctx, cards, buffer, out)
    out.raise_if_any()  # a card that does not fit has no pages: stop with its located error instead
    return buffer.getvalue()


def render_pages(pdf_bytes: bytes, pages, dpi: float, bleed: bool = False) -> Iterator:
    """Each page in ``pages`` (0-based) as an RGB PIL image cropped to its TrimBox (or BleedBox)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        for index in pages:
            page = pdf[index]
            try:
                mx0, my0, mx1, my1 = page.get_mediabox()
                x0, y0, x1, y1 = page.get_bleedbox() if bleed else page.get_trimbox()
                crop = (x0 - mx0, y0 - my0, mx1 - x1, my1 - y1)
                bitmap = page.render(scale=dpi / 72, crop=crop, may_draw_forms=True)
                yield bitmap.to_pil().convert("RGB")
            finally:
                page.close()
    finally:
        pdf.close()


def card_image(ctx: Context, card: Card, back: bool = False, dpi: float = DEFAULT_DPI, bleed: bool = False):
    """One face of one card, exactly as the print-shop PDF prints it."""
    pdf = printshop_pdf(ctx, [resolve_card(ctx.kit, card)])
    return next(render_pages(pdf, [1 if back else 0], dpi, bleed))


def png_bytes(image) -> bytes:
    """PNG bytes without timestamps or other metadata, so the same card gives the same file."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # quick to write: a preview is looked at, not archived
    return buffer.getvalue()


def write_png(path: Path, image) -> None:
    from kaartenoptafel.write.atomic import write_bytes_atomic

    write_bytes_atomic(path, png_bytes(image))


def preview_path(out_dir: Path, card_id: str, back: bool = False, bleed: bool = False) -> Path:
    """output/preview/<id>.png; the back and the bleed version get their own names (ids have no dots)."""
    suffix = (".back" if back else "") + (".bleed" if bleed else "")
    return out_dir / "preview" / f"{card_id}{suffix}.png"
