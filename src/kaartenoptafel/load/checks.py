"""Small typed checks shared by every validator: each reports a located, plain-language error."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.load.yamlfile import link_problem, yaml_word

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_VARIABLE = re.compile(r"\{([^{}]*)\}")

TYPE_NAMES = {
    str: "a text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping (key: value lines)",
}


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:30]}'" + ("…" if len(value) > 30 else "")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def is_type(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    return isinstance(value, expected)


_SURPRISING_NUMBER = re.compile(r"^[-+]?(0[0-9_]|[0-9][0-9_]*[:_])")  # 010, 12:30, 1_000: YAML 1.1 reads them oddly


def as_text(value: Any) -> str:
    """A value where a text is expected, as the editor wrote it (``12:30`` stays ``12:30``, not 750)."""
    return str(value)  # numbers from YAML files keep their source in str(): see yamlfile.IntScalar


def expect(out: Collector, value: Any, expected: type, pos: Pos, what: str, card: str | None = None) -> bool:
    if expected is int and is_type(value, int) and _SURPRISING_NUMBER.match(str(value)):
        out.error(pos, f"{what}: YAML reads '{value}' as the number {int(value)}; write the number without a leading "
                       "zero, ':' or '_'", card)
        return False
    if is_type(value, expected):
        return True
    if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return True  # a number where text is expected is fine (it prints as written)
    word = yaml_word(pos) if isinstance(value, bool) or value is None else None
    if word is not None:
        shown = "nothing" if value is None else str(value).lower()
        hint = f"; put it between quotes ('{word}') to keep it as a text" if expected is str else ""
        out.error(pos, f"{what} must be {TYPE_NAMES[expected]}, not '{word}' (YAML reads {word} as {shown}){hint}", card)
        return False
    out.error(pos, f"{what} must be {TYPE_NAMES[expected]}, not {describe(value)}", card)
    return False


def check_keys(out: Collector, data: dict, allowed, key_pos, what: str, card: str | None = None) -> None:
    """Report every key of ``data`` that is not in ``allowed``, with a did-you-mean."""
    for key in data:
        if key not in allowed:
            out.error(
                key_pos(key),
                f"unknown key '{key}' in {what}{did_you_mean(str(key), allowed)}; expected one of {one_of(allowed)}",
                card,
            )


def variables_in(text: str) -> list[str]:
    """The ``{name}`` variables a text uses (``{{`` and ``}}`` are literal braces)."""
    return _VARIABLE.findall(text.replace("{{", "").replace("}}", ""))


def fill(text: str, variables: dict[str, str]) -> str:
    """Replace ``{name}`` by its value; unknown names stay (validation reports them first)."""
    if "{" not in text and "}" not in text:
        return text  # nothing to fill and no doubled brace to undo: the same text (most texts, and no copy)

    def sub(match: re.Match) -> str:
        return str(variables.get(match.group(1), match.group(0)))

    parts = text.split("{{")
    return "{".join(
        "}".join(_VARIABLE.sub(sub, piece) for piece in part.split("}}")) for part in parts
    )


# The longest text a {variable} may grow into. Variables may use variables, so each level can double a text:
# forty levels of `a: "{b}{b}"` would need terabytes. Lengths are added up before anything is filled in.
MAX_TEXT_CHARS = 100_000


def filled_length(text: str, lengths: dict[str, int]) -> int:
    """How long ``fill(text, ...)`` would be, given the length of each variable's value (without filling it)."""
    total = len(text.replace("{{", "{").replace("}}", "}"))
    for name in variables_in(text):
        if name in lengths:
            total += lengths[name] - len(name) - 2
    return total


def check_expansion(out: Collector, text: str, variables: dict, pos: Pos, card: str | None = None) -> bool:
    """Report a text whose variables would make it longer than MAX_TEXT_CHARS; True when it is within the limit."""
    if "{" not in text:
        return True
    size = filled_length(text, {k: len(v) for k, v in variables.items()})
    if size > MAX_TEXT_CHARS and size > len(text):  # the variables make it so long
        out.error(pos, f"with its variables filled in, this text would be {size:,} characters long; the limit is "
                       f"{MAX_TEXT_CHARS:,}", card)
        return False
    return True


def expand_variables(raw: dict[str, str], where, out: Collector) -> dict[str, str]:
    """Fill in variables that use other variables (``bibliotheek: Bibliotheek {gemeente}``), at most
    MAX_TEXT_CHARS each; a loop, an unknown name or a value past the limit is reported at ``where(name)``."""
    done: dict[str, str] = {}

    def value(name: str, stack: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        text = raw[name]
        inner: dict[str, str] = {}
        for ref in dict.fromkeys(variables_in(text)):
            if ref in stack or ref == name:
                out.error(where(name), f"variable '{name}' uses itself through {' -> '.join(stack + (name, ref))}")
            elif ref not in raw:
                out.error(where(name), f"variable '{name}' uses '{{{ref}}}', which is not set"
                                       f"{did_you_mean(ref, raw)}; known variables: {one_of(raw)}")
            else:
                inner[ref] = value(ref, stack + (name,))
        size = filled_length(text, {k: len(v) for k, v in inner.items()})
        if size > MAX_TEXT_CHARS:
            out.error(where(name), f"variable '{name}' would be {size:,} characters long with the variables it uses "
                                   f"filled in; the limit is {MAX_TEXT_CHARS:,}")
            done[name] = ""
        else:
            done[name] = fill(text, inner) if inner else text
        return done[name]

    return {name: value(name, ()) for name in raw}


def check_variables(out: Collector, text: str, variables: dict, pos: Pos, card: str | None = None) -> None:
    for name in variables_in(text):
        if name not in variables:
            out.error(
                pos,
                f"unknown variable '{{{name}}}'{did_you_mean(name, variables)}; "
                f"known variables: {one_of(variables) or 'none'} (set them in game.yaml under 'variables')",
                card,
            )


def walk_strings(value: Any, key: tuple = ()):
    """Yield (key path, text) for every string inside nested lists and mappings."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_strings(item, key + (i,))
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from walk_strings(item, key + (k,))


def project_file(root: Path, rel: Any, what: str = "file") -> tuple[Path | None, str | None]:
    """Resolve ``rel`` (as written in a YAML file) inside the project folder ``root``.

    Returns (path, None), or (None, a message) when it is not a text, is absolute, leaves the project
    (``../``, or a link that points outside), or names no file. Nothing outside the project is ever read.
    """
    if not isinstance(rel, str) or not rel.strip():
        return None, f"{what} must be a path inside the project folder, not {describe(rel)}"
    if "\x00" in rel:
        return None, f"{what} path contains a NUL character"
    given = Path(rel)
    if given.is_absolute() or rel.startswith(("\\", "~")) or re.match(r"^[A-Za-z]:", rel):
        example = "fonts/MyFont-Regular.ttf" if what == "font" else "images/logo.png"
        return None, f"{what} path '{rel}' is absolute; give a path inside the project folder, such as {example}"
    base = root.resolve()
    lexical = Path(os.path.normpath(base / given))
    try:
        lexical.relative_to(base)
    except ValueError:
        return None, f"{what} path '{rel}' points outside the project folder; keep the file inside the project"
    broken = link_problem(base / given)
    if broken:
        return None, f"{what} '{rel}': {broken.replace('this file is ', 'it is ')}"
    try:
        path = (base / given).resolve()
        path.relative_to(base)
    except (ValueError, OSError, RuntimeError):
        return None, f"{what} '{rel}' is a link to a file outside the project folder; copy the file into the project"
    if not path.exists():
        folder = path.parent
        try:
            known = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        except OSError:
            known = []
        return None, f"{what} '{rel}' not found{did_you_mean(given.name, known)}"
    if not path.is_file():
        return None, f"{what} '{rel}' is not a file"
    return path, None
