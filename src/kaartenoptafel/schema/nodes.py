"""The building blocks of a file kind's declaration: each node knows its JSON Schema and the words its messages use.

A declaration is data: ``Mapping(fields={...})`` of ``Field``s whose values are ``Text``, ``Int``, ``Number``,
``Choice``, ``ListOf`` and so on, each with a description and examples. ``json()`` gives the JSON Schema (draft 7)
that ``kot schema --kind`` writes; :mod:`kaartenoptafel.schema.check` reads the same nodes to check a file with
located messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SLUG_PATTERN = "^[a-z0-9]+(?:[-_][a-z0-9]+)*$"


@dataclass(frozen=True)
class Node:
    description: str = ""
    examples: tuple = ()

    def own(self) -> dict:  # the keywords of this kind of node
        return {}

    def json(self) -> dict:
        schema = self.own()
        if self.description:
            schema["description"] = self.description
        if self.examples:
            schema["examples"] = list(self.examples)
        return schema


@dataclass(frozen=True)
class Anything(Node):
    """Any value (a part the loader does not look into, or checks elsewhere)."""


@dataclass(frozen=True)
class Text(Node):
    """A text; a number is fine too (it prints as written), as the loaders accept it."""

    max_length: int | None = None
    pattern: str | None = None
    numbers: bool = True
    min_length: int | None = None

    def own(self) -> dict:
        schema: dict[str, Any] = {"type": ["string", "number"] if self.numbers else "string"}
        if self.min_length is not None:
            schema["minLength"] = self.min_length
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        return schema


@dataclass(frozen=True)
class Slug(Text):
    """An id: lowercase letters, digits and '-'."""

    numbers: bool = False
    pattern: str | None = SLUG_PATTERN


@dataclass(frozen=True)
class Name(Node):
    """A name that may not be one of ``excluded`` (such as a field name: not id, type, count or tags)."""

    excluded: tuple = ()

    def own(self) -> dict:
        return {"type": "string", "not": {"enum": list(self.excluded)}}


@dataclass(frozen=True)
class Null(Node):
    """Nothing (``key:`` with no value), where the loader reads it as absent."""

    def own(self) -> dict:
        return {"type": "null"}


@dataclass(frozen=True)
class Int(Node):
    """A whole number, with the lowest (and highest) value allowed."""

    minimum: int | None = None
    maximum: int | None = None

    def own(self) -> dict:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


@dataclass(frozen=True)
class Number(Node):
    """A number (whole or not) from ``minimum`` to ``maximum``, in ``unit``."""

    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""

    def own(self) -> dict:
        schema: dict[str, Any] = {"type": "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def json(self) -> dict:
        schema = super().json()
        if self.unit and "description" in schema:
            schema["description"] += f" ({self.unit})"
        return schema


@dataclass(frozen=True)
class Bool(Node):
    def own(self) -> dict:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(Node):
    """One of a fixed list of values."""

    choices: tuple = ()

    def own(self) -> dict:
        return {"enum": list(self.choices)}


@dataclass(frozen=True)
class ListOf(Node):
    item: Node = field(default_factory=Anything)
    min_items: int | None = None
    max_items: int | None = None

    def own(self) -> dict:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.min_items is not None:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema


@dataclass(frozen=True)
class AnyOf(Node):
    """One of several shapes (a text or a list of texts; a name or [width, height])."""

    options: tuple[Node, ...] = ()

    def own(self) -> dict:
        return {"anyOf": [option.json() for option in self.options]}


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its value's node, whether it must be there, and the words messages use for it."""

    node: Node
    required: bool = False
    what: str = ""  # how a message names the value, such as "'title'" or "the title of round {n}"
    too_low: str = "{what} must be at least {minimum}, not {value}"  # a number under the node's minimum


@dataclass(frozen=True)
class Mapping(Node):
    """A mapping with known keys (``fields``); other keys are an error unless ``extra`` declares their values.

    ``what`` names the mapping in the unknown-key message; ``{n}`` is its place in a list (1-based).
    ``keys`` (a node for the key text) and ``extra`` describe a mapping of free names, such as variables.
    ``rules`` are extra JSON Schema keywords (conditions between keys) for what one key alone cannot say.
    """

    fields: dict[str, Field] = field(default_factory=dict)
    extra: Node | Field | bool = False  # a Field when messages name the values of the free keys
    keys: Node | None = None
    what: str = ""
    min_properties: int | None = None
    rules: tuple = ()
    nullable: bool = False  # ``key:`` with nothing after it reads as an empty mapping

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name, f in self.fields.items() if f.required)

    def own(self) -> dict:
        schema: dict[str, Any] = {"type": ["object", "null"] if self.nullable else "object"}
        if self.fields:
            schema["properties"] = {name: f.node.json() for name, f in self.fields.items()}
        if self.required:
            schema["required"] = list(self.required)
        extra = self.extra.node if isinstance(self.extra, Field) else self.extra
        schema["additionalProperties"] = extra.json() if isinstance(extra, Node) else extra
        if self.keys is not None:
            schema["propertyNames"] = self.keys.json()
        if self.min_properties is not None:
            schema["minProperties"] = self.min_properties
        if self.rules:
            schema["allOf"] = [dict(rule) for rule in self.rules]
        return schema


def document(title: str, node: Node, description: str = "") -> dict:
    """A whole file's JSON Schema: ``node`` with the draft and a title."""
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": title}
    if description:
        schema["description"] = description
    schema.update(node.json())
    return schema
