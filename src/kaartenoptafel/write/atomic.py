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


STALE_SECONDS = 3600  # a staging folder this old belongs to a build that was killed (SIGKILL, power cut)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def shared_mode(path: Path, directory: bool = False) -> None:
    """Give a temp file or folder the permissions a normal one would get (mkstemp/mkdtemp make them private)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        shared_mode(Path(tmp))
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


def _remove_stale(final: Path) -> None:
    import time

    for leftover in final.parent.glob(f".{final.name}.staging-*"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


@contextmanager
def staged_folder(final: Path, keep_existing: bool = True):
    """Yield a staging folder beside ``final``; on success it replaces ``final`` as a whole.

    With ``keep_existing`` the staging folder starts as a copy of ``final``, so a partial build
    (``--only board``) keeps the other products.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    _recover(final)
    _remove_stale(final)
    stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
    try:
        shared_mode(stage, directory=True)
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
