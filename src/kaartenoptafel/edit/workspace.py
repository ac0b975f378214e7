"""The kit as the editor sees it: every card (valid or not), its problems per field, and where it is written.

`kot validate` stops at the first broken file; an editor must still show every card, so the kit is read
twice: once through kot's own pipeline (``prepare`` and ``check_all``, exactly what `kot validate` reports)
and once through the loader's public steps, card by card, to keep the cards that are wrong for their form.
The workspace reloads itself when a file changes on disk, so edits made by hand appear without a restart.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaartenoptafel.errors import Collector, ContentError, Diagnostic, Pos
from kaartenoptafel.load.game import parse_game
from kaartenoptafel.load.kit import RawCard, collect_entries, parse_types, read_sources, validate_cards
from kaartenoptafel.load.model import RESERVED_CARD_KEYS, Card, CardType, Game, Kit
from kaartenoptafel.load.yamlfile import display_path
from kaartenoptafel.resolve.overlay import list_regions, read_chain, regions_dir

FIELD_IN_MESSAGE = re.compile(r"field '([^']+)'")
CHECK_INTERVAL = 0.0  # seconds between two looks at the files: every request looks (a few ms), so no page is stale
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass
class Entry:
    """One card: its raw data (after the region's overlay), the validated card if it is valid, its problems."""

    id: str
    type: str
    raw: RawCard
    card: Card | None
    source: str  # the file that holds the card's own entry (the overlay's for a card it adds)
    added_by_region: bool = False
    problems: list[Diagnostic] = field(default_factory=list)

    def field_problems(self) -> dict[str, list[Diagnostic]]:
        by: dict[str, list[Diagnostic]] = {}
        for d in self.problems:
            by.setdefault(field_of(d, self.raw) or "", []).append(d)
        return by


def field_of(d: Diagnostic, raw: RawCard | None) -> str | None:
    """The card field a diagnostic is about: by its position first, else by the field its message names."""
    if d.pos is not None and raw is not None:
        if d.pos.path.startswith("field:"):  # a draft's own positions (see drafts.py)
            return d.pos.path[len("field:"):]
        for name, pos in list(raw.value_pos.items()) + list(raw.key_pos.items()):
            if pos == d.pos and name not in ("id", "type"):
                return name
        for (name, _), pos in raw.item_pos.items():
            if pos == d.pos:
                return name
    match = FIELD_IN_MESSAGE.search(d.message)
    if match:
        return match.group(1)
    for name in ("count", "tags"):
        if d.message.startswith(name):
            return name
    return None


def _signature(root: Path) -> dict[str, tuple]:
    """Every kit file's time, size and (for YAML) content digest: a hand edit within one clock tick still counts."""
    import hashlib

    found = {}
    for name in ("cards", "layouts"):
        folder = root / name
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.suffix.lower() in (".yaml", ".yml", ".png", ".jpg", ".jpeg") and not path.name.startswith("."):
                    try:
                        st = path.stat()
                    except OSError:
                        continue
                    digest = ""
                    if path.suffix.lower() in (".yaml", ".yml"):
                        try:
                            digest = hashlib.sha1(path.read_bytes()).hexdigest()
                        except OSError:
                            continue
                    found[str(path)] = (st.st_mtime_ns, st.st_size, digest)
    return found


class Workspace:
    """One variant of the kit (the base, or a region), loaded and kept in step with the files."""

    def __init__(self, root: Path, region: str | None = None, layout: str = "default.yaml"):
        self.root = root
        self.region = region
        self.layout = layout
        self.lock = threading.RLock()
        self.version = 0
        self._signature: dict = {}
        self._checked = 0.0
        self.reload()

    # -- keeping up with the files

    def refresh(self) -> bool:
        """Reload when a file changed on disk since the last look; True when it did."""
        with self.lock:
            now = time.monotonic()
            if now - self._checked < CHECK_INTERVAL:
                return False
            self._checked = now
            if _signature(self.root) == self._signature:
                return False
            self.reload()
            return True

    def reload(self) -> None:
        with self.lock:
            self._signature = _signature(self.root)
            self._checked = time.monotonic()
            self._load()
            self.version += 1

    # -- loading

    def _load(self) -> None:
        from kaartenoptafel.build import check_all, prepare

        self.problems: list[Diagnostic] = []
        self.ctx = None
        try:
            self.ctx = prepare(self.root, self.region, self.layout)
            check_all(self.ctx)
        except ContentError as exc:
            self.problems = list(exc.diagnostics)
        out = Collector()
        src = read_sources(self.root, out)
        self.files = list(src.files)
        game = parse_game(src.game, out) if src.game is not None else None
        types = parse_types(src.types, game, out) if src.types is not None else {}
        raw_cards, sections = collect_entries(src.others, out)
        self.base_raw: dict[str, RawCard] = {r.id: r for r in raw_cards if r.id}
        self.overlay_shown = None
        if self.region is not None and game is not None:
            from kaartenoptafel.resolve.overlay import apply_overlays

            chain = read_chain(self.root, self.region, Collector())
            self.overlay_shown = chain[-1].doc.path if chain else None
            parent = chain[-1].parent if chain else "base"
            if parent != "base":  # the values this overlay starts from: its parent overlay's
                _, parent_cards, _ = apply_overlays(self.root, parent, game, raw_cards, sections, Collector(),
                                                    types=dict(types))
                self.base_raw = {r.id: r for r in parent_cards if r.id}
            game, raw_cards, sections = apply_overlays(self.root, self.region, game, raw_cards, sections, out,
                                                       types=types)
        self.game: Game | None = game
        self.types: dict[str, CardType] = types
        self.raw_cards: list[RawCard] = raw_cards
        valid = {c.id: c for c in validate_cards(raw_cards, types, game, Collector())} if game and types else {}
        if self.ctx is None and game is not None and types:
            self.ctx = self._partial_context(Kit(self.root, game, types, tuple(valid.values()), sections,
                                                 tuple(src.files)))
        if not self.problems:
            self.problems = list(out.diagnostics)
        elif self.ctx is not None:
            self._add_layout_problems(valid)
        self.entries: dict[str, Entry] = {}
        for raw in raw_cards:
            if not raw.id or raw.id in self.entries:
                continue
            tid = raw.data.get("type")
            source = raw.pos.path
            self.entries[raw.id] = Entry(raw.id, str(tid), raw, valid.get(raw.id), source,
                                         added_by_region=self.overlay_shown is not None and source == self.overlay_shown)
        self.general: list[Diagnostic] = []
        for d in self.problems:
            entry = self.entries.get(d.card) if d.card else self._entry_at(d.pos)
            if entry is not None:
                entry.problems.append(d)
            else:
                self.general.append(d)

    def _partial_context(self, kit: Kit):
        """A rendering context for the valid cards when the kit as a whole does not load."""
        from kaartenoptafel.layout.card import Context
        from kaartenoptafel.layout.spec import load_layout
        from kaartenoptafel.render.fonts import register_family

        layout = self.layout
        if self.region is not None and layout == "default.yaml":
            from kaartenoptafel.resolve.overlay import region_layout

            layout = region_layout(self.root, self.region) or layout
        spec, problems = load_layout(self.root, layout)
        if spec is None:
            return None
        return Context(kit, spec, register_family(spec.fonts, self.root))

    def _add_layout_problems(self, valid: dict[str, Card]) -> None:
        """Cards that loaded but do not fit: `kot validate` would report them once the rest is fixed."""
        from kaartenoptafel.layout.card import layout_card
        from kaartenoptafel.resolve import resolve_card

        out = Collector()
        for card in valid.values():
            try:
                layout_card(self.ctx, resolve_card(self.ctx.kit, card), out)
            except Exception:  # noqa: BLE001 - a half-loaded kit may miss what a layout needs; skip the card
                continue
        for d in out.diagnostics:
            if d not in self.problems:
                self.problems.append(d)

    def _entry_at(self, pos: Pos | None) -> Entry | None:
        if pos is None or pos.line is None:
            return None
        for entry in self.entries.values():
            raw = entry.raw
            lines = [p.line for p in list(raw.value_pos.values()) + list(raw.item_pos.values())
                     if p.path == pos.path and p.line]
            if raw.pos.path == pos.path and raw.pos.line:
                lines.append(raw.pos.line)
            if lines and min(lines) <= pos.line <= max(lines):
                return entry
        return None

    # -- what the page needs

    @property
    def language(self) -> str:
        return self.game.language if self.game is not None else "nl"

    def cards_by_type(self) -> list[tuple[CardType, list[Entry]]]:
        groups = []
        for tid, ctype in self.types.items():
            groups.append((ctype, [e for e in self.entries.values() if e.type == tid]))
        return groups

    def base_value(self, card_id: str, name: str) -> Any:
        raw = self.base_raw.get(card_id)
        return None if raw is None else raw.data.get(name)

    def path_of(self, shown: str) -> Path:
        path = Path(shown)
        return path if path.is_absolute() else self.root / shown

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)

    def overlay_path(self) -> Path | None:
        return regions_dir(self.root) / f"{self.region}.yaml" if self.region else None

    def regions(self) -> list[str]:
        return list_regions(self.root)

    def images(self) -> list[str]:
        """Every PNG or JPEG inside the project (not in output/ or hidden folders), as a card names it."""
        found = []
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root)
            if any(part.startswith(".") for part in rel.parts) or rel.parts[0] in ("output", "node_modules"):
                continue
            if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
                found.append(rel.as_posix())
        return found[:500]

    def references_to(self, card_id: str) -> list[str]:
        """Where another card or an overlay refers to ``card_id`` (ref fields, change:, counts:, remove:)."""
        found = []
        for entry in self.entries.values():
            ctype = self.types.get(entry.type)
            if ctype is None or entry.id == card_id:
                continue
            for name, spec in ctype.fields.items():
                value = entry.raw.data.get(name)
                if spec.kind == "ref" and (value == card_id or (isinstance(value, list) and card_id in value)):
                    found.append(f"card '{entry.id}' ({spec.label})")
        if self.region is None:
            from kaartenoptafel.resolve.overlay import read_overlay

            for name in list_regions(self.root):
                overlay = read_overlay(self.root, name, Collector())
                if overlay is None:
                    continue
                for key in ("change", "counts"):
                    value = overlay.data.get(key)
                    if isinstance(value, dict) and card_id in value:
                        found.append(f"region '{name}' ({key}:)")
                removed = overlay.data.get("remove")
                if card_id == removed or (isinstance(removed, list) and card_id in removed):
                    found.append(f"region '{name}' (remove:)")
        return found

    def card_fields(self, entry: Entry) -> list[str]:
        ctype = self.types.get(entry.type)
        return list(ctype.fields) if ctype else []


def reserved() -> tuple[str, ...]:
    return RESERVED_CARD_KEYS
