"""The guide's page formats (A4, Letter, and the booklet's A5 and half Letter) and its file names."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

from kaartenoptafel.build import Job
from kaartenoptafel.impose.grid import PAPER

A4_FILE = "guide-a4.pdf"  # guide-letter.pdf with --paper letter
BOOKLET_FILE = "guide-booklet.pdf"
A5 = (148.0, 210.0)
HALF_LETTER = (139.7, 215.9)  # the booklet's page with --paper letter: two per Letter sheet


@dataclass(frozen=True)
class Geometry:
    """One page format of the guide: sizes in points, the body text size, the catalogue's card width."""

    name: str
    width: float
    height: float
    inner: float  # margin at the fold (left on odd pages)
    outer: float
    top: float
    bottom: float
    size: float  # body text, pt
    thumb: float  # target card width in the catalogue, points

    @property
    def frame_width(self) -> float:
        return self.width - self.inner - self.outer


GEOMETRY = {
    "a4": Geometry("a4", PAPER["a4"][0] * mm, PAPER["a4"][1] * mm, 22 * mm, 22 * mm, 20 * mm, 22 * mm, 10.5, 36 * mm),
    "a5": Geometry("a5", A5[0] * mm, A5[1] * mm, 15 * mm, 13 * mm, 14 * mm, 17 * mm, 9.2, 33 * mm),
    "letter": Geometry("letter", PAPER["letter"][0] * mm, PAPER["letter"][1] * mm, 22 * mm, 22 * mm, 18 * mm,
                       20 * mm, 10.5, 36 * mm),
    "half-letter": Geometry("half-letter", HALF_LETTER[0] * mm, HALF_LETTER[1] * mm, 14 * mm, 12 * mm, 14 * mm,
                            17 * mm, 9.2, 33 * mm),
}
BOOKLET_PAGE = {"a4": "a5", "letter": "half-letter"}


def guide_file(paper: str) -> str:
    """The guide's one-page-per-sheet file on the build's paper: guide-a4.pdf, guide-letter.pdf."""
    return A4_FILE if paper == "a4" else f"guide-{paper}.pdf"


def guide_paper(job: Job) -> str:
    paper = getattr(job.options, "paper", "a4")
    return paper if paper in BOOKLET_PAGE else "a4"
