"""The worksheets that go with the board, on the home paper size (A4 or Letter): the samenwerkingsafspraak and
the krachtenanalyse.

The recipe: the style (:func:`kaartenoptafel.layout.boardstyle.read_sheet_style`), then per sheet its texts
(:mod:`kaartenoptafel.load.worksheets`) and its pages (:mod:`kaartenoptafel.render.worksheets`).
"""

from __future__ import annotations

from kaartenoptafel.errors import Collector
from kaartenoptafel.layout.boardstyle import read_sheet_style
from kaartenoptafel.load.worksheets import read_afspraak, read_krachtenanalyse
from kaartenoptafel.render.worksheets import write_afspraak, write_krachtenanalyse
from kaartenoptafel.resolve import ResolvedCard


def paper_name(paper: str) -> str:
    return paper.upper() if paper == "a4" else paper.capitalize()


def make_worksheets(ctx, content, style, board, cards: list[ResolvedCard], paper: str,
                    out: Collector) -> list[tuple[str, bytes, int]]:
    """Both worksheets as (manifest kind, PDF bytes, pages); problems go to ``out`` (then the list is empty)."""
    if content.data is None or style.loc is None:
        return []
    ss = read_sheet_style(style)
    before = len(out.diagnostics)
    texts = read_afspraak(content, out)
    afspraak = write_afspraak(ctx, texts, ss, paper, out) if texts is not None else None
    krachten = None
    if board is not None:
        ptype = board.texts.partner_type
        texts = read_krachtenanalyse(content, ctx.kit, ptype, len(ss.widths),
                                     style.pos("worksheets", "krachtenanalyse", "widths"), out)
        krachten = write_krachtenanalyse(ctx, texts, ss, paper, cards, board, out) if texts is not None else None
    if len(out.diagnostics) > before or afspraak is None or krachten is None:
        return []
    return [("worksheet-afspraak", afspraak, 1), ("worksheet-krachtenanalyse", krachten[0], krachten[1])]
