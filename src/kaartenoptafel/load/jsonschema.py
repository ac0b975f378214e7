"""A JSON Schema of the card files, generated from the card types, for editors' autocompletion.

The YAML language server (VS Code's YAML extension and others) reads it through a modeline or a
settings mapping; see the README.
"""

from __future__ import annotations

from kaartenoptafel.load.model import Kit


def field_schema(spec) -> dict:
    if spec.kind == "list":
        item = {"type": "string"}
        if spec.max:
            item["maxLength"] = spec.max
        schema = {"type": "array", "items": item}
        if spec.max_items:
            schema["maxItems"] = spec.max_items
    elif spec.kind == "number":
        schema = {"type": "integer"}
        if spec.max is not None:
            schema["maximum"] = spec.max
        if spec.min is not None:
            schema["minimum"] = spec.min
    elif spec.kind == "choice":
        schema = {"enum": list(spec.choices or ())}
    elif spec.kind == "ref":
        schema = {"type": "string", "pattern": "^[a-z0-9]+(?:[-_][a-z0-9]+)*$"}
    else:
        schema = {"type": "string"}
        if spec.max and spec.kind == "text":
            schema["maxLength"] = spec.max
    schema["description"] = spec.label + (" (required)" if spec.required else "")
    return schema


def card_schema(kit: Kit) -> dict:
    variants = []
    for tid, ctype in kit.types.items():
        props = {
            "id": {"type": "string", "pattern": "^[a-z0-9]+(?:[-_][a-z0-9]+)*$", "description": "unique id"},
            "type": {"const": tid, "description": ctype.name},
            "count": {"type": "integer", "minimum": 1, "description": "copies to print (default 1)"},
            "tags": {"type": "array", "items": {"type": "string"}},
        }
        for name, spec in ctype.fields.items():
            props[name] = field_schema(spec)
            if spec.kind == "ref":  # the ids of the cards it may name, so editors can complete them
                props[name]["enum"] = [c.id for c in kit.cards if c.type == spec.to]
        required = ["id", "type"] + [n for n, s in ctype.fields.items() if s.required]
        variants.append({
            "if": {"properties": {"type": {"const": tid}}, "required": ["type"]},
            "then": {"properties": props, "required": required, "additionalProperties": False},
        })
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"{kit.game.title}: card file",
        "type": "object",
        "properties": {
            "cards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "type"],
                    "properties": {"type": {"enum": list(kit.types)}},
                    "allOf": variants,
                },
            },
            "guide": {"type": "object"},
            "board": {"type": "object"},
            "table_card": {"type": "object"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "additionalProperties": False,
    }
