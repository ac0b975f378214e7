"""Colour for the print shop: the output profile, and RGB to CMYK through littlecms, once per colour.

Home printers expect RGB, so the home products are drawn and kept in RGB. Print shops print CMYK and
convert whatever they get, which turns small black text into four-colour black that blurs with the
slightest misregistration and shifts the layout's colours in ways nobody checked. So the print-shop
files are separated here, by the same rules for every colour the layout names:

1. a colour the layout gives as CMYK keeps exactly those values;
2. the layout's ``ink`` and every near-black grey (each channel at most 20 %, within 3 % of each
   other) print as pure black, 0/0/0/100, so text stays one sharp plate;
3. any other exact grey (r = g = b) prints on the black plate only, at the K value whose lightness
   matches, so grey lines and captions are sharp too;
4. everything else goes through a real colour-management transform (littlecms, as Pillow ships it
   in ``PIL.ImageCms``): sRGB to the output profile, relative colorimetric with black-point
   compensation. Images go through the same transform, pixel by pixel.

The profile is named by the layout's ``print: {profile: ...}``: ``builtin`` (a coated FOGRA39
profile made for this package, see ``profiles/LICENSE.txt``) or a print shop's own ICC file in the
project.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from kaartenoptafel.errors import Pos

BUILTIN = "builtin"
BUILTIN_FILE = Path(__file__).resolve().parent.parent / "profiles" / "kot-fogra39-300.icc"
BUILTIN_CONDITION = "FOGRA39"
BUILTIN_INFO = "Offset printing, according to ISO 12647-2:2004/Amd 1, OFCOM, paper type 1 or 2 = coated art, " \
               "115 g/m2, tone value increase curves A (CMY) and B (K)"
REGISTRY = "http://www.color.org"
NEAR_BLACK = 51  # 20 % of 255: darker neutral colours print as pure K
NEAR_NEUTRAL = 8  # about 3 % of 255: how far the channels of a near-black may differ

CMYK = tuple[float, float, float, float]
RGB8 = tuple[int, int, int]


@dataclass(frozen=True)
class PrintSettings:
    """The layout's ``print:`` section (see layouts/default.yaml), with where each value was written."""

    profile: str = BUILTIN
    condition: str | None = None  # None: FOGRA39 for the built-in profile, else the profile's description
    max_ink: float = 300.0  # percent, the sum of C, M, Y and K
    min_dpi: float = 250.0
    pos: dict[str, Pos] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class OutputProfile:
    """An ICC output profile's bytes and what a PDF/X OutputIntent says about it."""

    data: bytes
    description: str
    condition: str  # OutputConditionIdentifier
    info: str  # the printing condition in words
    registry: str  # RegistryName ('' for a custom condition)


class ProfileError(ValueError):
    """The profile file is not a CMYK output profile littlecms can use (the message says why)."""


def load_profile(path: Path, condition: str | None = None) -> OutputProfile:
    """Read and check an ICC profile: it must be a CMYK output profile."""
    data = path.read_bytes()
    try:
        prof = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError, ValueError, TypeError) as exc:
        raise ProfileError(f"'{path.name}' is not an ICC profile littlecms can read ({exc})") from None
    space = prof.profile.xcolor_space.strip()
    if space != "CMYK":
        raise ProfileError(f"'{path.name}' is a {space} profile; a print shop's output profile is CMYK")
    if prof.profile.device_class.strip() != "prtr":
        raise ProfileError(f"'{path.name}' is not an output (printer) profile")
    description = (prof.profile.profile_description or path.stem).strip()
    builtin = path.resolve() == BUILTIN_FILE
    if builtin and condition in (None, BUILTIN_CONDITION):
        return OutputProfile(data, description, BUILTIN_CONDITION, BUILTIN_INFO, REGISTRY)
    cond = condition or description
    return OutputProfile(data, description, cond, description, REGISTRY if cond.upper().startswith("FOGRA") else "")


def _lab_lightness_srgb(v: int) -> float:
    """CIE L* of an sRGB grey (8-bit value)."""
    c = v / 255
    y = c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


class Separator:
    """RGB colours and images to CMYK for one output profile; each colour is converted once and remembered."""

    def __init__(self, profile: OutputProfile, black: set[RGB8] = frozenset(), fixed: dict[RGB8, CMYK] | None = None):
        self.profile = profile
        self.black = set(black)  # the layout's ink colours: pure K
        self.fixed = dict(fixed or {})  # colours the layout gave as CMYK, by the RGB reportlab writes for them
        out = ImageCms.ImageCmsProfile(io.BytesIO(profile.data))
        srgb = ImageCms.createProfile("sRGB")
        intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
        flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
        self._rgb_to_cmyk = ImageCms.buildTransform(srgb, out, "RGB", "CMYK", intent, flags=flags)
        self._cache: dict[RGB8, CMYK] = {}
        self._k_ramp = self._k_lightness(out, intent, flags)

    @staticmethod
    def _k_lightness(out, intent, flags) -> list[float]:
        """L* (relative to the paper) of 0/0/0/K for K = 0..255, through the profile."""
        ramp = Image.frombytes("CMYK", (256, 1), b"".join(bytes((0, 0, 0, k)) for k in range(256)))
        to_lab = ImageCms.buildTransform(out, ImageCms.createProfile("LAB"), "CMYK", "LAB", intent, flags=flags)
        lab = ImageCms.applyTransform(ramp, to_lab)
        return [lab.getpixel((k, 0))[0] * 100 / 255 for k in range(256)]

    def rule(self, rgb8: RGB8) -> str:
        """Which of the module's rules separates this colour: 'cmyk', 'black', 'grey' or 'icc'."""
        if rgb8 in self.fixed:
            return "cmyk"
        r, g, b = rgb8
        if rgb8 in self.black or (max(rgb8) <= NEAR_BLACK and max(rgb8) - min(rgb8) <= NEAR_NEUTRAL):
            return "black"
        if r == g == b:
            return "grey"
        return "icc"

    def cmyk8(self, rgb8: RGB8) -> CMYK:
        """The CMYK (0..1) of an 8-bit sRGB colour, by the rules in the module docstring."""
        hit = self._cache.get(rgb8)
        if hit is not None:
            return hit
        rule = self.rule(rgb8)
        if rule == "cmyk":
            result = self.fixed[rgb8]
        elif rule == "black":
            result = (0.0, 0.0, 0.0, 1.0)
        elif rule == "grey":
            target = _lab_lightness_srgb(rgb8[0])
            k = min(range(256), key=lambda i: (abs(self._k_ramp[i] - target), i))
            result = (0.0, 0.0, 0.0, round(k / 255, 4))
        else:
            pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb8), self._rgb_to_cmyk).getpixel((0, 0))
            result = tuple(round(v / 255, 4) for v in pixel)
        self._cache[rgb8] = result
        return result

    def cmyk(self, rgb: tuple[float, float, float]) -> CMYK:
        """The CMYK of an RGB colour as a PDF writes it (0..1), matched to the nearest 8-bit colour."""
        return self.cmyk8(rgb_to_8(rgb))

    def image(self, im: Image.Image) -> Image.Image:
        """An RGB image converted to CMYK by the same transform as the colours."""
        if im.mode != "RGB":
            im = im.convert("RGB")
        return ImageCms.applyTransform(im, self._rgb_to_cmyk)


def max_ink_of_image(im: Image.Image) -> float:
    """The highest total ink (percent) of any pixel of a CMYK image."""
    from PIL import ImageMath

    c, m, y, k = (band.convert("I") for band in im.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 255 * 100


def rgb_to_8(rgb: tuple[float, float, float]) -> RGB8:
    return tuple(min(255, max(0, int(math.floor(v * 255 + 0.5)))) for v in rgb)


def ink_percent(cmyk: CMYK) -> float:
    """Total ink coverage of a CMYK colour (0..1 each), in percent."""
    return round(sum(cmyk) * 100, 2)


def describe_cmyk(cmyk: CMYK) -> str:
    c, m, y, k = (round(v * 100) for v in cmyk)
    return f"C {c} M {m} Y {y} K {k}"


@lru_cache(maxsize=8)
def separator_for(path: str, condition: str | None, black: frozenset, fixed: tuple) -> Separator:
    """One Separator per profile and layout colours, reused by every product and every build in a process."""
    return Separator(load_profile(Path(path), condition), black, dict(fixed))
