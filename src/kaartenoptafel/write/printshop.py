"""Finish a print-shop file: check its sources, separate it to CMYK PDF/X-4, preflight what was written.

The products draw their print-shop pages as they draw everything (reportlab, RGB); they hand the bytes
to :func:`finish`, which returns the PDF/X-4 bytes to write, or None when a check failed (the problems
are in ``out``, located at the layout or card line, and the build writes nothing). The print-shop deck,
which can have tens of thousands of pages, goes through :func:`write_deck` instead: the same steps on
parts of the deck, written to the file as they come, so its memory does not grow with the cards.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pikepdf

from kaartenoptafel.check.preflight import PartsPreflight, preflight
from kaartenoptafel.check.prepress import check_prepress, prepress_for
from kaartenoptafel.errors import Collector
from kaartenoptafel.write.atomic import shared_mode
from kaartenoptafel.write.pdfstream import StreamWriter, head_of
from kaartenoptafel.write.pdfx import PDFX_VERSION, Rewriter, convert_colours, document_id, mark_pdfx, to_pdfx


def finish(ctx, cards, data: bytes, name: str, out: Collector) -> tuple[bytes | None, dict]:
    """(PDF/X-4 bytes or None, what the manifest says about the file: colour, profile, preflight)."""
    local = Collector()
    prep = _checked(ctx, cards, local, out)
    if prep is None:
        return None, {}
    pdfx = to_pdfx(data, prep.separator)
    report = preflight(pdfx, prep, name, local)
    out.extend(local.diagnostics)
    if local:
        return None, {}
    return pdfx, _about(prep.separator.profile, report)


def _checked(ctx, cards, local: Collector, out: Collector):
    """The print settings, once the prepress checks (settings, ink, images) pass; else None, the problems in ``out``."""
    prep = prepress_for(ctx, local)
    if prep is not None:
        check_prepress(ctx, cards, local)
    if local:
        out.extend(local.diagnostics)
        return None
    return prep


def _about(profile, report=None) -> dict:
    """What the manifest says about a print-shop file: colour, standard, profile and, once made, its preflight."""
    about = {"colour": "CMYK", "standard": PDFX_VERSION, "output_condition": profile.condition,
             "profile": profile.description}
    if report is not None:
        about["preflight"] = report.as_dict()
    return about


PART_CARDS = 400  # cards drawn per part of a print-shop deck: its memory, whatever the number of cards


def write_deck(ctx, printed, cards, path: Path, out: Collector):
    """Draw, separate, preflight and write the print-shop deck to ``path``, in parts of PART_CARDS cards.

    The same file as drawing the whole deck at once and finishing it (same checks, CMYK PDF/X-4), but each
    part is drawn (reportlab), separated and checked (pikepdf) and written (write.pdfstream) before the
    next is drawn, so the peak memory is one part's. Returns (DeckResult or None, what the manifest says);
    None when a check failed (the problems are in ``out``, nothing is written).
    """
    from kaartenoptafel.products.deck import DeckResult, SharedFonts, write_printshop_deck

    local = Collector()
    prep = _checked(ctx, cards, local, out)
    if prep is None:
        return None, {}
    sep = prep.separator
    rewriter, fonts, check = Rewriter(sep), SharedFonts(keep_names=True), PartsPreflight(prep, path.name, local)
    pages, paper, head = 0, "", None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        shared_mode(Path(tmp))
        with os.fdopen(fd, "wb") as fh:
            writer = StreamWriter(fh)
            for start in range(0, max(len(printed), 1), PART_CARDS):
                buffer = io.BytesIO()
                result = write_printshop_deck(ctx, printed[start:start + PART_CARDS], buffer, out, fonts)
                pages, paper = pages + result.pages, result.paper
                with pikepdf.open(buffer) as pdf:
                    convert_colours(pdf, rewriter, sep)
                    check.part(pdf)
                    writer.add_part(pdf)
                    if head is None:
                        head = head_of(pdf)
                del buffer
            doc_id = document_id(writer.digest.digest(), sep.profile)
            mark_pdfx(head, sep.profile, doc_id)
            saved = io.BytesIO()
            head.save(saved, deterministic_id=True, force_version="1.6", object_stream_mode=pikepdf.ObjectStreamMode.disable)
            with pikepdf.open(saved) as written:  # the document's objects as a reader sees them: checked, then copied
                report = check.document(written)
                if not local:
                    writer.close(written)
        out.extend(local.diagnostics)
        if local:
            Path(tmp).unlink(missing_ok=True)
            return None, {}
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return DeckResult(pages, paper), _about(sep.profile, report)


def describe(ctx) -> dict:
    """What the manifest says about a print-shop file that :func:`finish` would make (without its preflight),
    worked out without making it; {} when the print settings have problems (the product reports them)."""
    problems = Collector()
    prep = prepress_for(ctx, problems)
    if prep is None or prep.separator is None or problems:
        return {}
    return _about(prep.separator.profile)
