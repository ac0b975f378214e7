"""Shapes several file kinds share: paragraphs, lists of texts, colours, sizes."""

from __future__ import annotations

from kaartenoptafel.schema.nodes import AnyOf, Choice, ListOf, Null, Number, Text

HEX_PATTERN = "^#[0-9a-fA-F]{6}$"
CARD_SIZE_NAMES = ("poker", "a7", "tarot", "square", "token", "bridge", "mini")  # layout/spec.py CARD_SIZES


def paragraphs(description: str, examples: tuple = ()) -> AnyOf:
    """A text (blank lines separate paragraphs) or a list of texts; nothing reads as none."""
    return AnyOf(description, examples, options=(Text(), ListOf(item=Text()), Null()))


def items(description: str, examples: tuple = ()) -> AnyOf:
    """A list of texts; a single text counts as a list of one; nothing reads as none."""
    return AnyOf(description, examples, options=(ListOf(item=Text()), Text(), Null()))


def colour(description: str = "a colour: '#rrggbb', or CMYK as [c, m, y, k] in percent") -> AnyOf:
    return AnyOf(description, ("#1f6f8b", [0, 60, 100, 0]), options=(
        Text(pattern=HEX_PATTERN, numbers=False),
        ListOf(item=Number(minimum=0, maximum=100), min_items=4, max_items=4),
    ))


def size(description: str, low: float, high: float) -> AnyOf:
    """A card size: a preset name or [width, height] in mm."""
    return AnyOf(description, ("poker", [63, 88]), options=(
        Choice(choices=CARD_SIZE_NAMES),
        ListOf(item=Number(minimum=low, maximum=high), min_items=2, max_items=2),
    ))
