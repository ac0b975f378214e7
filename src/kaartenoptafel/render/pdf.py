"""A reportlab canvas set up the one way every product needs: deterministic, fonts embedded, compressed."""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel import __version__
from kaartenoptafel.render.fonts import FontFamily

rl_config.invariant = 1  # no dates or random ids: the same input gives byte-identical PDFs
rl_config.useA85 = 0


def new_canvas(target, pagesize: tuple[float, float], family: FontFamily, title: str, subject: str = "",
               duplex: str | None = None) -> Canvas:
    """A canvas for one PDF; ``duplex`` ('long', 'short', 'none') marks a home-print PDF (see print_preferences)."""
    c = Canvas(
        target,
        pagesize=pagesize,
        invariant=1,
        pageCompression=1,
        initialFontName=family.regular,  # else reportlab writes an unembedded Helvetica reference
        initialFontSize=10,
    )
    # names this document's font subsets (render.fonts.TaggedTTFont): different files, different subset tags
    name = target if isinstance(target, str) else getattr(target, "name", "")
    c._doc.kot_subset_salt = f"{title}|{subject}|{pagesize[0]:.2f}x{pagesize[1]:.2f}|{Path(str(name)).name}"
    c.setTitle(title)
    c.setSubject(subject)
    c.setAuthor("kaartenoptafel")
    c.setCreator(f"kaartenoptafel {__version__}")
    if duplex is not None:
        set_print_preferences(c, duplex)
    return c


DUPLEX = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "none": "Simplex"}


def print_preferences(duplex: str) -> dict[str, str]:
    """What a home-print PDF asks the printer dialog for: 100 % (cards and tiles must keep their size) and
    double-sided with the right flip, or single-sided. ``duplex`` is 'long', 'short' or 'none'."""
    return {"PrintScaling": "None", "Duplex": DUPLEX[duplex]}


def set_print_preferences(c: Canvas, duplex: str) -> None:
    """Write :func:`print_preferences` into the canvas's ViewerPreferences."""
    from reportlab.pdfbase.pdfdoc import PDFName

    for key, value in print_preferences(duplex).items():
        c.setViewerPreference(key, PDFName(value))


def compress_last_page(c: Canvas) -> None:
    """Compress the page just finished now, not at ``save()``, so a long document holds no page's raw text.

    reportlab keeps every page's content stream as text until it writes the file; this makes the same
    stream object it would make then (same filter, same zlib compression, so the same bytes), already
    compressed: a 20,000-page print-shop deck holds about a fifth of the memory.
    """
    from reportlab.pdfbase import pdfdoc

    page = c._doc.Pages.pages[-1]
    if page.Contents or not page.stream or not page.compression or rl_config.useA85:
        return  # not the case reportlab's check_format handles as below: leave it to reportlab
    stream = pdfdoc.PDFStream()
    stream.content = pdfdoc.PDFZCompress.encode(page.stream)
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
    stream.__Comment__ = "page stream"
    page.Contents = stream
    page.stream = None
