"""Command-line value types that refuse what would poison arithmetic: every float option uses :class:`FiniteFloat`.

``click.FloatRange`` lets ``nan`` through (every comparison with NaN is false) and ``float('1e999')`` is infinity;
either then reaches the layout as a number. These types accept only finite numbers inside their range and say
which option was wrong (exit code 2). An option added later takes ``type=FiniteFloat(low, high)``.
"""

from __future__ import annotations

import math
from pathlib import Path

import click


def finite(text: str) -> float | None:
    """``text`` as a finite float, or None (not a number, NaN, infinite)."""
    try:
        value = float(text)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _show(value) -> str:
    from kaartenoptafel.errors import printable

    return printable(str(value))


class FiniteFloat(click.ParamType):
    """A finite number from ``low`` to ``high`` (inclusive); NaN, infinities and words are usage errors."""

    name = "number"

    def __init__(self, low: float, high: float, unit: str = "") -> None:
        self.low, self.high, self.unit = low, high, unit

    def get_metavar(self, param, ctx=None) -> str:  # click 8.1 passes (param), 8.2 (param, ctx)
        return f"{self.low:g}-{self.high:g}"

    def convert(self, value, param, ctx):
        if isinstance(value, float) and math.isfinite(value) and self.low <= value <= self.high:
            return value  # the default
        number = finite(value) if not isinstance(value, (int, float)) else (float(value) if math.isfinite(value) else None)
        unit = f" {self.unit}" if self.unit else ""
        if number is None:
            self.fail(f"'{_show(value)}' is not a finite number; give a number from {self.low:g} to {self.high:g}{unit}",
                      param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{_show(value)} is out of range; give a number from {self.low:g} to {self.high:g}{unit}",
                      param, ctx)
        return number

    def __repr__(self) -> str:
        return f"FiniteFloat({self.low}, {self.high})"


class Offset(click.ParamType):
    """``DX,DY``: two finite millimetre values, each at most ``limit`` from zero."""

    name = "DX,DY"

    def __init__(self, limit: float = 20.0) -> None:
        self.limit = limit

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        numbers = [finite(p) for p in parts] if len(parts) == 2 else [None]
        if any(n is None for n in numbers):
            self.fail(f"'{_show(value)}': expected DX,DY in millimetres, such as 1.5,-0.5", param, ctx)
        dx, dy = numbers
        if abs(dx) > self.limit or abs(dy) > self.limit:
            self.fail(f"'{_show(value)}': an offset of more than {self.limit:g} mm is not a printer misalignment",
                      param, ctx)
        return dx, dy


class OutputFolder(click.ParamType):
    """A folder to write into: not empty, not an existing file."""

    name = "DIR"

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            return value
        text = str(value)
        if not text.strip():
            self.fail("the output folder is empty; give a folder name, such as --out output", param, ctx)
        path = Path(text)
        if path.exists() and not path.is_dir():
            self.fail(f"'{_show(text)}' is a file, not a folder; give a folder name", param, ctx)
        return path


def output_file(value: str, default_name: str) -> Path:
    """An ``-o`` target: a folder (existing, or written with a trailing slash) gets ``default_name`` inside it."""
    if not value.strip():
        raise click.BadParameter("the output file name is empty", param_hint="'-o' / '--output'")
    path = Path(value)
    if value.endswith(("/", "\\")) or path.is_dir():
        return path / default_name
    if path.exists() and not path.is_file():  # a device (/dev/null), a pipe: never replaced by a file
        raise click.BadParameter(f"'{value}' is not a regular file (a device or a pipe?); give a file name, such as "
                                 f"{default_name}", param_hint="'-o' / '--output'")
    kind = Path(default_name).suffix.lower()
    if path.is_file() and path.suffix.lower() != kind:  # `kot schema -o cards/types.yaml` wrote JSON over the types
        raise click.BadParameter(f"'{value}' exists and is not a {kind} file; this writes a {kind} file and would "
                                 f"replace it: give a name ending in {kind}", param_hint="'-o' / '--output'")
    return path
