"""Atomic output: every product is written into a staging folder, and the variant folder is swapped in at the end.

A crash, a content error or Ctrl-C before the swap leaves ``output/<variant>/`` exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data) -> None:
    write_bytes_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _recover(final: Path) -> None:
    """Finish a swap that an earlier crash interrupted between its two renames."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, final)


@contextmanager
def staged_folder(final: Path, keep_existing: bool = True):
    """Yield a staging folder beside ``final``; on success it replaces ``final`` as a whole.

    With ``keep_existing`` the staging folder starts as a copy of ``final``, so a partial build
    (``--only board``) keeps the other products.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    _recover(final)
    stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
    try:
        if keep_existing and final.is_dir():
            for item in final.iterdir():
                if item.is_file() and not item.name.startswith("."):
                    shutil.copy2(item, stage / item.name)
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = final.with_name(f".{final.name}.old")
    try:
        if final.exists():
            os.replace(final, old)
        try:
            os.replace(stage, final)
        except BaseException:
            if old.exists() and not final.exists():
                os.replace(old, final)  # the swap failed halfway (a locked folder, Ctrl-C): put the old one back
            raise
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)  # nothing half-built stays behind
        raise
    shutil.rmtree(old, ignore_errors=True)
