"""Check a value against its declaration (:mod:`kaartenoptafel.schema.nodes`), with located, plain messages.

The loaders call these helpers where they used to spell out the allowed keys, the expected type and the lowest
number themselves: the declaration says them once, and the messages stay word for word what they were (the
``what`` of a field or mapping names the value; ``{n}``, ``{name}`` and the like are filled in from ``names``).
"""

from __future__ import annotations

from typing import Any, Callable

from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.load.checks import check_keys, expect
from kaartenoptafel.schema.nodes import Field, Int, ListOf, Mapping, Node, Text


def unknown_keys(out: Collector, node: Mapping, data: dict, key_pos: Callable[[Any], Pos], card: str | None = None,
                 what: str | None = None, **names) -> None:
    """Report every key of ``data`` that ``node`` does not declare (with a did-you-mean).

    ``what`` names the mapping where the reader names values by their place (the board's 'board.route.0');
    without it, the node's own ``what`` does."""
    check_keys(out, data, node.names, key_pos, node.what.format(**names) if what is None else what, card)


def node_at(node: Node, key: tuple) -> Node:
    """The declaration of the value at a path of mapping keys and list indexes under ``node``; a key a mapping does
    not declare takes the node of its free names (``extra``)."""
    for k in key:
        if isinstance(node, Mapping) and k in node.fields:
            node = node.fields[k].node
        elif isinstance(node, Mapping) and isinstance(node.extra, (Node, Field)):  # a free name (a style's)
            node = node.extra.node if isinstance(node.extra, Field) else node.extra
        elif isinstance(node, ListOf) and isinstance(k, int):
            node = node.item
        else:
            raise KeyError(f"no declaration for {'.'.join(str(k) for k in key)}")
    return node


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
