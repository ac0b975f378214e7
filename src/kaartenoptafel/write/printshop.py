"""Finish a print-shop file: check its sources, separate it to CMYK PDF/X-4, preflight what was written.

The products draw their print-shop pages as they draw everything (reportlab, RGB); they hand the bytes
to :func:`finish`, which returns the PDF/X-4 bytes to write, or None when a check failed (the problems
are in ``out``, located at the layout or card line, and the build writes nothing).
"""

from __future__ import annotations

from kaartenoptafel.check.preflight import preflight
from kaartenoptafel.check.prepress import check_prepress, prepress_for
from kaartenoptafel.errors import Collector
from kaartenoptafel.write.pdfx import PDFX_VERSION, to_pdfx


def finish(ctx, cards, data: bytes, name: str, out: Collector) -> tuple[bytes | None, dict]:
    """(PDF/X-4 bytes or None, what the manifest says about the file: colour, profile, preflight)."""
    local = Collector()
    prep = prepress_for(ctx, local)
    if prep is not None:
        check_prepress(ctx, cards, local)
    if local:
        out.extend(local.diagnostics)
        return None, {}
    pdfx = to_pdfx(data, prep.separator)
    report = preflight(pdfx, prep, name, local)
    out.extend(local.diagnostics)
    if local:
        return None, {}
    profile = prep.separator.profile
    return pdfx, {"colour": "CMYK", "standard": PDFX_VERSION, "output_condition": profile.condition,
                  "profile": profile.description, "preflight": report.as_dict()}


def describe(ctx) -> dict:
    """What the manifest says about a print-shop file that :func:`finish` would make (without its preflight),
    worked out without making it; {} when the print settings have problems (the product reports them)."""
    problems = Collector()
    prep = prepress_for(ctx, problems)
    if prep is None or prep.separator is None or problems:
        return {}
    profile = prep.separator.profile
    return {"colour": "CMYK", "standard": PDFX_VERSION, "output_condition": profile.condition,
            "profile": profile.description}
