"""Load a project folder (``cards/`` and ``layouts/``) into a validated :class:`Kit`.

Every problem in every file is collected and raised together as one :class:`ContentError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.load.checks import (
    SLUG,
    check_expansion,
    check_keys,
    check_variables,
    describe,
    expect,
    fill,
    is_type,
    variables_in,
    walk_strings,
)
from kaartenoptafel.load.game import parse_game
from kaartenoptafel.load.guide import check_guide
from kaartenoptafel.load.refs import check_ref_specs, check_refs
from kaartenoptafel.load.tablecard import check_table_card
from kaartenoptafel.load.model import (
    FIELD_KINDS,
    RESERVED_CARD_KEYS,
    Card,
    CardType,
    FieldSpec,
    Game,
    Kit,
    Positions,
    Section,
    compact_positions,
)
from kaartenoptafel.load.yamlfile import Doc, read_yaml
from kaartenoptafel.schema.check import check_value, unknown_keys
from kaartenoptafel.schema.types import FIELD, TYPE, TYPES

MAX_CARDS = 20_000  # a safety limit; the benchmark's largest deck is 10,000
PER = ("table", "session")  # print a set of this type for every table, or one set for the whole session
SECTION_KEYS = ("cards", "guide", "board", "labels", "table_card")  # top-level keys of other files in cards/


@dataclass
class RawCard:
    """A card entry before validation, with the position of each of its keys and values.

    Region overlays patch RawCards, so a changed field keeps the overlay's own position. They patch a copy (with
    plain dicts): a RawCard read from a file keeps its positions compactly (see ``compact_positions``) and read-only.
    """

    data: dict
    pos: Pos
    key_pos: Mapping[str, Pos] = field(default_factory=dict)
    value_pos: Mapping[str, Pos] = field(default_factory=dict)
    item_pos: Mapping[tuple, Pos] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: Doc, key: tuple) -> "RawCard":
        data = doc.data
        for k in key:
            data = data[k]
        pos = doc.pos(*key)
        key_pos, value_pos, item_pos = {}, {}, {}
        positions, key_positions = doc.positions, doc.key_positions  # every value read has its own (yamlfile)
        for name, value in data.items():
            at = key + (name,)
            key_pos[name] = key_positions.get(at) or doc.key_pos(*at)
            value_pos[name] = positions.get(at) or doc.pos(*at)
            if isinstance(value, list):
                for i in range(len(value)):
                    item_pos[(name, i)] = positions.get(at + (i,)) or doc.pos(*at, i)
        return cls(dict(data), pos, compact_positions(pos, key_pos), compact_positions(pos, value_pos),
                   compact_positions(pos, item_pos))

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    def at(self, name: str, index: int | None = None) -> Pos:
        if index is not None:
            pos = self.item_pos.get((name, index))
            if pos is not None:
                return pos
        return self.value_pos.get(name, self.pos)


def default_kit_root() -> Path:
    """The default kit shipped with the package (wheel) or, in a source checkout, the repository root."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "kit"
    if (packaged / "cards" / "game.yaml").is_file():
        return packaged
    return here.parent.parent


def is_project(root: Path) -> bool:
    return (root / "cards" / "game.yaml").is_file()


def find_project(start: Path) -> Path | None:
    """The nearest folder from ``start`` upwards that holds cards/game.yaml (run from cards/, kot finds the kit)."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    return None


@dataclass
class Sources:
    """Every YAML document of a project, read but not yet validated."""

    root: Path
    game: Doc | None
    types: Doc | None
    others: Iterable[Doc]  # a list; with ``lazy``, each file read only as it is reached (``files`` grows then)
    files: list[str]


def read_sources(root: Path, out: Collector, lazy: bool = False) -> Sources:
    """The project's documents. ``lazy``: the card files are read one at a time as ``others`` is walked, so a kit
    of 40 card files never holds the positions of every value of all of them at once."""
    cards_dir = root / "cards"
    files: list[str] = []
    texts: dict[str, str] = {}  # each distinct text of the project once, whichever file repeats it

    def read(path: Path) -> Doc | None:
        doc, problems = read_yaml(path, root, texts)
        files.append(str(path))
        out.extend(problems)
        return doc

    game = read(cards_dir / "game.yaml")
    types_path = cards_dir / "types.yaml"
    types = read(types_path) if types_path.exists() else None
    if not types_path.exists():
        out.error(Pos("cards/types.yaml"), "file is missing: it declares the card types and their fields")
    paths = [path for path in sorted(cards_dir.glob("*.yaml")) + sorted(cards_dir.glob("*.yml"))
             if path.name not in ("game.yaml", "types.yaml")]
    others = (doc for doc in map(read, paths) if doc is not None)
    return Sources(root, game, types, others if lazy else list(others), files)


@dataclass
class Parsed:
    """A project read and parsed but not yet validated as a whole: what region overlays patch (in resolve/)."""

    root: Path
    game: Game | None
    types: dict[str, CardType]
    raw_cards: list[RawCard]
    sections: dict[str, Section]
    files: list[str]


def read_project(root: Path, out: Collector) -> Parsed:
    """Read and parse the project's files at ``root``; problems go to ``out``."""
    src = read_sources(root, out, lazy=True)
    game = parse_game(src.game, out) if src.game is not None else None
    types = parse_types(src.types, game, out) if src.types is not None else {}
    raw_cards, sections = collect_entries(src.others, out)  # each card file read, collected and let go in turn
    return Parsed(root, game, types, raw_cards, sections, src.files)


def check_project(parsed: Parsed, removed: dict[str, Pos], out: Collector) -> Kit:
    """Validate the (overlaid) project as a whole; raises ContentError listing every problem in ``out``.

    ``removed``: card id -> the overlay line that removed it, so a reference to it is reported there.
    """
    root, game, types, raw_cards, sections = parsed.root, parsed.game, parsed.types, parsed.raw_cards, parsed.sections
    if game is None:
        out.raise_if_any()
    cards = validate_cards(raw_cards, types, game, out) if types else []
    check_refs(cards, types, removed, out, {raw.id for raw in raw_cards if raw.id} - {card.id for card in cards})
    _check_limits_and_images(root, cards, types, game, out)
    for section in sections.values():
        for key, text in walk_strings(section.data):
            pos = section.doc.pos(*section.key, *key)
            check_expansion(out, text, game.variables, pos)
            if section.name != "labels":  # labels carry placeholders such as {n} that the products fill in
                check_variables(out, text, game.variables, pos)
            elif not pos.path.startswith("cards/regions/"):  # an overlay's labels are checked as it is applied
                _check_label(out, key, text, game, pos)
    check_guide(sections, game, types, out)  # the guide's rounds must add up to the game's duration
    check_table_card(sections, game, out)  # and so must the table card's
    out.raise_if_any()
    return Kit(root, game, types, tuple(cards), sections, tuple(parsed.files))


@lru_cache(maxsize=1)
def _packaged_labels() -> dict:
    """The labels of the built-in kit: the placeholders each label may use are the ones its built-in text uses."""
    import yaml

    try:
        data = yaml.safe_load((default_kit_root() / "cards" / "labels.yaml").read_text("utf-8"))
        return data.get("labels") or {} if isinstance(data, dict) else {}
    except (OSError, ValueError, yaml.YAMLError):
        return {}


def _check_label(out: Collector, key: tuple, text: str, game: Game, pos: Pos) -> None:
    """A label's {placeholders} are the ones the program fills in for it (those of the built-in label with the same
    name), the game's title and the variables: a misspelt one printed as '{typ}' on every sheet."""
    if len(key) != 1 or key[0] not in _packaged_labels():
        return
    own = set(variables_in(str(_packaged_labels()[key[0]])))
    for name in variables_in(text):
        if name not in own and name not in game.variables and name != "title":
            choices = sorted(own | set(game.variables) | {"title"})
            out.error(pos, f"unknown placeholder '{{{name}}}'{did_you_mean(name, choices)}; label '{key[0]}' may use "
                           f"{one_of(sorted(own | {'title'}))} and the variables {one_of(game.variables)}")


def _check_limits_and_images(root: Path, cards: list[Card], types: dict[str, CardType], game: Game, out: Collector) -> None:
    """The printed copies stay under MAX_CARDS; every image a card names is a readable image inside the project."""
    printed = sum(card.count for card in cards)
    if printed > MAX_CARDS:
        biggest = max(cards, key=lambda card: card.count)
        out.error(biggest.field_pos.get("count", biggest.pos),
                  f"the kit prints {printed:,} cards (counts included); the limit is {MAX_CARDS:,}", biggest.id)
    checked: dict[str, str | None] = {}  # image -> its problem: a photo on many cards is opened once
    for card in cards:
        for name, spec in types[card.type].fields.items():
            if spec.kind == "image" and name in card.fields:
                from kaartenoptafel.render.images import check_image

                image = fill(str(card.fields[name]), game.variables)
                if image not in checked:
                    checked[image] = check_image(root, image)[1]
                problem = checked[image]
                if problem:
                    out.error(card.field_pos.get(name, card.pos), f"field '{name}': {problem}", card.id)


# -- game.yaml ---------------------------------------------------------------------------------


def parse_types(doc: Doc, game: Game | None, out: Collector) -> dict[str, CardType]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        out.error(doc.pos(), "types.yaml must have a 'types:' mapping of card types")
        return {}
    unknown_keys(out, TYPES, data, lambda k: doc.key_pos(k))
    types: dict[str, CardType] = {}
    for tid, spec in data["types"].items():
        where = ("types", tid)
        if not SLUG.match(str(tid)):
            out.error(doc.key_pos(*where), f"type id '{tid}' must be lowercase letters, digits and '-'")
        if not check_value(out, TYPES.fields["types"].node.extra, spec, doc.pos(*where), tid=tid):
            continue
        unknown_keys(out, TYPE, spec, lambda k, w=where: doc.key_pos(*w, k), tid=tid)
        fields: dict[str, FieldSpec] = {}
        raw_fields = spec.get("fields")
        if not isinstance(raw_fields, dict) or not raw_fields:
            out.error(doc.pos(*where), f"type '{tid}' needs 'fields:', a mapping of field name to its spec")
            raw_fields = {}
        for fname, fspec in raw_fields.items():
            fwhere = where + ("fields", fname)
            if fname in RESERVED_CARD_KEYS:
                out.error(doc.key_pos(*fwhere), f"field name '{fname}' is reserved for every card; choose another name")
                continue
            parsed = _parse_field(str(fname), fspec, doc, fwhere, game, out)
            # a broken spec (already reported) still names a field, so the cards using it are not flagged too
            fields[str(fname)] = parsed or FieldSpec(str(fname), "text", str(fname), pos=doc.pos(*fwhere))
        title_field = spec.get("title_field", "titel")
        if not isinstance(title_field, str):
            out.error(doc.pos(*where, "title_field"), f"type '{tid}': title_field must be the name of one of its fields, "
                                                      f"not {describe(title_field)}")
            title_field = "titel"
        elif fields and title_field not in fields:
            out.error(
                doc.pos(*where, "title_field") if "title_field" in spec else doc.pos(*where),
                f"type '{tid}': title_field '{title_field}' is not one of its fields{did_you_mean(str(title_field), fields)}",
            )
        for key in ("name", "plural"):
            if key in spec:
                check_value(out, TYPE.fields[key], spec[key], doc.pos(*where, key), tid=tid)
        back = spec.get("back", {})
        back_text = _text(spec.get("name"), str(tid))
        if isinstance(back, dict):
            back_node = TYPE.fields["back"].node
            unknown_keys(out, back_node, back, lambda k, w=where: doc.key_pos(*w, "back", k), tid=tid)
            if "text" in back and check_value(out, back_node.fields["text"], back["text"],
                                              doc.pos(*where, "back", "text"), tid=tid):
                back_text = _text(back["text"], back_text)
        else:
            out.error(doc.pos(*where, "back"), "'back' must be a mapping such as {text: Rol}")
        per = spec.get("per", "table")
        if per not in PER:
            out.error(doc.pos(*where, "per"), f"type '{tid}': 'per' must be 'table' (a set for every table) or "
                                              f"'session' (one set for the whole session), not {describe(per)}")
            per = "table"
        name = _text(spec.get("name"), str(tid))
        types[str(tid)] = CardType(
            id=str(tid),
            name=name,
            plural=_text(spec.get("plural"), name),
            title_field=str(title_field),
            fields=fields,
            back_text=back_text,
            pos=doc.pos(*where),
            per=per,
        )
    check_ref_specs(types, out)
    return types


def _text(value: Any, default: str) -> str:
    """A text value as printed; anything but a text or a number (already reported) gives the default."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return default
    return str(value)


def _parse_field(name: str, spec: Any, doc: Doc, where: tuple, game: Game | None, out: Collector) -> FieldSpec | None:
    if not isinstance(spec, dict):
        out.error(doc.pos(*where), f"field '{name}' must be a mapping such as {{kind: text, required: true, max: 120}}")
        return None
    unknown_keys(out, FIELD, spec, lambda k: doc.key_pos(*where, k), name=name)
    kind = spec.get("kind", "text")
    if kind not in FIELD_KINDS:
        out.error(doc.pos(*where, "kind"), f"field '{name}': unknown kind '{kind}'{did_you_mean(str(kind), FIELD_KINDS)}; expected one of {one_of(FIELD_KINDS)}")
        return None
    numbers = {}
    for key in ("max", "min", "max_items"):
        value = spec.get(key)
        if value is not None and check_value(out, FIELD.fields[key], value, doc.pos(*where, key), name=name):
            numbers[key] = value
    if "min" in numbers and "max" in numbers and numbers["min"] > numbers["max"]:
        out.error(doc.pos(*where, "min"), f"field '{name}': 'min' ({numbers['min']}) is larger than 'max' "
                                          f"({numbers['max']}); no value could satisfy both")
        numbers.pop("min")
    required = spec.get("required", False)
    if not isinstance(required, bool):
        out.error(doc.pos(*where, "required"), f"field '{name}': 'required' must be true or false")
        required = False
    choices = None
    if kind == "choice":
        raw = spec.get("choices")
        if raw == "groups":
            choices = tuple(game.groups) if game else ()
        elif isinstance(raw, list) and raw:
            choices = tuple(str(c) for c in raw)
        else:
            out.error(doc.pos(*where), f"field '{name}' of kind choice needs 'choices': a list, or 'groups'")
            return None
    refs = {}
    if kind == "ref":
        for key in ("to", "detail"):
            if key in spec and not isinstance(spec[key], str):
                out.error(doc.pos(*where, key), f"field '{name}': '{key}' must be a name, not {describe(spec[key])}")
                return None
        if not isinstance(spec.get("to"), str):
            out.error(doc.pos(*where), f"field '{name}' of kind ref needs 'to': the type of the card it names, "
                                       f"such as {{kind: ref, to: rol}}")
            return None
        refs = {"to": spec["to"], "detail": spec.get("detail")}
    elif "to" in spec or "detail" in spec:
        key = "to" if "to" in spec else "detail"
        out.error(doc.key_pos(*where, key), f"field '{name}': '{key}' belongs to a field of kind ref, not {kind}")
    if "label" in spec:
        check_value(out, FIELD.fields["label"], spec["label"], doc.pos(*where, "label"), name=name)
    return FieldSpec(
        **refs,
        name=name,
        kind=kind,
        label=_text(spec.get("label"), name),
        required=required,
        choices=choices,
        pos=doc.pos(*where),
        **numbers,
    )


# -- card files --------------------------------------------------------------------------------


def collect_entries(docs: Iterable[Doc], out: Collector) -> tuple[list[RawCard], dict[str, Section]]:
    raw_cards: list[RawCard] = []
    sections: dict[str, Section] = {}
    for doc in docs:
        if doc.data is None:
            out.error(doc.pos(), "file is empty; expected 'cards:' with a list of cards")
            continue
        if not isinstance(doc.data, dict):
            out.error(doc.pos(), f"expected a mapping with 'cards:' (a list of cards), not {type(doc.data).__name__}")
            continue
        check_keys(out, doc.data, SECTION_KEYS, lambda k, d=doc: d.key_pos(k), doc.path)
        for key, value in doc.data.items():
            if key == "cards":
                if not isinstance(value, list):
                    out.error(doc.pos("cards"), "'cards' must be a list: each card starts with '- id: ...'")
                    continue
                for i, entry in enumerate(value):
                    if not isinstance(entry, dict):
                        out.error(doc.pos("cards", i), "each card must be a mapping starting with '- id: ...'")
                        continue
                    raw_cards.append(RawCard.from_doc(doc, ("cards", i)))
            elif key in SECTION_KEYS:
                if key in sections:
                    first = sections[key].doc.key_pos(key)
                    out.error(doc.key_pos(key), f"'{key}' is also defined in {first}; keep one")
                    continue
                sections[key] = Section(key, value, doc, (key,))
    if len(raw_cards) > MAX_CARDS:
        out.error(raw_cards[MAX_CARDS].pos, f"{len(raw_cards)} cards; the limit is {MAX_CARDS:,} cards per kit")
    return raw_cards, sections


def validate_cards(raw_cards: list[RawCard], types: dict[str, CardType], game: Game, out: Collector) -> list[Card]:
    cards: list[Card] = []
    seen: dict[str, Pos] = {}
    for raw in raw_cards:
        cid = raw.id
        if cid is not None and cid in seen:
            out.error(raw.at("id"), f"duplicate id '{cid}'; it is already used at {seen[cid]}", cid)
            continue
        if cid is not None:
            seen[cid] = raw.at("id")  # even when the card has other errors: its id is taken
        card = _validate_card(raw, types, game, out)
        if card is not None:
            cards.append(card)
    return cards


def _validate_card(raw: RawCard, types: dict[str, CardType], game: Game, out: Collector) -> Card | None:
    data = raw.data
    cid = data.get("id")
    if cid is None:
        out.error(raw.pos, "card has no 'id' (a unique name such as 'uwv' or 'senior-digid')")
        return None
    if not isinstance(cid, str) or not SLUG.match(cid):
        out.error(raw.at("id"), f"id {cid!r} must be lowercase letters, digits and '-' (like 'sociaal-wijkteam')")
        return None
    tid = data.get("type")
    if not isinstance(tid, (str, type(None))):
        out.error(raw.at("type"), f"'type' must be the name of a card type ({one_of(types)}), not {describe(tid)}", cid)
        return None
    if tid not in types:
        if tid is None:
            out.error(raw.pos, f"card has no 'type'; expected one of {one_of(types)}", cid)
        else:
            out.error(raw.at("type"), f"unknown type '{tid}'{did_you_mean(str(tid), types)}; expected one of {one_of(types)}", cid)
        return None
    ctype = types[tid]
    ok = True
    allowed = list(RESERVED_CARD_KEYS) + list(ctype.fields)
    before = len(out.diagnostics)
    check_keys(out, data, allowed, lambda k: raw.key_pos.get(k, raw.pos), f"a '{tid}' card", cid)
    count = data.get("count", 1)
    if "count" in data and is_type(count, int) and not expect(out, count, int, raw.at("count"), "count", cid):
        count = 1  # 010 or 1_0: YAML reads it unlike a person would (said by expect)
    elif not (isinstance(count, int) and not isinstance(count, bool)) or count < 1:
        out.error(raw.at("count"), f"count must be a whole number of 1 or more (copies to print), not {describe(count)}", cid)
        count = 1
    elif count > MAX_CARDS:
        out.error(raw.at("count"), f"count is {count:,}; the limit is {MAX_CARDS:,} printed cards per kit", cid)
        count = 1
    tags = data.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        out.error(raw.at("tags"), "tags must be a list of words, such as [digitaal, senioren]", cid)
        tags = []
    fields: dict[str, Any] = {}
    for fname, spec in ctype.fields.items():
        if fname not in data or data[fname] is None or data[fname] == "":
            if spec.required:  # at the overlay line that emptied it, else at the card
                out.error(raw.value_pos.get(fname, raw.pos), f"missing required field '{fname}' ({spec.label}) for a '{tid}' card", cid)
            continue
        value = _check_value(out, spec, data[fname], raw, fname, game, cid)
        if value is not None:
            fields[fname] = value
    ok = len(out.diagnostics) == before
    if not ok:
        return None
    return Card(
        id=cid,
        type=tid,
        fields=fields,
        count=count,
        tags=tuple(tags),
        pos=raw.pos,
        field_pos=_field_positions(raw),
    )


def _field_positions(raw: RawCard) -> Mapping[str, Pos]:
    """Where each key of the card's entry is written: its value positions, shared with the RawCard read from a file
    (they are read-only), else packed anew."""
    if isinstance(raw.value_pos, Positions) and tuple(raw.value_pos) == tuple(raw.data):
        return raw.value_pos
    return compact_positions(raw.pos, {name: raw.at(name) for name in raw.data})


def _check_value(out: Collector, spec: FieldSpec, value: Any, raw: RawCard, fname: str, game: Game, cid: str):
    pos = raw.at(fname)
    what = f"field '{fname}'"
    if spec.kind in ("text", "image"):
        if not expect(out, value, str, pos, what, cid):
            return None
        value = str(value)
        check_variables(out, value, game.variables, pos, cid)
        if not check_expansion(out, value, game.variables, pos, cid):
            return None
        _check_length(out, spec, fill(value, game.variables), pos, what, cid)
        return value
    if spec.kind == "number":
        if not expect(out, value, int, pos, what, cid):
            return None
        if spec.max is not None and value > spec.max:
            out.error(pos, f"{what} is {value}; the maximum is {spec.max}", cid)
        if spec.min is not None and value < spec.min:
            out.error(pos, f"{what} is {value}; the minimum is {spec.min}", cid)
        return value
    if spec.kind == "ref":  # the card it names is checked once every card is known (load.refs)
        if not isinstance(value, str) or not SLUG.match(value):
            out.error(pos, f"{what} names a '{spec.to}' card by its id (like 'uwv'), not {describe(value)}", cid)
            return None
        return value
    if spec.kind == "choice":
        if str(value) not in (spec.choices or ()):
            out.error(pos, f"{what}: '{value}' is not allowed{did_you_mean(str(value), spec.choices or ())}; expected one of {one_of(spec.choices or ())}", cid)
            return None
        return str(value)
    if spec.kind == "list":
        if isinstance(value, str):
            value = [value]
        if not expect(out, value, list, pos, what, cid):
            return None
        if spec.max_items is not None and len(value) > spec.max_items:
            out.error(pos, f"{what} has {len(value)} items; the maximum is {spec.max_items}", cid)
        items = []
        for i, item in enumerate(value):
            ipos = raw.at(fname, i)
            if not expect(out, item, str, ipos, f"item {i + 1} of {what}", cid):
                continue
            check_variables(out, str(item), game.variables, ipos, cid)
            if not check_expansion(out, str(item), game.variables, ipos, cid):
                continue
            _check_length(out, spec, fill(str(item), game.variables), ipos, f"item {i + 1} of {what}", cid)
            items.append(str(item))
        return items
    return value


def _check_length(out: Collector, spec: FieldSpec, text: str, pos: Pos, what: str, cid: str) -> None:
    if spec.max is not None and len(text) > spec.max:
        out.error(pos, f"{what} is {len(text)} characters; the maximum is {spec.max} (shorten it by {len(text) - spec.max})", cid)
