"""Region and language overlays: ``cards/regions/<name>.yaml`` states only what differs from the base kit.

An overlay extends the base kit (``extends: base``, the default) or another overlay, and may

- set variables (``variables:``) and game facts (``game:`` title, subtitle, language, tables, duration, groups);
- name its own layout file (``layout: drenthe.yaml`` in layouts/, which starts with ``extends: default.yaml``
  and changes only colours or the logo on the backs);
- change the texts of card types (``types:`` name, plural, back text, field labels, choice values);
- add cards (``add:``), change fields of cards by id (``change:``), remove cards (``remove:``) and set how
  many copies of a card are printed (``counts:``);
- replace texts under ``labels:`` and merge changes into ``guide:``, ``board:`` and ``table_card:`` (mappings
  merge key by key;
  a list or a text replaces the base's; ``null`` removes a key).

Overlays are applied to the raw entries while the kit loads, before validation: every value an overlay sets
keeps the overlay's own file, line and column, so a mistake in it is reported there.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.load.checks import SLUG, check_keys, expand_variables, expect, variables_in
from kaartenoptafel.load.kit import RawCard
from kaartenoptafel.load.model import RESERVED_CARD_KEYS, CardType, FieldSpec, Game, Section
from kaartenoptafel.load.yamlfile import Doc, read_yaml
from kaartenoptafel.schema.check import check_value, unknown_keys
from kaartenoptafel.schema.overlay import OVERLAY

REGIONS_DIR = ("cards", "regions")
BASE = "base"  # ``extends: base``: the kit's own cards/ files
TYPE_KEYS = ("name", "plural", "back", "fields")
FIELD_KEYS = ("label", "choices", "max")
MERGED_SECTIONS = ("guide", "board", "table_card")
RESERVED_NAMES = ("default", "preview")  # output/default/ holds the base kit, output/preview/ the previews
VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Overlay:
    """One overlay file, read but not yet applied."""

    name: str
    doc: Doc

    @property
    def data(self) -> dict:
        return self.doc.data

    @property
    def parent(self) -> str:
        value = self.data.get("extends", BASE)
        return value if isinstance(value, str) else BASE

    @property
    def title(self) -> str:
        value = self.data.get("name")
        return str(value) if isinstance(value, (str, int, float)) and value != "" else self.name

    @property
    def description(self) -> str:
        value = self.data.get("description")
        return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""

    @property
    def layout(self) -> str | None:
        value = self.data.get("layout")
        return _layout_file(value) if isinstance(value, str) and value else None


def regions_dir(root: Path) -> Path:
    return root.joinpath(*REGIONS_DIR)


def list_regions(root: Path) -> list[str]:
    """The names of the project's overlays (``cards/regions/<name>.yaml``), sorted."""
    folder = regions_dir(root)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def _layout_file(name: str) -> str:
    return name if Path(name).suffix else f"{name}.yaml"


def read_overlay(root: Path, name: str, out: Collector, named_at: Pos | None = None) -> Overlay | None:
    """Read ``cards/regions/<name>.yaml``; problems go to ``out`` (at ``named_at`` when it is missing)."""
    path = regions_dir(root) / f"{name}.yaml"
    shown = "/".join(REGIONS_DIR + (f"{name}.yaml",))
    if name in RESERVED_NAMES and (path.exists() or path.is_symlink()):
        out.error(Pos(shown), f"a region cannot be called '{name}': output/{name}/ is where the "
                              f"{'base kit goes' if name == 'default' else 'previews go'}; rename the file")
        return None
    if SLUG.match(name) and (path.exists() or path.is_symlink()) and not path.is_file():
        from kaartenoptafel.load.yamlfile import link_problem

        out.error(named_at or Pos(shown), link_problem(path) or f"{shown} is not a regular file (a folder or a pipe?)")
        return None
    # the file is there, but its name cannot be the name of a folder in output/ ('Zeeland', 'mijn regio')
    if path.is_file() and not SLUG.match(name) and Path(name).name == name and "\\" not in name:
        out.error(named_at or Pos(shown), f"region name '{name}' (its file name) must be lowercase letters, digits "
                                          f"and '-', like 'midden-brabant'; rename {shown}")
        return None
    if not path.is_file() or not SLUG.match(name):
        known = list_regions(root)
        listing = f"known regions: {one_of(known)}" if known else f"there are no overlays in {'/'.join(REGIONS_DIR)}/"
        out.error(named_at or Pos(shown), f"region '{name}' not found{did_you_mean(name, known)}; {listing}")
        return None
    doc, problems = read_yaml(path, root)
    out.extend(problems)
    if doc is None:
        return None
    if doc.data is None:
        doc.data = {}  # an empty overlay is the base kit under another name
    if not isinstance(doc.data, dict):
        out.error(doc.pos(), "a region overlay must be a mapping (extends, variables, add, change, remove, ...)")
        return None
    unknown_keys(out, OVERLAY, doc.data, lambda k: doc.key_pos(k), name=name)
    return Overlay(name, doc)


def read_chain(root: Path, region: str, out: Collector) -> list[Overlay]:
    """The overlay and every overlay it extends, the one nearest the base first; [] after an error."""
    chain: list[Overlay] = []
    name, named_at = region, None
    while True:
        overlay = read_overlay(root, name, out, named_at)
        if overlay is None:
            return []
        chain.insert(0, overlay)
        parent = overlay.data.get("extends", BASE)
        if parent == BASE:
            return chain
        named_at = overlay.doc.pos("extends")
        if not isinstance(parent, str):
            out.error(named_at, f"'extends' must be '{BASE}' or the name of another overlay in cards/regions/")
            return []
        names = [o.name for o in reversed(chain)]
        if parent in names:
            circle = " -> ".join(names + [parent])
            out.error(named_at, f"overlays extend each other in a circle: {circle}; one of them must extend '{BASE}'")
            return []
        name = parent


def region_layout(root: Path, region: str) -> str | None:
    """The layout file the region's overlay (or the nearest overlay it extends) names, if any."""
    for overlay in reversed(read_chain(root, region, Collector())):
        if overlay.layout:
            return overlay.layout
    return None


def apply_overlays(
    root: Path,
    region: str,
    game: Game | None,
    raw_cards: list[RawCard],
    sections: dict[str, Section],
    out: Collector,
    types: dict[str, CardType] | None = None,
    removed: dict[str, Pos] | None = None,
) -> tuple[Game | None, list[RawCard], dict[str, Section]]:
    """Apply ``region``'s overlay chain to the raw kit. ``types`` (when given) is updated in place;
    ``removed`` (when given) receives each removed card's id with the overlay line that removed it."""
    chain = read_chain(root, region, out)
    if not chain or game is None:
        return game, raw_cards, sections
    state = _Apply(root, game, raw_cards, sections, types if types is not None else {}, out)
    for overlay in chain:
        state.apply(overlay)
    state.finish()
    if removed is not None:
        removed.update(state.removed)
    return state.game, state.cards, state.sections


# -- applying one overlay after another ---------------------------------------------------------


def _copy_card(raw: RawCard) -> RawCard:
    return RawCard(dict(raw.data), raw.pos, dict(raw.key_pos), dict(raw.value_pos), dict(raw.item_pos))


def _set_field(raw: RawCard, name: str, value: Any, doc: Doc, key: tuple) -> None:
    """Give a card field the overlay's value, and the overlay's position for messages."""
    for item in [k for k in raw.item_pos if k[0] == name]:
        del raw.item_pos[item]
    if value is None:  # `missie: null` empties an optional field; a required one is then reported here
        raw.data.pop(name, None)
        raw.key_pos.pop(name, None)
        raw.value_pos[name] = doc.pos(*key)
        return
    raw.data[name] = copy.deepcopy(value)
    raw.key_pos[name] = doc.key_pos(*key)
    raw.value_pos[name] = doc.pos(*key)
    if isinstance(value, list):
        for i in range(len(value)):
            raw.item_pos[(name, i)] = doc.pos(*key, i)


class _Apply:
    def __init__(self, root, game, raw_cards, sections, types, out: Collector):
        self.root = root
        self.game: Game = game
        self.cards: list[RawCard] = list(raw_cards)
        self.sections: dict[str, Section] = dict(sections)
        self.types: dict[str, CardType] = types
        self.out = out
        self.variable_pos: dict[str, Pos] = {}
        self.removed: dict[str, Pos] = {}
        self.pending_labels: list[tuple[Pos, str, set[str]]] = []

    # -- helpers

    def index(self) -> dict[str, int]:
        return {raw.id: i for i, raw in enumerate(self.cards) if raw.id is not None}

    def _unknown_card(self, cid: Any, pos: Pos, doing: str) -> None:
        if cid in self.removed:
            self.out.error(pos, f"card '{cid}' was removed at {self.removed[cid]}; there is nothing to {doing}", str(cid))
        else:
            self.out.error(pos, f"there is no card '{cid}' to {doing}{did_you_mean(str(cid), self.index())}", str(cid))

    def _mapping(self, ov: Overlay, key: str, what: str) -> dict | None:
        value = ov.data.get(key)
        if value is None:
            return None
        if not expect(self.out, value, dict, ov.doc.pos(key), f"'{key}' ({what})"):
            return None
        return value

    # -- one overlay

    def apply(self, ov: Overlay) -> None:
        self._game(ov)
        self._variables(ov)
        self._layout(ov)
        self._types(ov)
        self._remove(ov)
        self._add(ov)
        self._change(ov)
        self._counts(ov)
        self._labels(ov)
        for name in MERGED_SECTIONS:
            self._section(ov, name)

    def _game(self, ov: Overlay) -> None:
        data = self._mapping(ov, "game", "title, subtitle, language, tables, duration, groups")
        if data is None:
            return
        doc, out = ov.doc, self.out
        game = OVERLAY.fields["game"].node
        unknown_keys(out, game, data, lambda k: doc.key_pos("game", k))
        changes: dict[str, Any] = {}
        for key in ("title", "subtitle", "language"):
            if key in data and check_value(out, game.fields[key], data[key], doc.pos("game", key)):
                changes[key] = str(data[key])
        for key in ("tables", "duration"):
            if key in data and check_value(out, game.fields[key], data[key], doc.pos("game", key)):
                changes[key] = data[key]
        groups = data.get("groups")
        if groups is not None and expect(out, groups, dict, doc.pos("game", "groups"), "'game.groups'"):
            old = tuple(self.game.groups)
            merged = dict(self.game.groups)
            for gid, name in groups.items():
                where = doc.pos("game", "groups", gid)
                if not SLUG.match(str(gid)):
                    out.error(doc.key_pos("game", "groups", gid), f"group id '{gid}' must be lowercase letters, digits and '-'")
                elif expect(out, name, str, where, f"the name of group '{gid}'"):
                    merged[str(gid)] = str(name)
            changes["groups"] = merged
            if tuple(merged) != old:  # new groups: fields that choose a group accept them too
                for tid, ctype in list(self.types.items()):
                    fields = {n: replace(f, choices=tuple(merged)) if f.kind == "choice" and f.choices == old else f
                              for n, f in ctype.fields.items()}
                    self.types[tid] = replace(ctype, fields=fields)
        self.game = replace(self.game, **changes)

    def _variables(self, ov: Overlay) -> None:
        data = self._mapping(ov, "variables", "name: value, such as bibliotheek: Bibliotheek Assen")
        if data is None:
            return
        merged = dict(self.game.raw_variables or self.game.variables)
        for name, value in data.items():
            if not VARIABLE_NAME.match(str(name)):
                self.out.error(ov.doc.key_pos("variables", name), f"variable name '{name}' must be letters, digits, '_' or '-'")
            elif expect(self.out, value, str, ov.doc.pos("variables", name), f"variable '{name}'"):
                merged[str(name)] = str(value)
                self.variable_pos[str(name)] = ov.doc.pos("variables", name)
        self.game = replace(self.game, variables=merged, raw_variables=merged)

    def _layout(self, ov: Overlay) -> None:
        value = ov.data.get("layout")
        if value is None:
            return
        pos = ov.doc.pos("layout")
        if not isinstance(value, str) or not value:
            self.out.error(pos, "'layout' must name a layout file in layouts/, such as drenthe.yaml "
                                "(that file starts with 'extends: default.yaml' and changes only what differs)")
            return
        folder = self.root / "layouts"
        name = _layout_file(value)
        if not (folder / name).is_file() or "/" in name or "\\" in name:
            known = sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []
            self.out.error(pos, f"layout file 'layouts/{name}' not found{did_you_mean(name, known)}")

    def _types(self, ov: Overlay) -> None:
        data = self._mapping(ov, "types", "type: {name, plural, back, fields}")
        if data is None:
            return
        doc, out = ov.doc, self.out
        for tid, spec in data.items():
            where = ("types", tid)
            if tid not in self.types:
                out.error(doc.key_pos(*where), f"there is no card type '{tid}'{did_you_mean(str(tid), self.types)}; "
                                               f"an overlay changes the texts of the types in cards/types.yaml "
                                               f"({one_of(self.types)})")
                continue
            if not expect(out, spec, dict, doc.pos(*where), f"type '{tid}'"):
                continue
            check_keys(out, spec, TYPE_KEYS, lambda k, w=where: doc.key_pos(*w, k), f"the overlay's type '{tid}'")
            ctype = self.types[tid]
            changes: dict[str, Any] = {}
            for key in ("name", "plural"):
                if key in spec and expect(out, spec[key], str, doc.pos(*where, key), f"'{key}' of type '{tid}'"):
                    changes[key] = str(spec[key])
            back = spec.get("back")
            if isinstance(back, dict):
                check_keys(out, back, ("text",), lambda k, w=where: doc.key_pos(*w, "back", k), f"the back of '{tid}'")
                if "text" in back and expect(out, back["text"], str, doc.pos(*where, "back", "text"), "the back text"):
                    changes["back_text"] = str(back["text"])
            elif back is not None:
                out.error(doc.pos(*where, "back"), "'back' must be a mapping such as {text: Role}")
            raw_fields = spec.get("fields")
            if raw_fields is not None and expect(out, raw_fields, dict, doc.pos(*where, "fields"), f"'fields' of '{tid}'"):
                fields = dict(ctype.fields)
                for fname, fspec in raw_fields.items():
                    fwhere = where + ("fields", fname)
                    if fname not in fields:
                        out.error(doc.key_pos(*fwhere), f"type '{tid}' has no field '{fname}'"
                                                        f"{did_you_mean(str(fname), fields)}; its fields are {one_of(fields)}")
                        continue
                    if isinstance(fspec, str):
                        fspec = {"label": fspec}  # `titel: Organisation` is short for {label: Organisation}
                    elif not expect(out, fspec, dict, doc.pos(*fwhere), f"field '{fname}' (such as {{label: Organisation}})"):
                        continue
                    fields[fname] = self._field(ov, tid, fields[fname], fspec, fwhere)
                changes["fields"] = fields
            self.types[tid] = replace(ctype, **changes)

    def _field(self, ov: Overlay, tid: str, spec: FieldSpec, raw: dict, where: tuple) -> FieldSpec:
        doc, out = ov.doc, self.out
        check_keys(out, raw, FIELD_KEYS, lambda k: doc.key_pos(*where, k), f"field '{spec.name}' of the overlay")
        changes: dict[str, Any] = {}
        if "label" in raw and expect(out, raw["label"], str, doc.pos(*where, "label"), f"the label of '{spec.name}'"):
            changes["label"] = str(raw["label"])
        if "max" in raw and expect(out, raw["max"], int, doc.pos(*where, "max"), f"'max' of '{spec.name}'"):
            if raw["max"] < 1:
                out.error(doc.pos(*where, "max"), f"'max' of '{spec.name}' must be at least 1")
            else:
                changes["max"] = raw["max"]
        choices = raw.get("choices")
        if choices is not None:
            pos = doc.pos(*where, "choices")
            if spec.kind != "choice":
                out.error(pos, f"field '{spec.name}' of '{tid}' is a {spec.kind} field; only choice fields have choices")
            elif spec.choices == tuple(self.game.groups):
                out.error(pos, f"the choices of '{spec.name}' are the role groups; rename them under 'game: groups:'")
            elif isinstance(choices, dict):
                # a translation: old value -> new value; the cards' values follow
                mapping: dict[str, str] = {}
                for old, new in choices.items():
                    if str(old) not in (spec.choices or ()):
                        out.error(doc.key_pos(*where, "choices", old), f"'{old}' is not a choice of '{spec.name}'"
                                  f"{did_you_mean(str(old), spec.choices or ())}; its choices are {one_of(spec.choices or ())}")
                    elif expect(out, new, str, doc.pos(*where, "choices", old), f"the new name of '{old}'"):
                        mapping[str(old)] = str(new)
                changes["choices"] = tuple(mapping.get(c, c) for c in spec.choices or ())
                for i, card in enumerate(self.cards):
                    value = card.data.get(spec.name)
                    if card.data.get("type") == tid and isinstance(value, str) and value in mapping:
                        card = self.cards[i] = _copy_card(card)
                        card.data[spec.name] = mapping[value]
            elif isinstance(choices, list) and choices and all(isinstance(c, str) for c in choices):
                changes["choices"] = tuple(choices)
            else:
                out.error(pos, f"'choices' of '{spec.name}' must be a list of texts, or a mapping old: new "
                               f"that renames them (the cards' values follow)")
        return replace(spec, **changes)

    def _remove(self, ov: Overlay) -> None:
        value = ov.data.get("remove")
        if value is None:
            return
        doc = ov.doc
        if isinstance(value, str):
            value, keys = [value], [("remove",)]
        elif expect(self.out, value, list, doc.pos("remove"), "'remove' (a list of card ids)"):
            keys = [("remove", i) for i in range(len(value))]
        else:
            return
        index = self.index()
        gone = set()
        for cid, key in zip(value, keys):
            if not isinstance(cid, str):
                self.out.error(doc.pos(*key), f"'remove' lists card ids, not {cid!r}")
            elif cid not in index:
                self._unknown_card(cid, doc.pos(*key), "remove")
            else:
                gone.add(cid)
                self.removed[cid] = doc.pos(*key)
        self.cards = [raw for raw in self.cards if raw.id not in gone]

    def _add(self, ov: Overlay) -> None:
        value = ov.data.get("add")
        if value is None:
            return
        doc = ov.doc
        if not expect(self.out, value, list, doc.pos("add"), "'add' (a list of cards, each starting with '- id: ...')"):
            return
        index = self.index()
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.out.error(doc.pos("add", i), "each card must be a mapping starting with '- id: ...'")
                continue
            raw = RawCard.from_doc(doc, ("add", i))
            if raw.id is not None and raw.id in index:
                existing = self.cards[index[raw.id]]
                self.out.error(raw.at("id"), f"card '{raw.id}' already exists ({existing.at('id')}); "
                                             f"change it under 'change:', or remove it first", raw.id)
                continue
            self.removed.pop(raw.id, None)
            # after the last card of its type, so the deck stays sorted by type
            same = [i for i, c in enumerate(self.cards) if c.data.get("type") == raw.data.get("type")]
            self.cards.insert(same[-1] + 1 if same else len(self.cards), raw)
            index = self.index()

    def _change(self, ov: Overlay) -> None:
        data = self._mapping(ov, "change", "card id: {field: new value}")
        if data is None:
            return
        doc, out = ov.doc, self.out
        index = self.index()
        for cid, fields in data.items():
            where = ("change", cid)
            if cid not in index:
                self._unknown_card(cid, doc.key_pos(*where), "change")
                continue
            if not expect(out, fields, dict, doc.pos(*where), f"the change of card '{cid}' (field: new value)", str(cid)):
                continue
            raw = self.cards[index[cid]] = _copy_card(self.cards[index[cid]])
            tid = raw.data.get("type")
            ctype = self.types.get(tid) if isinstance(tid, str) else None
            allowed = [k for k in RESERVED_CARD_KEYS if k not in ("id", "type")]
            for name, value in fields.items():
                kpos = doc.key_pos(*where, name)
                if name in ("id", "type"):
                    out.error(kpos, f"a card's '{name}' cannot be changed; remove the card and add a new one", cid)
                elif ctype is not None and name not in allowed and name not in ctype.fields:
                    names = allowed + list(ctype.fields)
                    out.error(kpos, f"a '{tid}' card has no field '{name}'{did_you_mean(str(name), names)}; "
                                    f"expected one of {one_of(names)}", cid)
                else:
                    _set_field(raw, name, value, doc, where + (name,))

    def _counts(self, ov: Overlay) -> None:
        data = self._mapping(ov, "counts", "card id: copies")
        if data is None:
            return
        index = self.index()
        for cid, value in data.items():
            if cid not in index:
                self._unknown_card(cid, ov.doc.key_pos("counts", cid), "count")
                continue
            raw = self.cards[index[cid]] = _copy_card(self.cards[index[cid]])
            _set_field(raw, "count", value, ov.doc, ("counts", cid))  # validation checks the number, here

    def _labels(self, ov: Overlay) -> None:
        data = self._mapping(ov, "labels", "key: text")
        if data is None:
            return
        base = self.sections.get("labels")
        known = base.data if base is not None and isinstance(base.data, dict) else {}
        accepted = {}
        for key, text in data.items():
            pos = ov.doc.pos("labels", key)
            if base is not None and key not in known:
                self.out.error(ov.doc.key_pos("labels", key), f"there is no label '{key}' to change"
                                                              f"{did_you_mean(str(key), known)}")
            elif expect(self.out, text, str, pos, f"label '{key}'"):
                accepted[key] = str(text)
                self.pending_labels.append((pos, str(text), set(variables_in(str(known.get(key, ""))))))
        self._merge_section(ov, "labels", accepted)

    def _section(self, ov: Overlay, name: str) -> None:
        value = ov.data.get(name)
        if value is None:
            return
        if not expect(self.out, value, dict, ov.doc.pos(name), f"'{name}' (the keys to change)"):
            return
        self._merge_section(ov, name, value)

    # -- sections: merged data, with a Doc that locates each value in whichever file set it

    def _merge_section(self, ov: Overlay, name: str, value: dict) -> None:
        base = self.sections.get(name)
        if base is None:
            target = Doc(ov.doc.path, {}, {(): ov.doc.pos(name)}, {})
        else:
            target = _extract(base)
            if not isinstance(target.data, dict):
                target.data = {}
        _merge(target, (), ov.doc, (name,), value)
        self.sections[name] = Section(name, target.data, target, ())

    # -- after the last overlay

    def finish(self) -> None:
        # the kit's game knows where each variable was set last (the overlay's line), for every later message
        self.game = replace(self.game, variables=self._expand_variables(),
                            variable_pos={**self.game.variable_pos, **self.variable_pos})
        if not self.cards and self.removed:  # the decks would have no pages, which viewers refuse to open
            last = max(self.removed.values(), key=lambda p: (p.path, p.line or 0))
            self.out.error(last, "the overlays remove every card; a kit needs at least one card to print")
        known = set(self.game.variables) | {"title"}
        for pos, text, base_names in self.pending_labels:
            for name in variables_in(text):
                if name not in known and name not in base_names:
                    choices = sorted(base_names | known)
                    self.out.error(pos, f"unknown placeholder '{{{name}}}'{did_you_mean(name, choices)}; this label "
                                        f"may use {one_of(base_names) or 'no placeholders of its own'} and the variables "
                                        f"{one_of(self.game.variables)}")

    def _expand_variables(self) -> dict[str, str]:
        """Variables may use other variables (``bibliotheek: Bibliotheek {gemeente}``); fill them in, bounded."""
        base = self.game.pos or Pos("cards/game.yaml")
        return expand_variables(self.game.raw_variables or self.game.variables,
                                lambda name: self.variable_pos.get(name, self.game.variable_pos.get(name, base)),
                                self.out)


def _extract(section: Section) -> Doc:
    """A copy of a section as a Doc of its own: its data at (), every position re-keyed to match."""
    doc, prefix = section.doc, tuple(section.key)
    n = len(prefix)
    target = Doc(doc.path, copy.deepcopy(section.data))
    target.positions = {k[n:]: p for k, p in doc.positions.items() if k[:n] == prefix}
    target.key_positions = {k[n:]: p for k, p in doc.key_positions.items() if k[:n] == prefix and len(k) > n}
    target.positions.setdefault((), doc.pos(*prefix))
    return target


def _merge(target: Doc, path: tuple, src: Doc, src_key: tuple, value: dict) -> None:
    node = target.data
    for k in path:
        node = node[k]
    for k, v in value.items():
        tk, sk = path + (k,), src_key + (k,)
        if v is None:
            if k in node:
                _forget(target, tk, node.pop(k))
                target.key_positions.pop(tk, None)
            continue
        target.key_positions[tk] = src.key_pos(*sk)
        if isinstance(node.get(k), dict) and isinstance(v, dict):
            _merge(target, tk, src, sk, v)
            continue
        if k in node:
            _forget(target, tk, node[k])
        node[k] = copy.deepcopy(v)
        _remember(target, tk, src, sk, v)


def _children(value: Any):
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return []


def _forget(target: Doc, key: tuple, value: Any) -> None:
    target.positions.pop(key, None)
    for k, child in _children(value):
        target.key_positions.pop(key + (k,), None)
        _forget(target, key + (k,), child)


def _remember(target: Doc, key: tuple, src: Doc, src_key: tuple, value: Any) -> None:
    target.positions[key] = src.pos(*src_key)
    for k, child in _children(value):
        if src_key + (k,) in src.key_positions:
            target.key_positions[key + (k,)] = src.key_positions[src_key + (k,)]
        _remember(target, key + (k,), src, src_key + (k,), child)
