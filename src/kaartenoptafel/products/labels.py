"""User-visible strings that the products print (sheet captions, calibration text) come from data.

``cards/labels.yaml`` holds them under ``labels:``; a language overlay replaces them. Code only names keys.
"""

from __future__ import annotations

from kaartenoptafel.errors import ContentError, Diagnostic, Pos
from kaartenoptafel.layout.text import typographic
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.model import Kit


def label(kit: Kit, key: str, **values) -> str:
    section = kit.sections.get("labels")
    data = section.data if section and isinstance(section.data, dict) else {}
    if key not in data:
        where = section.doc.pos(*section.key) if section else Pos("cards/labels.yaml")
        raise ContentError([Diagnostic(where, f"label '{key}' is missing; add it under 'labels:'")])
    merged = dict(kit.game.variables)
    merged.update({"title": kit.game.title, **{k: str(v) for k, v in values.items()}})
    return typographic(fill(str(data[key]), merged), kit.game.language)  # „quotes” and ’ as the language prints them
