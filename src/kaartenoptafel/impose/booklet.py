"""A saddle-stitched booklet: pages two-up on sheets that are folded once and stapled in the fold.

The page order and the placement are pure functions (page numbers 1-based, sizes in points);
:func:`write_booklet` applies them to a PDF of single pages, drawing each page once as a form.

For ``n`` pages (padded to a multiple of 4), sheet ``i`` (0 = the outer sheet) carries
front ``(n - 2i | 1 + 2i)`` and back ``(2 + 2i | n - 1 - 2i)`` as (left | right). Printed double-sided
with a flip on the short edge, stacked in order and folded, the pages read 1, 2, 3, ...
"""

from __future__ import annotations

from dataclasses import dataclass


def padded(pages: int) -> int:
    """The page count of the booklet: ``pages`` rounded up to a multiple of 4 (at least 4)."""
    return max(4, -(-pages // 4) * 4)


def sides(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers of every printed side, in print order: sheet 1 front, sheet 1 back, ...

    Pages beyond ``pages`` (the padding) are ``None``: that half of the side stays blank.
    """
    n = padded(pages)

    def page(number: int) -> int | None:
        return number if number <= pages else None

    order = []
    for i in range(n // 4):
        order.append((page(n - 2 * i), page(1 + 2 * i)))
        order.append((page(2 + 2 * i), page(n - 1 - 2 * i)))
    return order


def reading_order(printed: list[tuple[int | None, int | None]]) -> list[int | None]:
    """What a reader sees after folding: the halves of ``printed`` sides in the order they are read.

    The inverse of :func:`sides`, derived from the fold itself: sheet ``i``'s front right half and back left
    half are read on the way in (outer sheet first); its back right and front left on the way out.
    """
    sheets = [(printed[k], printed[k + 1]) for k in range(0, len(printed), 2)]
    inward = [page for front, back in sheets for page in (front[1], back[0])]
    outward = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return inward + outward


@dataclass(frozen=True)
class Placement:
    """Where one page goes on a sheet: its bottom-left corner and its scale."""

    x: float
    y: float
    scale: float


def two_up(sheet_w: float, sheet_h: float, page_w: float, page_h: float) -> tuple[Placement, Placement]:
    """Left and right placements of two pages side by side on a landscape sheet.

    Each page is scaled to fit its half (1.0 for A5 on A4) and centred in it, so the fold falls on
    the sheet's middle whatever the sizes.
    """
    if sheet_w < sheet_h:
        sheet_w, sheet_h = sheet_h, sheet_w
    half = sheet_w / 2
    scale = min(half / page_w, sheet_h / page_h)
    w, h = page_w * scale, page_h * scale
    y = (sheet_h - h) / 2
    return Placement(half - w, y, scale), Placement(half, y, scale)


def write_booklet(pages_pdf: bytes, sheet: tuple[float, float], meta: dict[str, str] | None = None) -> bytes:
    """Impose a PDF of single pages as a booklet on landscape ``sheet`` s; returns the new PDF's bytes.

    Each page becomes one Form XObject (its fonts and images shared, not copied) drawn at its place;
    the file asks viewers and printers to print duplex, flipping on the short edge.
    """
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, TextStringObject)

    reader = PdfReader(io.BytesIO(pages_pdf))
    writer = PdfWriter()
    sheet_w, sheet_h = max(sheet), min(sheet)
    first = reader.pages[0].mediabox
    left, right = two_up(sheet_w, sheet_h, float(first.width), float(first.height))
    forms = {}

    def form(number: int):
        if number not in forms:
            page = reader.pages[number - 1]
            box = page.mediabox
            xobj = DecodedStreamObject()
            contents = page.get_contents()  # a ContentStream is falsy (an empty dict): test for None
            xobj.set_data(contents.get_data() if contents is not None else b"")
            xobj.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([FloatObject(float(v)) for v in (box.left, box.bottom, box.right,
                                                                                    box.top)]),
                NameObject("/Resources"): page["/Resources"].clone(writer) if "/Resources" in page
                else DictionaryObject(),
            })
            forms[number] = writer._add_object(xobj.flate_encode())
        return forms[number]

    for pair in sides(len(reader.pages)):
        out = writer.add_blank_page(sheet_w, sheet_h)
        ops, xobjects = [], DictionaryObject()
        for number, at in zip(pair, (left, right)):
            if number is None:
                continue
            name = f"/P{number}"
            xobjects[NameObject(name)] = form(number)
            ops.append(f"q {at.scale:.6f} 0 0 {at.scale:.6f} {at.x:.4f} {at.y:.4f} cm {name} Do Q")
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        out[NameObject("/Contents")] = writer._add_object(content.flate_encode())
        out[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject({
        NameObject("/Duplex"): NameObject("/DuplexFlipShortEdge"),
        NameObject("/PrintScaling"): NameObject("/None"),
        NameObject("/NumCopies"): NumberObject(1),
    })
    if meta:
        writer.add_metadata({f"/{k}": TextStringObject(v) for k, v in meta.items()})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
