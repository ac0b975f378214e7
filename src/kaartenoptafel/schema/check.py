"""Check a value against its declaration (:mod:`kaartenoptafel.schema.nodes`), with located, plain messages.

The loaders call these helpers where they used to spell out the allowed keys, the expected type and the lowest
number themselves: the declaration says them once, and the messages stay word for word what they were (the
``what`` of a field or mapping names the value; ``{n}``, ``{name}`` and the like are filled in from ``names``).
"""

from __future__ import annotations

from typing import Any, Callable

from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.load.checks import check_keys, expect
from kaartenoptafel.schema.nodes import Field, Int, ListOf, Mapping, Text


def unknown_keys(out: Collector, node: Mapping, data: dict, key_pos: Callable[[Any], Pos], card: str | None = None,
                 **names) -> None:
    """Report every key of ``data`` that ``node`` does not declare (with a did-you-mean)."""
    check_keys(out, data, node.names, key_pos, node.what.format(**names), card)


def check_value(out: Collector, field: Field, value: Any, pos: Pos, card: str | None = None, **names) -> bool:
    """The type of ``value`` (and for a number its lowest value) as ``field`` declares it; False once reported."""
    node, what = field.node, field.what.format(**names)
    if isinstance(node, Text):
        return expect(out, value, str, pos, what, card)
    if isinstance(node, Int):
        if not expect(out, value, int, pos, what, card):
            return False
        if node.minimum is not None and value < node.minimum:
            out.error(pos, field.too_low.format(what=what, minimum=node.minimum, value=value, **names), card)
            return False
        return True
    if isinstance(node, Mapping):
        return expect(out, value, dict, pos, what, card)
    if isinstance(node, ListOf):
        return expect(out, value, list, pos, what, card)
    raise TypeError(f"check_value cannot check a {type(node).__name__} node")
