"""A card as it is being typed: checked by kot's own validator and drawn by kot's own print-shop deck.

The draft replaces its card among all the kit's raw cards and the whole list is validated, so checks that
look across cards (references, duplicate ids) see what a build would. Each field gets a position of its
own (``field:<name>``, line = list item), so every problem lands beside the field it is about. The faces
are pages of the print-shop PDF made in memory and rasterised exactly as `kot preview` does.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from kaartenoptafel.errors import Collector, ContentError, Diagnostic, Pos
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.kit import RawCard, validate_cards
from kaartenoptafel.edit.workspace import Entry, Workspace, field_of

PREVIEW_DPI = 150
_CACHE: OrderedDict[str, "Draft"] = OrderedDict()
_CACHE_SIZE = 48


@dataclass
class Draft:
    values: dict[str, Any]
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)  # field name ('' = the card) -> problems
    lengths: dict[str, Any] = field(default_factory=dict)  # filled length of each text (a list per list field)
    front: bytes | None = None
    back: bytes | None = None

    @property
    def ok(self) -> bool:
        return not any(self.problems.values())


def clean(ws: Workspace, entry: Entry, values: dict[str, Any]) -> dict[str, Any]:
    """The card's data with the form's values: empty texts and lines dropped, numbers as numbers."""
    data = dict(entry.raw.data)
    ctype = ws.types.get(entry.type)
    kinds = {name: spec.kind for name, spec in ctype.fields.items()} if ctype else {}
    kinds.update(count="number", tags="list")
    for name, value in values.items():
        if name not in kinds:
            continue
        kind = kinds[name]
        if kind == "list":
            if isinstance(value, str):
                value = [t.strip() for t in value.split(",")] if name == "tags" else [value]
            value = [str(v) for v in (value or []) if str(v) != ""]
            if not value:
                data.pop(name, None)
                continue
        elif kind == "number":
            if value in (None, ""):
                data.pop(name, None)
                continue
            try:
                value = int(str(value).strip())
            except ValueError:
                value = str(value)  # the validator says it must be a whole number
        else:
            value = "" if value is None else str(value)
            if value == "":
                data.pop(name, None)
                continue
        data[name] = value
    return data


def _raw(entry: Entry, data: dict[str, Any]) -> RawCard:
    raw = RawCard(data, entry.raw.pos)
    for name, value in data.items():
        raw.key_pos[name] = raw.value_pos[name] = Pos(f"field:{name}", 1, 1)
        if isinstance(value, list):
            for i in range(len(value)):
                raw.item_pos[(name, i)] = Pos(f"field:{name}", i + 2, 1)
    raw.value_pos["id"] = entry.raw.value_pos.get("id", entry.raw.pos)
    return raw


def check(ws: Workspace, entry: Entry, values: dict[str, Any], render: bool = True, dpi: int = PREVIEW_DPI) -> Draft:
    """Validate and (when valid) draw the card with the form's ``values``."""
    data = clean(ws, entry, values)
    key = hashlib.sha256(json.dumps([ws.root.as_posix(), ws.region, ws.version, entry.id, data, render, dpi],
                                    sort_keys=True, default=str).encode()).hexdigest()
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    draft = Draft(data)
    variables = ws.game.variables if ws.game else {}
    for name, value in data.items():
        if isinstance(value, str):
            draft.lengths[name] = len(fill(value, variables))
        elif isinstance(value, list):
            draft.lengths[name] = [len(fill(str(v), variables)) for v in value]
    raw = _raw(entry, data)
    out = Collector()
    cards = []
    with ws.lock:
        if ws.game is not None and ws.types:
            others = [raw if r.id == entry.id else r for r in ws.raw_cards]
            cards = [c for c in validate_cards(others, ws.types, ws.game, out) if c.id == entry.id]
        problems = [d for d in out.diagnostics if d.card == entry.id or (d.pos and d.pos.path.startswith("field:"))]
        if cards and render and ws.ctx is not None:
            problems += _draw(ws, cards[0], draft, dpi)
    for d in problems:
        draft.problems.setdefault(field_of(d, raw) or "", []).append(d)
    _CACHE[key] = draft
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return draft


def _draw(ws: Workspace, card, draft: Draft, dpi: int) -> list[Diagnostic]:
    from kaartenoptafel.commands.cardimage import png_bytes, printshop_pdf, render_pages
    from kaartenoptafel.layout.card import layout_card
    from kaartenoptafel.resolve import resolve_card

    resolved = resolve_card(ws.ctx.kit, card)
    out = Collector()
    layout_card(ws.ctx, resolved, out)  # text that cannot fit, characters the font lacks
    if out.diagnostics:
        return list(out.diagnostics)
    try:
        pdf = printshop_pdf(ws.ctx, [resolved])
    except ContentError as exc:
        return list(exc.diagnostics)
    front, back = render_pages(pdf, [0, 1], dpi)
    draft.front, draft.back = png_bytes(front), png_bytes(back)
    return []


def data_url(png: bytes | None) -> str | None:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None


def thumbnails(ws: Workspace, dpi: int = 40) -> dict[str, bytes]:
    """The front of every valid card at a small size, from one print-shop PDF (as `kot sheet` does)."""
    from kaartenoptafel.commands.cardimage import png_bytes, printshop_pdf, render_pages
    from kaartenoptafel.resolve import resolve_card

    with ws.lock:
        if ws.ctx is None:
            return {}
        cached = getattr(ws, "_thumbs", None)
        if cached is not None and cached[0] == (ws.version, dpi):
            return cached[1]
        cards = [resolve_card(ws.ctx.kit, e.card) for e in ws.entries.values() if e.card is not None
                 and not e.problems]
        images: dict[str, bytes] = {}
        try:
            pdf = printshop_pdf(ws.ctx, cards)
            for card, image in zip(cards, render_pages(pdf, range(0, 2 * len(cards), 2), dpi)):
                images[card.id] = png_bytes(image)
        except ContentError:
            for card in cards:  # one card that cannot be drawn must not hide the others
                try:
                    pdf = printshop_pdf(ws.ctx, [card])
                    images[card.id] = png_bytes(next(render_pages(pdf, [0], dpi)))
                except ContentError:
                    continue
        ws._thumbs = ((ws.version, dpi), images)
        return images
