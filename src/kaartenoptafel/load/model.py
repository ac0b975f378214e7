"""The validated content model: plain, frozen data that every product reads.

Nothing here knows about YAML or PDF; each value that came from a file keeps its ``Pos`` so that
later stages (text fitting, images) can still point an editor at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from kaartenoptafel.errors import Pos

FIELD_KINDS = ("text", "list", "number", "image", "choice", "ref")
RESERVED_CARD_KEYS = ("id", "type", "count", "tags")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    label: str
    required: bool = False
    max: int | None = None  # characters (text, list items) or the highest number
    min: int | None = None  # the lowest number
    max_items: int | None = None
    choices: tuple[str, ...] | None = None
    to: str | None = None  # ref: the type of the card it names (printed as that card's title)
    detail: str | None = None  # ref: a text field printed after the title, after a comma
    pos: Pos | None = None


@dataclass(frozen=True)
class CardType:
    id: str
    name: str
    plural: str
    title_field: str
    fields: dict[str, FieldSpec]
    back_text: str
    pos: Pos | None = None
    per: str = "table"  # 'session': one set serves the whole session (the guide's print plan counts it once)


class Positions(Mapping):
    """Where each key of one card is written (key -> :class:`Pos`), kept small: a kit of 20,000 cards holds one per
    card for its messages. Each key's line (counted from the card's own line) and column are two bytes; the
    :class:`Pos` is made when a message asks for it. See :func:`compact_positions`."""

    __slots__ = ("_path", "_line", "_names", "_packed")

    def __init__(self, path: str, line: int, names: tuple[str, ...], packed: bytes):
        self._path, self._line, self._names, self._packed = path, line, names, packed

    def __getitem__(self, name: str) -> Pos:
        try:
            i = self._names.index(name)
        except ValueError:
            raise KeyError(name) from None
        return Pos(self._path, self._line + self._packed[2 * i], self._packed[2 * i + 1])

    def get(self, name, default=None):  # Mapping.get, in one step: the loader asks for every value's position
        names = self._names
        if name not in names:
            return default
        i = 2 * names.index(name)
        return Pos(self._path, self._line + self._packed[i], self._packed[i + 1])

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self):
        return (Positions, (self._path, self._line, self._names, self._packed))


_NAMES: dict[tuple, tuple] = {}  # one tuple of key names for all the cards that write the same keys in one order


def compact_positions(pos: Pos | None, positions: dict[str, Pos]) -> Mapping[str, Pos]:
    """``positions`` as a :class:`Positions` when every one lies in ``pos``'s file within 255 lines below it and
    before column 256 (a card as usually written), else the dict itself: the same positions either way."""
    if pos is None or pos.line is None or not positions:
        return positions
    path, line = pos.path, pos.line
    packed = []
    for at in positions.values():
        if at.path != path or at.line is None or not 0 <= at.line - line < 256 or not 0 <= at.col < 256:
            return positions
        packed.append(at.line - line)
        packed.append(at.col)
    names = tuple(positions)
    if len(_NAMES) < 4096:
        names = _NAMES.setdefault(names, names)
    return Positions(pos.path, pos.line, names, bytes(packed))


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    type: str
    fields: dict[str, Any]
    count: int = 1
    tags: tuple[str, ...] = ()
    pos: Pos | None = None
    field_pos: Mapping[str, Pos] = field(default_factory=dict, compare=False)  # a Positions or a dict

    def title(self, types: dict[str, CardType]) -> str:
        return str(self.fields.get(types[self.type].title_field, self.id))


@dataclass(frozen=True)
class Game:
    title: str
    subtitle: str
    language: str
    players_min: int
    players_max: int
    tables: int
    duration: int
    variables: dict[str, str]
    groups: dict[str, str]  # role group id -> name shown
    pos: Pos | None = None
    raw_variables: dict[str, str] = field(default_factory=dict, compare=False)  # as written, before filling in
    variable_pos: dict[str, Pos] = field(default_factory=dict, compare=False)
    group_pos: dict[str, Pos] = field(default_factory=dict, compare=False)  # where each group's name is written


@dataclass(frozen=True)
class Section:
    """A product's own content (``guide:``, ``board:``, ``labels:``) with its source for messages."""

    name: str
    data: Any
    doc: Any  # yamlfile.Doc: .pos(*key) locates a value inside it
    key: tuple = ()


@dataclass(frozen=True)
class Kit:
    """A whole validated project: what `load` hands to `resolve`."""

    root: Path
    game: Game
    types: dict[str, CardType]
    cards: tuple[Card, ...]
    sections: dict[str, Section]
    files: tuple[str, ...]  # every YAML file read, for watch mode and manifests

    def cards_of(self, type_id: str) -> list[Card]:
        return [c for c in self.cards if c.type == type_id]
