"""Tints and text measures shared by the drawings of the board, its tiles and the worksheets."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from kaartenoptafel.layout.spec import Colour


def strip_grey(shade: float) -> float:
    """The grey level (0 black .. 1 white) of a tile's glue strip for ``tiles.shade`` (0 white .. 1 darkest)."""
    return 1 - 0.4 * shade


def tint_of(colour: Colour, strength: float) -> Colour:
    """``colour`` at ``strength`` on white paper."""
    if colour.cmyk is not None:
        return Colour(cmyk=tuple(v * strength for v in colour.cmyk))
    return Colour(rgb=tuple(1 - (1 - v) * strength for v in colour.rgb))


def ascent_descent(font: str, size: float) -> tuple[float, float]:
    face = pdfmetrics.getFont(font).face
    return face.ascent * size / 1000, face.descent * size / 1000  # descent is negative


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)
