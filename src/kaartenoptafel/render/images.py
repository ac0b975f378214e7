"""Images through Pillow: checked, downsampled to at most 300 dpi at their printed size, loaded once.

reportlab stores an image once per PDF (keyed by its content), so reusing the same reader on every
card costs nothing extra in the file.
"""

from __future__ import annotations

import io
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader

from kaartenoptafel.errors import ContentError, Diagnostic, Pos

MAX_DPI = 300
MAX_PIXELS = 40_000_000  # ~ an A2 poster at 300 dpi; more is a decompression bomb, not a logo
FORMATS = ("PNG", "JPEG", "MPO")  # MPO: a JPEG with a second picture after the first (many phones); the first prints


def _fail(pos: Pos | None, path: Path, message: str) -> ContentError:
    return ContentError([Diagnostic(pos or Pos(str(path)), f"image '{path.name}': {message}")])


@contextmanager
def opened_image(path: Path):
    """``Image.open`` with Pillow's own decompression-bomb check made an error for this call only: the process-wide
    ``Image.MAX_IMAGE_PIXELS`` stays as the user's program set it, and no warning with a site-packages path shows."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as im:
            yield im


def _header_problem(im, shown: str) -> str | None:
    if im.format not in FORMATS:
        return f"image '{shown}': format {im.format} is not supported; use PNG or JPEG"
    if im.width * im.height > MAX_PIXELS:
        return (f"image '{shown}': {im.width} x {im.height} pixels is over the limit of {MAX_PIXELS:,} "
                "pixels; scale it down (300 dpi at its printed size is enough)")
    if im.width < 1 or im.height < 1:
        return f"image '{shown}' has no pixels"
    return None


def upright(im: Image.Image) -> Image.Image:
    """The picture as a viewer shows it: turned as the camera's EXIF orientation says (a phone photo is stored on
    its side), and 16-bit grey (scanners, GIMP) scaled to 8 bits, which Pillow's convert() clips to white."""
    from PIL import ImageOps

    im = ImageOps.exif_transpose(im)
    if im.mode.startswith("I"):
        im = im.convert("I").point(lambda v: v / 257).convert("L")
    return im


@lru_cache(maxsize=256)
def _load(path: Path, max_w_px: int, max_h_px: int, pos: Pos | None) -> tuple[bytes, tuple[int, int]]:
    if not path.is_file():
        raise _fail(pos, path, "file not found")
    try:
        with opened_image(path) as im:
            problem = _header_problem(im, path.name)
            if problem:
                raise ContentError([Diagnostic(pos or Pos(str(path)), problem)])
            im.load()
            im = upright(im)
            size = im.size
            if im.width > max_w_px or im.height > max_h_px:
                im = im.copy()
                im.thumbnail((max_w_px, max_h_px), Image.LANCZOS)
            if im.mode not in ("RGB", "RGBA", "L", "LA"):
                im = im.convert("RGBA" if "A" in im.getbands() or "transparency" in im.info else "RGB")
            buf = io.BytesIO()
            im.save(buf, format="PNG", optimize=False)
            return buf.getvalue(), size
    except ContentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _fail(pos, path, f"too many pixels (the limit is {MAX_PIXELS:,})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _fail(pos, path, f"cannot be read as an image ({exc.__class__.__name__})") from None


@lru_cache(maxsize=256)
def _decodes(path: Path, stamp: tuple) -> str | None:
    """Decode every pixel of the image once per version of the file (``stamp``): what a build will do with it."""
    try:
        with opened_image(path) as im:
            im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"too many pixels (the limit is {MAX_PIXELS:,})"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return f"it is damaged: its pixels cannot be read ({exc.__class__.__name__}); save it again as PNG or JPEG"
    return None


def check_image(root: Path, rel) -> tuple[Path | None, str | None]:
    """Check an image a card or layout names, before anything is drawn: (path, None) or (None, what is wrong).

    The path must stay inside the project; the header is read first (format and pixel count), so a decompression
    bomb is refused without being decoded; then the pixels are decoded, as a build will, so a truncated JPEG
    fails `kot validate` as it would fail `kot build`.
    """
    from kaartenoptafel.load.checks import project_file

    path, problem = project_file(root, rel, "image")
    if problem:
        return None, problem
    try:
        with opened_image(path) as im:
            problem = _header_problem(im, rel)
            if problem:
                return None, problem
            im.verify()  # checksums and structure (PNG), without decoding the pixels
        info = path.stat()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, f"image '{rel}': too many pixels (the limit is {MAX_PIXELS:,})"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return None, f"image '{rel}' cannot be read as an image: it is damaged or not an image ({exc.__class__.__name__})"
    damaged = _decodes(path, (info.st_size, info.st_mtime_ns, info.st_ino))
    if damaged:
        return None, f"image '{rel}': {damaged}"
    return path, None


def image_reader(path: Path, w_pt: float, h_pt: float, pos: Pos | None = None) -> tuple[ImageReader, tuple[int, int]]:
    """A reader for ``path`` at no more than 300 dpi for a w_pt x h_pt box, and its pixel size."""
    max_w = max(1, round(w_pt / 72 * MAX_DPI))
    max_h = max(1, round(h_pt / 72 * MAX_DPI))
    data, _ = _load(Path(path), max_w, max_h, pos)
    reader = ImageReader(io.BytesIO(data))
    return reader, reader.getSize()
