"""Atomic output: every product is written into a staging folder, and the variant folder is swapped in at the end.

A crash, a content error or Ctrl-C before the swap leaves ``output/<variant>/`` exactly as it was.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def shared_mode(path: Path, directory: bool = False) -> None:
    """Give a temp file or folder the permissions a normal one would get (mkstemp/mkdtemp make them private)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file beside it; a file that is replaced keeps its permissions (a shared
    folder's 0664 stays 0664)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        before = os.stat(path)
    except OSError:
        before = None
    if before is not None and not stat.S_ISREG(before.st_mode):  # a device, a pipe, a folder: never replaced
        raise FileExistsError(errno.EEXIST, "it is not a regular file (a device, a pipe or a folder); it was left "
                                            "alone", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if before is not None and stat.S_ISREG(before.st_mode):
            os.chmod(tmp, stat.S_IMODE(before.st_mode))
        else:
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


# -- the output folder ------------------------------------------------------------------------------------------
#
# Several builds may write into one --out at the same moment (two terminals, `kot watch` beside `kot build`, the
# workers of `kot build --all`). Each build works in its own staging folder, holding an flock on it while it runs;
# the swap of a variant folder (two renames) happens under an flock on the --out folder itself, so no lock file is
# ever left behind. A staging folder whose lock nobody holds belongs to a build that died (SIGKILL, a power cut)
# and is removed by the next build. The previous folder goes to a unique ``.<variant>.old-*`` name, so one that
# cannot be deleted never blocks a later swap; the file that blocks its removal is named on stderr.


def _lock(fd: int, blocking: bool = True) -> bool:
    """An exclusive flock on an open file or folder; False when it is held elsewhere (non-blocking)."""
    if fcntl is None:  # Windows: no flock; builds into one folder must not overlap there
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # a file system without flock (some network mounts): go on without
        return True
    return True


@contextmanager
def _held(folder: Path):
    """Hold the swap lock of the --out folder ``folder`` (waiting for another build's swap to finish)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _unremovable(folder: Path) -> str | None:
    """Remove ``folder``; return the first file that could not be removed (None when it is gone)."""
    failed: list[str] = []

    def note(function, path, exc_info) -> None:
        if not failed:
            failed.append(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=lambda function, path, exc: note(function, path, None))
    else:
        shutil.rmtree(folder, onerror=note)
    if not folder.exists():
        return None
    return failed[0] if failed else str(folder)


def _warn(message: str) -> None:
    from kaartenoptafel.errors import printable

    sys.stderr.write(printable(message) + "\n")


def _clean(final: Path) -> None:
    """Under the swap lock: finish a swap that a crash interrupted, remove old folders and dead builds' stages."""
    # only folders a build renamed: a file or a link with such a name (put there by hand or by another program) is
    # never made the output, which would fail every later build or copy files from elsewhere into it
    olds = sorted(p for p in final.parent.glob(f".{glob.escape(final.name)}.old*") if p.is_dir() and not p.is_symlink())
    if not final.exists() and olds:  # a crash between the two renames: the old folder is the last good output
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        os.replace(newest, final)
        olds.remove(newest)
    for old in olds:
        blocked = _unremovable(old)
        if blocked:
            _warn(f"warning: cannot remove '{blocked}' (left from an earlier build); delete it by hand")
    for leftover in final.parent.glob(f".{glob.escape(final.name)}.staging-*"):
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except OSError:
            continue
        try:
            if _lock(fd, blocking=False):  # nobody holds it: its build is dead
                shutil.rmtree(leftover, ignore_errors=True)
        finally:
            os.close(fd)


def _previous_files(final: Path) -> list[str]:
    """The files of the previous output worth keeping: regular files (never links) that its manifest lists with
    the checksum they still have, so nothing else (a link to a file elsewhere, a file put there by hand) is copied."""
    try:
        manifest = json.loads((final / "manifest.json").read_bytes())
        entries = manifest["products"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    names = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        name, digest = entry.get("path"), entry.get("sha256")
        if not isinstance(name, str) or name != os.path.basename(name) or name.startswith(".") or not name:
            continue
        path = final / name
        try:
            if stat.S_ISREG(os.lstat(path).st_mode) and sha256(path) == digest:
                names.append(name)
        except OSError:
            continue
    if names and stat.S_ISREG(os.lstat(final / "manifest.json").st_mode):
        names.append("manifest.json")
    return names


@contextmanager
def staged_folder(final: Path, keep_existing: bool = True):
    """Yield a staging folder beside ``final``; on success it replaces ``final`` as a whole.

    With ``keep_existing`` the staging folder starts with a copy of what the previous build wrote into ``final``
    (see :func:`_previous_files`), so a partial build (``--only board``) keeps the other products.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    fd = None
    try:
        # under the swap lock: no other build removes the new stage before it is locked, or swaps the previous
        # output away while it is being copied
        with _held(final.parent):
            _clean(final)
            stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
            fd = os.open(stage, os.O_RDONLY)
            _lock(fd)  # held until the end of this build: other builds know the stage is in use
            _STAGE_LOCKS.add(fd)
            try:
                shared_mode(stage, directory=True)
                if keep_existing and final.is_dir() and not final.is_symlink():
                    _copy_previous(final, stage)
            except BaseException:
                shutil.rmtree(stage, ignore_errors=True)
                raise
        try:
            yield stage
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        with _held(final.parent):
            _swap(final, stage)
    finally:
        if fd is not None:
            _STAGE_LOCKS.discard(fd)
            os.close(fd)


_STAGE_LOCKS: set[int] = set()  # the descriptors of the stages this process builds into, locked


def forget_locks() -> None:
    """In a process forked during a build (a product's worker): close the inherited stage locks, so a worker left
    running after its build was killed does not keep the stage looking in use (the build itself still holds them)."""
    for fd in list(_STAGE_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _STAGE_LOCKS.clear()


def _copy_previous(final: Path, stage: Path) -> None:
    for name in _previous_files(final):
        try:
            shutil.copyfile(final / name, stage / name, follow_symlinks=False)
        except OSError as exc:  # name the file being written (a full disk), not the one read
            raise OSError(exc.errno, exc.strerror, str(stage / name)) from None
        shared_mode(stage / name)


def _swap(final: Path, stage: Path) -> None:
    """Put ``stage`` in the place of ``final`` (two renames; the old folder goes to a unique name first)."""
    old = None
    try:
        if final.is_symlink() or (final.exists() and not final.is_dir()):
            raise OSError(errno.EEXIST, "this is not a folder the build made; move it away or choose another --out",
                          str(final))
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
            try:
                os.replace(final, old)  # onto the empty folder just made
            except OSError as exc:
                old.rmdir()
                old = None
                blocked = _blocking_file(final)
                raise OSError(exc.errno, f"{exc.strerror} (the previous output cannot be moved aside"
                                         f"{f'; {blocked} is in use or locked' if blocked else ''})", str(final)) from None
        try:
            os.replace(stage, final)
        except BaseException:
            if old is not None and not final.exists():
                os.replace(old, final)  # the swap failed halfway (a locked folder, Ctrl-C): put the old one back
            raise
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)  # nothing half-built stays behind
        raise
    if old is not None:
        blocked = _unremovable(old)
        if blocked:
            _warn(f"warning: the new output is in '{final}', but '{blocked}' of the previous one cannot be removed; "
                  "delete it by hand (the next build tries again)")


def _blocking_file(folder: Path) -> str | None:
    """A file inside ``folder`` that cannot be renamed or removed (its first unwritable entry), for the message."""
    try:
        for entry in os.scandir(folder):
            if not os.access(entry.path, os.W_OK, follow_symlinks=False):
                return entry.path
    except OSError:
        return None
    return None
