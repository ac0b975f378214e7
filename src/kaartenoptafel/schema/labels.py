"""cards/labels.yaml: the fixed texts the products print around the content (captions, headings)."""

from __future__ import annotations

from kaartenoptafel.schema.nodes import Field, Mapping, Text

LABELS = Mapping(
    "key: text; {n}, {total}, {type} and the like are filled in by the products, {variables} from game.yaml",
    ({"sheet_front": "{title} · {type} · vel {n} van {total} · voorkant"},),
    extra=Text(),
)

FILE = Mapping("a file of cards/ with the product labels", fields={"labels": Field(LABELS, required=True)})
