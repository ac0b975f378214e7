"""A small on-disk memory of the one text size per card type, for `kot preview`.

A type prints each style at one size, the largest at which every card of the type fits
(:func:`kaartenoptafel.layout.text.common_size`), so previewing one card would wrap the texts of every card of its
type. The answer is kept in ``output/.cache/sizes/``, one small file per question, named by a SHA-256 of exactly
what decides it: every text of every card of the type in that style (with its label and field), the text style
(fonts by their registered names, which name the font files' contents), the frame's width and height, the largest
and smallest size, and the versions of kaartenoptafel, its fitting code (layout/text.py, layout/sizesearch.py),
reportlab and pyphen. Any change gives another name, so a stale file is never read: it is a miss, and the size is
worked out again. Files are written atomically (a temporary file renamed into place); a cache that cannot be read
or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

KEEP = 512  # files kept; beyond this the oldest are removed
FORMAT = 1


def _code() -> str:
    """What the answer depends on besides its inputs: the fitting code and the libraries that wrap text."""
    import pyphen
    import reportlab

    from kaartenoptafel import __version__
    from kaartenoptafel.layout import sizesearch, text

    source = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (text, sizesearch))).hexdigest()
    return f"{FORMAT}|{__version__}|{source}|{reportlab.Version}|{getattr(pyphen, '__version__', '?')}"


_CODE: list[str] = []


def key(entries, max_size: float, min_size: float) -> str:
    """The file name for ``common_size(entries, max_size, min_size)``."""
    if not _CODE:
        _CODE.append(_code())
    digest = hashlib.sha256(_CODE[0].encode("utf-8"))
    digest.update(repr((max_size, min_size)).encode("utf-8"))
    for items, style, width, height in entries:
        digest.update(repr((items, style, width, height)).encode("utf-8"))
    return digest.hexdigest()


def common_size(folder: Path, entries, max_size: float, min_size: float) -> float:
    """:func:`kaartenoptafel.layout.text.common_size`, remembered in ``folder``."""
    from kaartenoptafel.layout.text import common_size as work_out

    entries = list(entries)
    name = key(entries, max_size, min_size)
    path = Path(folder) / f"{name}.json"
    try:
        size = json.loads(path.read_text("utf-8"))["size"]
        if type(size) in (float, int):  # JSON keeps 15 and 15.0 apart, as the fitter returned them
            return size
    except (OSError, ValueError, KeyError, TypeError):
        pass
    size = work_out(entries, max_size, min_size)
    _store(path, {"size": size})
    return size


def _store(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), "utf-8")
        os.replace(tmp, path)
        files = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in files[: max(0, len(files) - KEEP)]:
            old.unlink(missing_ok=True)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
