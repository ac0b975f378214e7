"""Read one YAML file into plain Python data plus the source position of every value.

PyYAML's safe loader loses positions and silently keeps the last of two duplicate keys, so we
compose the node graph ourselves (safe tags only) and convert it, recording ``line:col`` for every
key path. Aliases are allowed but their expansion is budgeted, so an alias bomb is an error, not a hang.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kaartenoptafel.errors import Diagnostic, Pos

MAX_FILE_BYTES = 2 * 1024 * 1024  # 2 MiB: a whole default kit is ~60 KiB
MAX_NODES = 200_000  # values after alias expansion, per file
MAX_DEPTH = 64

_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_STR = "tag:yaml.org,2002:str"
Key = tuple  # a path of mapping keys and list indexes, e.g. ("cards", 3, "titel")


# -- numbers that remember how they were written ------------------------------------------------------------
#
# YAML 1.1 (PyYAML's schema) reads ``12:30`` as 750 (base 60), ``010`` as 8 (octal) and ``1_000`` as 1000. Where a
# text is expected the editor meant the text, so such a number keeps its source: ``str()`` gives it back as
# written, while arithmetic sees the number. Where a number is expected, ``checks.expect`` refuses the ones whose
# writing YAML 1.1 reads unlike a person would (a leading zero, a colon, an underscore).


class IntScalar(int):
    """An int read from a plain YAML scalar that is not written as Python would print it."""

    def __new__(cls, value: int, source: str):
        number = int.__new__(cls, value)
        number.source = source
        return number

    def __str__(self) -> str:
        return self.source

    def __format__(self, spec: str) -> str:
        return self.source if not spec else int.__format__(int(self), spec)

    def __reduce__(self):
        return (IntScalar, (int(self), self.source))


class FloatScalar(float):
    """A float read from a plain YAML scalar that is not written as Python would print it (``1e3``, ``1.50``)."""

    def __new__(cls, value: float, source: str):
        number = float.__new__(cls, value)
        number.source = source
        return number

    def __str__(self) -> str:
        return self.source

    def __format__(self, spec: str) -> str:
        return self.source if not spec else float.__format__(float(self), spec)

    def __reduce__(self):
        return (FloatScalar, (float(self), self.source))


# Plain scalars YAML 1.1 reads as true, false or nothing although a person may mean a word (``no``, ``on``, ``y``):
# their source by position, so a message can say what YAML did with them. Only these surprises are kept.
_WORDS = {"true", "false", "null", "~", ""}
_surprises: dict[Pos, str] = {}


def yaml_word(pos: Pos | None) -> str | None:
    """The source text of a plain scalar at ``pos`` that YAML read as true, false or null, if unusual (``no``)."""
    return _surprises.get(pos) if pos is not None else None


@dataclass
class Doc:
    """A parsed file: its data and where each value came from."""

    path: str  # as shown in messages (relative to the project where possible)
    data: Any
    positions: dict[Key, Pos] = field(default_factory=dict)
    key_positions: dict[Key, Pos] = field(default_factory=dict)

    def pos(self, *key) -> Pos:
        """Position of the value at ``key``, or of its nearest located ancestor."""
        key = tuple(key)
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return self.positions.get((), Pos(self.path, 1, 1))

    def key_pos(self, *key) -> Pos:
        """Position of the mapping key itself (for 'unknown key' messages)."""
        return self.key_positions.get(tuple(key)) or self.pos(*key)


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """The safe loader, with its nesting counted while composing: a deep file is refused at its line and column
    instead of exhausting Python's recursion (PyYAML composes recursively)."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# libyaml (PyYAML's C parser, when installed) composes ~10x faster. Fuzzing both parsers with mutated kit
# files found where they disagree: tabs, byte order marks and unusual line breaks, '|#' block headers, '?'
# (PyYAML's explicit-key indicator) near a flow collection, and the position of an empty value. Texts
# with any of these, and texts libyaml refuses, are composed by PyYAML, whose messages users see.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
_NOT_FAST = re.compile(r"[\t\ufeff\x85\u2028\u2029]|\r(?!\n)|[|>][0-9+-]*#")
_PROPERTIES = re.compile(r"^(?:[&!]\S*\s*)+")  # an anchor or tag in front of a node
_CANDIDATE = re.compile(r"^.*[?\[{].*$", re.M)


def _compose(text: str):
    """The node graph of ``text``, exactly as :class:`_Loader` composes it (raising what it raises)."""
    if _FAST_LOADER is not None and _fast_reads_alike(text):
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except Exception:  # noqa: BLE001 - whatever libyaml refuses, PyYAML explains below
            pass
        else:
            if _plain_graph(node):
                return node
    return yaml.compose(text, Loader=_Loader)


def _fast_reads_alike(text: str) -> bool:
    if _NOT_FAST.search(text):
        return False
    if "?" not in text:
        return True
    for line in _CANDIDATE.findall(text):  # a line without '?', '[' or '{' passes the checks below
        body = line.lstrip(" ")
        if body.startswith("#"):
            continue
        while body.startswith("- "):
            body = body[2:].lstrip(" ")
        body = _PROPERTIES.sub("", body)
        value = _PROPERTIES.sub("", body.split(": ", 1)[1].lstrip(" ")) if ": " in body else body
        if body.startswith("?") or value.startswith("?"):
            return False  # an explicit key
        if body.startswith(("[", "{")) or value.startswith(("[", "{")):  # a flow collection starts here
            if "?" in line or line.count("[") != line.count("]") or line.count("{") != line.count("}"):
                return False  # with a '?' in it, or over several lines
    return True


def _plain_graph(root) -> bool:
    """No empty values (libyaml places them a column off) and no deeper than :class:`_Loader` allows."""
    stack, seen = [(root, 1)], set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH + 1:  # an alias counts where it is used, as in _Loader
            return False
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.value == "":
                return False
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))
    return True


class _Budget:
    def __init__(self, texts: dict | None = None) -> None:
        self.nodes = 0
        self.texts = {} if texts is None else texts  # each distinct text once (see read_yaml)
        self.constructor = yaml.constructor.SafeConstructor()  # one per file: making one per value is slow


class _Stop(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))  # as named inside the project, even when a link points elsewhere
        except ValueError:
            pass
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except (ValueError, OSError, RuntimeError):
            pass
    return str(path)


def read_yaml(path: Path, root: Path | None = None, texts: dict | None = None) -> tuple[Doc | None, list[Diagnostic]]:
    """Parse ``path``. Returns the Doc (None when unreadable) and the problems found.

    ``texts``: a dict shared by the files of one project, so that a text written on many cards, in any of its files,
    is kept once (a 20,000-card kit repeats its rule lines, types and groups on every card)."""
    shown = display_path(path, root)
    broken = link_problem(path)
    if broken:
        return None, [Diagnostic(Pos(shown), broken)]
    if root is not None and not is_inside(path, root):
        return None, [Diagnostic(Pos(shown), "this file points outside the project folder (a link?); refusing to read it")]
    if path.exists() and not path.is_file():  # a folder, a device or a pipe (which would block forever)
        return None, [Diagnostic(Pos(shown), "this is not a regular file")]
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # never more: the size check needs no more than this
            if len(raw) > MAX_FILE_BYTES:
                return None, [_too_big(shown, max(path.stat().st_size, len(raw)))]
    except OSError as exc:
        return None, [Diagnostic(Pos(shown), f"cannot read file: {exc.strerror or exc}")]
    return parse_yaml(raw, shown, texts)


def link_problem(path: Path) -> str | None:
    """What is wrong with ``path`` as a link (a loop, a link to nothing), or None."""
    import errno
    import os

    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "this file is a link that leads back to itself (a link loop); replace it by the file itself"
        return "this file is a link to a file that does not exist; replace it by the file itself"
    return None


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link followed, lies inside the folder ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return False
    return True


def _too_big(shown: str, size: int) -> Diagnostic:
    return Diagnostic(
        Pos(shown),
        f"file is {size / 1048576:.1f} MiB; the limit is {MAX_FILE_BYTES // 1048576} MiB "
        "(split the cards over several files)",
    )


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def parse_yaml(raw: bytes, shown: str, texts: dict | None = None) -> tuple[Doc | None, list[Diagnostic]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_big(shown, len(raw))]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [Diagnostic(Pos(shown), "this file is saved as UTF-16; save it as UTF-8 (Unicode)")]
    if b"\x00" in raw[:8192]:
        return None, [Diagnostic(Pos(shown), "this is not a text file (it contains NUL bytes); expected UTF-8 YAML")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as Windows editors write it: harmless
    try:
        text = raw.decode("utf-8")
        if not unicodedata.is_normalized("NFC", text):
            # 'één' typed on a Mac (e + combining accent) and on Windows (one character) look the same and must
            # compare the same: every text is composed (NFC) before anything else reads it
            text = unicodedata.normalize("NFC", text)
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(good, len(good))
        return None, [
            Diagnostic(
                Pos(shown, line, col),
                f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8 (Unicode)",
            )
        ]
    for number, line_text in enumerate(text.splitlines(), start=1):
        stripped = line_text.lstrip(" ")
        if stripped.startswith("\t") and stripped.strip():
            col = len(line_text) - len(stripped) + 1
            return None, [
                Diagnostic(Pos(shown, number, col), "tab used for indentation; YAML needs spaces (replace the tab by spaces)")
            ]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(shown, mark.line + 1, mark.column + 1) if mark else Pos(shown)
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        above = next((l for l in reversed(lines[: mark.line]) if l.strip() and not l.lstrip().startswith("#")), "") if mark else ""
        return None, [Diagnostic(pos, f"YAML syntax error: {problem}{_hint(problem, line, above)}{_context(exc)}")]
    except yaml.reader.ReaderError as exc:  # a control character: locate it (PyYAML gives only an offset)
        line, col = _line_col(text, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        return None, [Diagnostic(Pos(shown, line, col), f"character U+{code:04X} is a control character, which YAML "
                                                        "does not allow; remove it")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(Pos(shown), f"YAML error: {exc}")]
    except _TooDeep as exc:
        return None, [Diagnostic(Pos(shown, exc.mark.line + 1, exc.mark.column + 1),
                                 f"YAML is nested too deeply (the limit is {MAX_DEPTH} levels)")]
    except RecursionError:
        return None, [Diagnostic(Pos(shown), f"YAML is nested too deeply (the limit is {MAX_DEPTH} levels)")]
    for stale in [pos for pos in _surprises if pos.path == shown]:  # `kot watch` reads a file again after a save
        del _surprises[stale]
    doc = Doc(shown, None)
    if node is None:
        doc.positions[()] = Pos(shown, 1, 1)
        return doc, []
    problems: list[Diagnostic] = []
    try:
        doc.data = _convert(node, (), doc, problems, _Budget(texts), 0)
    except _Stop as stop:
        return None, [stop.diagnostic]
    return doc, problems


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" -"))


def _hint(problem: str, line: str = "", above: str = "") -> str:
    if "mapping values are not allowed" in problem:
        if above and _indent(line) > _indent(above) and not above.rstrip().endswith(":"):
            return " (this line is indented further than the line above it: line up the keys)"
        return " (a text containing ': ' must be put between quotes)"
    if "got '?'" in problem:
        return " (a text with a '?' inside { } or [ ] must be put between quotes)"
    if "'{'" in problem or "flow mapping" in problem or re.match(r"^\s*(- )?[^\s:#'\"][^:#]*:\s+\{", line):
        return " (a text with a {variable} inside [ ] or at its start must be put between quotes)"
    if "could not find expected ':'" in problem:
        return " (is a key missing its ':', or a quote not closed?)"
    if "another document" in problem:
        return " (a file holds one document: remove the '---' line)"
    return ""


def _context(exc: yaml.MarkedYAMLError) -> str:
    """Where the construct that went wrong began, when that is not where the problem was found."""
    ctx, mark = exc.context, exc.context_mark
    if not ctx or mark is None or exc.problem_mark is None or mark.line == exc.problem_mark.line:
        return ""
    return f"; {ctx.replace('while ', '')} that starts at line {mark.line + 1}, column {mark.column + 1}"


def _pos(doc: Doc, node: yaml.Node) -> Pos:
    return Pos(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _tag(node: yaml.Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _plain(value, node: yaml.ScalarNode, doc: Doc):
    """A number, true/false or null from an unquoted scalar, keeping its source where YAML 1.1 surprises."""
    source = node.value
    if isinstance(value, bool) or value is None:
        if source.lower() not in _WORDS:
            if len(_surprises) > 100_000:
                _surprises.clear()
            _surprises[_pos(doc, node)] = source
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return source  # '.nan' and '.inf' are no number a kit can use: they stay text, and a number check says so
        return value if source == repr(value) else FloatScalar(value, source)
    return value if source == str(value) else IntScalar(value, source)


def _convert(node: yaml.Node, key: Key, doc: Doc, problems: list[Diagnostic], budget: _Budget, depth: int,
             ancestors: tuple = ()) -> Any:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise _Stop(
            Diagnostic(
                _pos(doc, node),
                f"the document expands to more than {MAX_NODES} values (an alias bomb?); refusing to read it",
            )
        )
    if ancestors and type(node) is not yaml.ScalarNode and any(node is a for a in ancestors):  # ancestors: lists, maps
        raise _Stop(Diagnostic(_pos(doc, node), "an alias ('*name') refers to the list or mapping it is part of: "
                                                 "an endless loop"))
    if depth > MAX_DEPTH:
        raise _Stop(Diagnostic(_pos(doc, node), f"YAML is nested too deeply (the limit is {MAX_DEPTH} levels)"))
    if key not in doc.positions:
        mark = node.start_mark
        doc.positions[key] = Pos(doc.path, mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:  # a text: what the constructor would return (its construct_yaml_str), without the detour
            return budget.texts.setdefault(node.value, node.value)
        if node.tag not in _SAFE_SCALAR_TAGS:
            raise _Stop(Diagnostic(_pos(doc, node), f"unsupported YAML tag '{_tag(node)}'; only plain values are allowed"))
        try:
            value = budget.constructor.construct_object(node)
        except yaml.YAMLError as exc:
            raise _Stop(Diagnostic(_pos(doc, node), f"cannot read value: {getattr(exc, 'problem', exc)}")) from None
        except (ValueError, OverflowError):  # a date such as 2024-13-45, or a number of thousands of digits
            value = str(node.value)  # it stays the text the editor wrote; validation says if that is wrong
        if not isinstance(value, (str, int, float, bool, type(None))):
            value = str(node.value)  # dates stay as the text the editor wrote
        elif not node.style and not isinstance(value, str):  # plain: libyaml says "", PyYAML None
            value = _plain(value, node, doc)
        if type(value) is str:
            value = budget.texts.setdefault(value, value)
        return value
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Stop(Diagnostic(_pos(doc, node), f"unsupported YAML tag '{_tag(node)}'; only plain lists and mappings are allowed"))
        inner = ancestors + (node,)
        return [_convert(child, key + (i,), doc, problems, budget, depth + 1, inner) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _Stop(Diagnostic(_pos(doc, node), f"unsupported YAML tag '{_tag(node)}'; only plain lists and mappings are allowed"))
        result: dict = {}
        inner = ancestors + (node,)
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or (isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<"):
                problems.append(Diagnostic(_pos(doc, key_node), "merge keys ('<<') are not supported; write the fields out"))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_SCALAR_TAGS:
                problems.append(Diagnostic(_pos(doc, key_node), "a key must be a plain word"))
                continue
            name = sys.intern(key_node.value)  # the same few keys on every card: one string each
            at = key + (name,)
            if name in result:
                first = doc.key_positions[at]
                problems.append(
                    Diagnostic(
                        _pos(doc, key_node),
                        f"duplicate key '{name}' (first at line {first.line}); YAML would silently keep only the last one",
                    )
                )
                continue
            mark = key_node.start_mark
            doc.key_positions[at] = Pos(doc.path, mark.line + 1, mark.column + 1)
            result[name] = _convert(value_node, at, doc, problems, budget, depth + 1, inner)
        return result
    raise _Stop(Diagnostic(_pos(doc, node), "unsupported YAML node"))
