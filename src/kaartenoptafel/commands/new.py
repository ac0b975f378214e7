"""`kot new card --type T [--id ID]`: append a ready-to-fill card to the right card file.

The scaffold lists every field of the type (required ones marked in a comment) with placeholder
values that already validate: the field's label as text (cut to its maximum length), the first
choice, the lowest number. It is appended as text, so the file's comments and formatting stay
exactly as they were; the result is parsed and validated in memory before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import click

from kaartenoptafel.commands.preview import project_option, project_root
from kaartenoptafel.errors import Collector, ContentError, Diagnostic, Pos, did_you_mean
from kaartenoptafel.load.checks import SLUG
from kaartenoptafel.load.model import CardType, FieldSpec
from kaartenoptafel.load.yamlfile import Doc, parse_yaml

MODELINE = "# yaml-language-server: $schema=./schema.json"
RESERVED_FILES = ("game", "types")  # cards/game.yaml and cards/types.yaml are not card files


@dataclass
class Plan:
    """Where the scaffold goes: the file, the text to insert at ``index`` (characters), what it should parse to."""

    path: Path
    shown: str
    old: str
    index: int
    insert: str
    item: int  # the new card's index in the file's cards list
    expected: dict


# -- the scaffold ---------------------------------------------------------------------------------


def yaml_scalar(value) -> str:
    """``value`` as a plain YAML scalar when that reads back unchanged, else double-quoted."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    doc, problems = parse_yaml(f"k: {text}\n".encode("utf-8"), "<scaffold>")
    if text and not problems and doc is not None and doc.data == {"k": text}:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def placeholder_text(spec: FieldSpec) -> str:
    """The field's label as placeholder text: Dutch, from types.yaml, and within the field's limit."""
    text = re.sub(r"[{}]", "", spec.label).strip() or spec.name
    if spec.max is not None and len(text) > spec.max:
        text = text[: spec.max].rstrip() or text[: spec.max]
    return text


def hint(spec: FieldSpec) -> str:
    need = "required" if spec.required else "optional"
    if spec.kind == "text":
        what = f"at most {spec.max} characters" if spec.max else "text"
    elif spec.kind == "list":
        per = f" of at most {spec.max} characters" if spec.max else ""
        what = f"up to {spec.max_items} lines{per}" if spec.max_items else f"one or more lines{per}"
    elif spec.kind == "number":
        low = spec.min if spec.min is not None else "any"
        what = f"a whole number, {low} to {spec.max}" if spec.max is not None else f"a whole number from {low}"
    elif spec.kind == "choice":
        what = "one of: " + ", ".join(spec.choices or ())
    elif spec.kind == "ref":
        what = f"the id of a '{spec.to}' card"
    else:
        what = "a PNG or JPEG file in the project"
    return f"{need}; {what}"


def placeholder(spec: FieldSpec, example_image: str | None):
    """A value that passes validation for ``spec``, or None when there is none to give (an image)."""
    if spec.kind == "text":
        return placeholder_text(spec)
    if spec.kind == "list":
        return [placeholder_text(spec)]
    if spec.kind == "choice":
        return (spec.choices or ("",))[0]
    if spec.kind == "number":
        if spec.min is not None:
            return spec.min
        return 1 if spec.max is None or spec.max >= 1 else spec.max
    return example_image  # image: reuse a picture another card of this type shows; ref: a card of its type


def scaffold(ctype: CardType, card_id: str, dash: int, indent: int,
             example_images: dict[str, str]) -> tuple[list[str], dict]:
    """The card's lines (without newlines) and the data they must parse to."""
    key = " " * indent
    rows: list[tuple[str, str]] = [  # (text, comment)
        (" " * dash + "-" + " " * (indent - dash - 1) + f"id: {card_id}", "a unique id: lowercase letters, digits, '-'"),
        (f"{key}type: {ctype.id}", ctype.name),
    ]
    expected: dict = {"id": card_id, "type": ctype.id}
    for name, spec in ctype.fields.items():
        value = placeholder(spec, example_images.get(name))
        if value is None:
            rows.append((f"{key}# {name}: ", hint(spec)))
            continue
        expected[name] = value
        if isinstance(value, list):
            rows.append((f"{key}{name}:", hint(spec)))
            rows.extend((f"{key}  - {yaml_scalar(v)}", "") for v in value)
        else:
            rows.append((f"{key}{name}: {yaml_scalar(value)}", hint(spec)))
    width = max(len(text) for text, comment in rows if comment)
    lines = [f"{text:<{width}}  # {comment}" if comment else text for text, comment in rows]
    return lines, expected


# -- where it goes ----------------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def plan_append(doc: Doc | None, path: Path, shown: str, ctype: CardType, card_id: str,
                example_images: dict[str, str]) -> Plan:
    """Find the end of the file's ``cards:`` list and build the text to insert there."""
    raw = path.read_bytes() if path.exists() else b""
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    old = raw.decode("utf-8-sig")
    nl = "\r\n" if "\r\n" in old else "\n"
    parts = old.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    lines = [p.rstrip("\r") for p in parts]
    data = doc.data if doc is not None else None

    if isinstance(data, dict) and isinstance(data.get("cards"), list) and data["cards"]:
        count = len(data["cards"])
        last = doc.pos("cards", count - 1)  # where the last card's first key starts
        start = lines[last.line - 1]
        dash = start.rfind("-", 0, last.col - 1)
        if dash < 0 or start[:dash].strip() or start[dash + 1 : last.col - 1].strip():
            raise _cannot(shown, doc.key_pos("cards"), "its cards are not written as a block list ('- id: ...')")
        indent = last.col - 1
        end = len(lines)  # the next line at the list's own indentation or less: the next top-level key
        for i in range(last.line, len(lines)):
            if _is_content(lines[i]) and _indent(lines[i]) <= dash:
                end = i
                break
        if end == len(lines):
            at_line = len(lines)  # the list runs to the end of the file: plainly append
        else:
            stop = last.line - 1  # the last line of the last card, comments indented into it included
            for i in range(last.line, end):
                if lines[i].strip() and _indent(lines[i]) > dash:
                    stop = i
            at_line = stop + 1
        spaced = count >= 2 and not lines[last.line - 2].strip()  # the file puts a blank line between cards
        body, expected = scaffold(ctype, card_id, dash, indent, example_images)
        insert_lines = ([""] if spaced else []) + body
        item = count
    elif data is None or (isinstance(data, dict) and "cards" not in data):
        at_line = len(lines)
        header = [MODELINE] if not old.strip() and (path.parent / "schema.json").is_file() else []
        body, expected = scaffold(ctype, card_id, 2, 4, example_images)
        insert_lines = header + ([""] if lines and lines[-1].strip() else []) + ["cards:"] + body
        item = 0
    else:
        raise _cannot(shown, doc.key_pos("cards") if isinstance(data, dict) else doc.pos(),
                      "its 'cards:' is empty or not a list")

    index = sum(len(p) + 1 for p in parts[:at_line])
    prefix = ""
    if at_line >= len(lines):
        index = len(old)
        if old and not old.endswith("\n"):
            prefix = nl  # the last line has no newline: end it first
    insert = prefix + nl.join(insert_lines) + nl
    return Plan(path, shown, bom + old, index + len(bom), insert, item, expected)


def _cannot(shown: str, pos: Pos, why: str) -> ContentError:
    return ContentError([Diagnostic(pos, f"cannot add a card to {shown} safely: {why}; add it by hand "
                                         "(see 'kot new card --dry-run')")])


# -- the command ------------------------------------------------------------------------------------


def add_card(root: Path, type_id: str, card_id: str | None, dry_run: bool = False):
    """Append a scaffold of ``type_id`` to the right card file. Returns (plan, id, line, image fields left empty)."""
    from kaartenoptafel.load.game import parse_game
    from kaartenoptafel.load.kit import RawCard, collect_entries, parse_types, read_sources, validate_cards

    out = Collector()
    src = read_sources(root, out)
    game = parse_game(src.game, out) if src.game is not None else None
    types = parse_types(src.types, game, out) if src.types is not None else {}
    # a mistake in game.yaml or types.yaml stops here: a scaffold made from a broken type would be wrong too;
    # problems in other card files do not stop a new card
    own = [d for d in out.diagnostics if d.pos is None or d.pos.path.endswith(("game.yaml", "types.yaml"))]
    if own or game is None or not types:
        raise ContentError(own or out.diagnostics or [Diagnostic(Pos("cards/types.yaml"), "there are no card types")])
    if type_id not in types:
        raise ContentError([Diagnostic(src.types.pos("types") if src.types else None,
                                       f"unknown card type '{type_id}'{did_you_mean(type_id, types)}; "
                                       f"the types are {', '.join(types)}")])
    ctype = types[type_id]
    raw_cards, _ = collect_entries(src.others, Collector())  # problems elsewhere do not stop a new card
    taken = {r.id: r.at("id") for r in raw_cards if r.id}
    of_type = [r for r in raw_cards if r.data.get("type") == type_id]
    if card_id is None:
        n = len(of_type) + 1
        while f"{type_id}-{n}" in taken:
            n += 1
        card_id = f"{type_id}-{n}"
    elif not SLUG.match(card_id):
        raise click.BadParameter(f"'{card_id}' must be lowercase letters, digits and '-' (like 'sociaal-wijkteam')",
                                 param_hint="--id")
    elif card_id in taken:
        raise ContentError([Diagnostic(taken[card_id], f"the id '{card_id}' is already used here; choose another",
                                       card_id)])
    example_images = {}
    for r in of_type:
        for name, spec in ctype.fields.items():
            if spec.kind == "image" and isinstance(r.data.get(name), str):
                example_images.setdefault(name, r.data[name])
    for name, spec in ctype.fields.items():  # a reference: the first card of the type it names
        if spec.kind == "ref":
            target = next((r.id for r in raw_cards if r.id and r.data.get("type") == spec.to), None)
            if target:
                example_images[name] = target

    docs = {d.path: d for d in src.others}
    if of_type:
        shown = of_type[-1].pos.path
        doc = docs[shown]
        path = Path(shown) if Path(shown).is_absolute() else root / shown
    else:
        stem = type_id if type_id not in RESERVED_FILES else f"{type_id}-cards"
        path = root / "cards" / f"{stem}.yaml"
        shown = f"cards/{path.name}"
        doc = docs.get(shown)
        if path.exists() and doc is None:
            out.raise_if_any()  # the file exists but could not be read: its own error says why
    plan = plan_append(doc, path, shown, ctype, card_id, example_images)
    new_text = plan.old[: plan.index] + plan.insert + plan.old[plan.index :]

    # Check the result before writing: it must parse, hold the new card as planned, and validate.
    new_doc, problems = parse_yaml(new_text.encode("utf-8"), shown)
    cards = new_doc.data.get("cards") if new_doc is not None and isinstance(new_doc.data, dict) else None
    if problems or not isinstance(cards, list) or len(cards) <= plan.item or cards[plan.item] != plan.expected:
        raise _cannot(shown, Pos(shown), "the file's layout is unusual")
    line = new_doc.pos("cards", plan.item).line
    check = Collector()
    validate_cards([RawCard.from_doc(new_doc, ("cards", plan.item))], types, game, check)
    missing_image = [n for n, s in ctype.fields.items() if s.kind == "image" and s.required and n not in plan.expected]
    if check and not missing_image:
        raise AssertionError(f"the scaffold does not validate: {check.diagnostics[0]}")
    if not dry_run:
        from kaartenoptafel.write.atomic import write_bytes_atomic

        write_bytes_atomic(plan.path, new_text.encode("utf-8"))
    return plan, card_id, line, missing_image


@click.group()
def new() -> None:
    """Start new content from a scaffold."""


@new.command()
@project_option
@click.option("--type", "type_id", metavar="T", required=True, help="The card type (see cards/types.yaml).")
@click.option("--id", "card_id", metavar="ID", default=None, help="The new card's id [default: T-N, unique].")
@click.option("--dry-run", is_flag=True, help="Print the scaffold and where it would go; change nothing.")
def card(project, type_id, card_id, dry_run) -> None:
    """Append a new card with every field of its type to the file that holds cards of that type."""
    root = project_root(project)
    plan, card_id, line, missing_image = add_card(root, type_id, card_id, dry_run)
    if dry_run:
        click.echo(f"# would be added to {plan.shown} at line {line}:")
        click.echo(plan.insert.replace("\r\n", "\n"), nl=False)
        return
    click.echo(f"{plan.shown}:{line}: added card '{card_id}' ({type_id}); replace the placeholder values, "
               f"then check it with 'kot preview {card_id}'")
    for name in missing_image:
        click.echo(f"{plan.shown}:{line}: note: '{name}' needs an image file; fill it in before building", err=True)
