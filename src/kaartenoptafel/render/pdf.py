"""A reportlab canvas set up the one way every product needs: deterministic, fonts embedded, compressed."""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel import __version__
from kaartenoptafel.render.fonts import FontFamily

rl_config.invariant = 1  # no dates or random ids: the same input gives byte-identical PDFs
rl_config.useA85 = 0


def new_canvas(target, pagesize: tuple[float, float], family: FontFamily, title: str, subject: str = "") -> Canvas:
    c = Canvas(
        target,
        pagesize=pagesize,
        invariant=1,
        pageCompression=1,
        initialFontName=family.regular,  # else reportlab writes an unembedded Helvetica reference
        initialFontSize=10,
    )
    c.setTitle(title)
    c.setSubject(subject)
    c.setAuthor("kaartenoptafel")
    c.setCreator(f"kaartenoptafel {__version__}")
    return c
