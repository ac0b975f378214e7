"""Change YAML files the way a careful person would: only the lines of what changed.

ruamel.yaml reads a file into a tree that remembers comments, key order, quoting, flow lists and
indentation, and writes it back. Three guards make that safe enough for files people also edit by hand:

- a file is only edited when writing it back *unchanged* gives exactly its bytes (else its layout is one the
  writer cannot keep, and the editor says so instead of reformatting it);
- the new text is read back with kot's own loader (PyYAML, YAML 1.1: ``no`` is false, ``12:30`` is 750,
  ``010`` is 8) and must give exactly the data intended, so a value never silently changes type;
- lines outside the edited part of the file must stay byte-identical.

The file is then replaced atomically, keeping its mode, its line endings (CRLF or LF) and a byte order mark,
and only if its bytes on disk are still the ones that were read (someone else may have saved meanwhile).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from kaartenoptafel.load.yamlfile import Doc, parse_yaml

# (mapping, sequence, offset) indentations tried in turn: the first that writes the file back unchanged wins
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (2, 4, 0), (4, 4, 2), (3, 3, 0), (3, 5, 3))
WIDTH = 100_000  # never fold a long text over lines: a person chose where the lines break
BOM = b"\xef\xbb\xbf"


class Refused(Exception):
    """The file cannot be written safely; ``message`` says why in plain words (for the page)."""

    def __init__(self, message: str, key: str = "refused"):
        super().__init__(message)
        self.message = message
        self.key = key


class Conflict(Refused):
    """The file changed on disk since it was read."""

    def __init__(self, shown: str):
        super().__init__(f"{shown} was changed on disk after it was opened here", "conflict")
        self.shown = shown


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return None


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML()  # round trip
    y.preserve_quotes = True
    y.width = WIDTH
    y.allow_unicode = True
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: YAML, data: Any) -> str:
    buffer = io.StringIO()
    y.dump(data, buffer)
    return buffer.getvalue()


@dataclass
class Source:
    """One YAML file read for editing: its bytes, its ruamel tree and kot's own view of the same data."""

    path: Path
    shown: str
    raw: bytes
    text: str  # newlines as \n, without the byte order mark
    bom: bool
    crlf: bool
    yaml: YAML
    tree: Any  # ruamel's round-trip data
    plain: Any  # the same data as kot's loader reads it
    doc: Doc  # kot's positions, for the edited span
    spans: list[tuple[int, int]] = field(default_factory=list)  # old lines (1-based, inclusive) an edit may touch

    @property
    def digest(self) -> str:
        return digest(self.raw)

    def encode(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (BOM if self.bom else b"") + text.encode("utf-8")


def read_source(path: Path, shown: str, raw: bytes | None = None) -> Source:
    """Read ``path`` for editing; :class:`Refused` when its layout cannot be kept or it does not parse."""
    if raw is None:
        raw = path.read_bytes() if path.exists() else b""
    bom = raw.startswith(BOM)
    try:
        text = raw[len(BOM):].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"{shown} is not UTF-8 text; save it as UTF-8 first", "layout") from None
    crlf = "\r\n" in text
    if crlf:
        if text.replace("\r\n", "") .count("\n") or text.replace("\r\n", "").count("\r"):
            raise Refused(f"{shown} mixes Windows and Unix line endings; the editor cannot keep that", "layout")
        text = text.replace("\r\n", "\n")
    elif "\r" in text:
        raise Refused(f"{shown} uses old Mac line endings; the editor cannot keep that", "layout")
    doc, problems = parse_yaml(raw, shown)
    if problems or doc is None:
        first = problems[0].message if problems else "it cannot be read"
        raise Refused(f"{shown} has a problem that must be fixed by hand first: {first}", "broken")
    for indent in INDENTS:
        y = _yaml(indent)
        try:
            tree = y.load(text) if text.strip() else CommentedMap()
        except Exception as exc:  # noqa: BLE001 - ruamel's errors have many classes; all mean "cannot keep it"
            raise Refused(f"{shown} cannot be edited here ({exc.__class__.__name__}); edit it by hand", "layout") from None
        if not text.strip() or _dump(y, tree) == text:
            return Source(path, shown, raw, text, bom, crlf, y, tree, doc.data, doc)
    raise Refused(f"{shown} is laid out in a way the editor cannot keep (for example aligned values or wrapped "
                  "lines); edit this file by hand, or keep the layout of the other card files", "layout")


# -- values: the scalar style that reads back as the same text ----------------------------------------------

_RESOLVER = pyyaml.resolver.Resolver()


def _plain_reads_as_text(text: str) -> bool:
    """Whether a YAML 1.1 reader (kot's) takes ``text`` written plainly as a text (``no`` or ``010`` it does not)."""
    tag = _RESOLVER.resolve(pyyaml.ScalarNode, text, (True, False))
    return tag == "tag:yaml.org,2002:str" and text == text.strip() and text != ""


def scalar(value: Any, old: Any = None) -> Any:
    """``value`` for the tree: quoted like the value it replaces, and quoted whenever plain would misread."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    if isinstance(old, SingleQuotedScalarString) and "\n" not in value:
        return SingleQuotedScalarString(value)
    if isinstance(old, DoubleQuotedScalarString) or not _plain_reads_as_text(value):
        return DoubleQuotedScalarString(value)
    return value


def tree_value(value: Any, old: Any = None) -> Any:
    """A plain value (text, number, list of texts) as tree data, keeping the style of ``old``."""
    if isinstance(value, dict):
        return _to_tree(value)
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        seq = CommentedSeq()
        seq.extend(_to_tree(v) for v in value)
        return seq
    if isinstance(value, list):
        seq = CommentedSeq()
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            seq.fa.set_flow_style()
        elif isinstance(old, str) or old is None:
            seq.fa.set_block_style()
        for item in value:
            seq.append(scalar(item))
        return seq
    return scalar(value, old)


# -- comments that follow a node belong to what comes next: keep them when the node changes ------------------

def _tail_slot(node: Any):
    """(comment dict, key, index) of the comment after the last line of ``node``, or None."""
    while True:
        if isinstance(node, CommentedMap) and len(node):
            key = list(node.keys())[-1]
            if isinstance(node[key], (CommentedMap, CommentedSeq)) and len(node[key]):
                node = node[key]
                continue
            return node.ca.items, key, 2
        if isinstance(node, CommentedSeq) and len(node):
            index = len(node) - 1
            if isinstance(node[index], (CommentedMap, CommentedSeq)) and len(node[index]):
                node = node[index]
                continue
            return node.ca.items, index, 0
        return None


def _split_comment(value: str) -> tuple[str, str]:
    """A comment token's text as (its end-of-line comment, the lines after it)."""
    if value.startswith("#"):
        eol, _, rest = value.partition("\n")
        return eol + "\n", rest
    return "", value[1:] if value.startswith("\n") else value


def take_tail(node: Any) -> str:
    """Remove and return the comment lines (and blank lines) that follow ``node``, keeping its own line comment."""
    slot = _tail_slot(node)
    if slot is None:
        return ""
    items, key, index = slot
    entry = items.get(key)
    if not entry or entry[index] is None:
        return ""
    eol, rest = _split_comment(entry[index].value)
    if eol:
        entry[index].value = eol
    else:
        entry[index] = None
    return rest


def put_tail(node: Any, lines: str) -> None:
    """Let ``lines`` (comment and blank lines) follow ``node``."""
    if not lines:
        return
    slot = _tail_slot(node)
    if slot is None:
        return
    items, key, index = slot
    entry = items.setdefault(key, [None, None, None, None])
    if entry[index] is None:
        entry[index] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        eol, rest = _split_comment(entry[index].value)
        entry[index].value = (eol or "\n") + rest + lines


# -- edits: the ruamel tree and kot's plain data change together ------------------------------------------

def _walk(node: Any, path: tuple) -> Any:
    for key in path:
        node = node[key]
    return node


class Editor:
    """A set of changes to one :class:`Source`; :meth:`result` gives the new text, checked."""

    def __init__(self, source: Source):
        self.src = source
        self.expected = copy.deepcopy(source.plain)
        self.spans: list[tuple[int, int]] = []

    # where the lines of a node are, in the old file (for the guard)
    def span(self, path: tuple) -> tuple[int, int]:
        doc = self.src.doc
        while path and path not in doc.positions:
            path = path[:-1]
        lines = [p.line for k, p in list(doc.positions.items()) + list(doc.key_positions.items())
                 if k[: len(path)] == path and p.line]
        if not path or not lines:
            n = self.src.text.count("\n")
            return (1, n + 1) if not path else (n + 1, n + 1)
        first = min(lines)
        key_line = doc.key_positions.get(path)
        if key_line is not None and key_line.line:
            first = min(first, key_line.line)
        last = max(lines)
        text_lines = self.src.text.split("\n")
        while last < len(text_lines) and text_lines[last].strip() in ("",) :  # the blank lines after it
            last += 1
        return first, last

    def allow(self, path: tuple) -> None:
        self.spans.append(self.span(path))

    def set(self, path: tuple, value: Any, after: list[str] | None = None) -> None:
        """Set the value at ``path`` (a mapping key); a new key goes after the last of ``after`` present."""
        parent_path, key = path[:-1], path[-1]
        parent = _walk(self.src.tree, parent_path)
        plain_parent = _walk(self.expected, parent_path)
        self.allow(path if key in parent else parent_path)
        plain_parent[key] = copy.deepcopy(value)
        if key in parent:
            old = parent[key]
            if isinstance(value, list) and isinstance(old, CommentedSeq):
                self._set_list(old, value)
            else:
                tail = take_tail(old) if isinstance(old, (CommentedMap, CommentedSeq)) else ""
                parent[key] = tree_value(value, old)
                put_tail(parent[key], tail)
            return
        keys = list(parent.keys())
        index = len(keys)
        for name in reversed(after or []):
            if name in parent:
                index = keys.index(name) + 1
                break
        # comment lines after the key before the new one belong to what follows: they move below the new key
        tail = take_after_key(parent, keys[index - 1]) if index else ""
        parent.insert(index, key, tree_value(value))
        if tail:
            put_tail_after_key(parent, key, tail)

    def _set_list(self, seq: CommentedSeq, value: list) -> None:
        tail = take_tail(seq)
        for i, item in enumerate(value):
            if i < len(seq):
                if seq[i] != item or type(seq[i]) is not type(scalar(item, seq[i])):
                    seq[i] = scalar(item, seq[i])
            else:
                seq.append(scalar(item, seq[i - 1] if i else None))
        while len(seq) > len(value):
            del seq[len(seq) - 1]
            seq.ca.items.pop(len(seq), None)
        put_tail(seq, tail)

    def delete(self, path: tuple) -> None:
        """Remove a mapping key or a list item; the comments after it stay in the file."""
        parent_path, key = path[:-1], path[-1]
        parent = _walk(self.src.tree, parent_path)
        plain_parent = _walk(self.expected, parent_path)
        self.allow(path)
        if isinstance(parent, CommentedMap):
            keys = list(parent.keys())
            i = keys.index(key)
            tail = take_tail(parent[key]) if isinstance(parent[key], (CommentedMap, CommentedSeq)) else ""
            entry = parent.ca.items.pop(key, None)
            if entry and entry[2] is not None:
                tail += _split_comment(entry[2].value)[1]
            del parent[key]
            del plain_parent[key]
            if tail and i > 0:
                put_tail_after_key(parent, keys[i - 1], tail)
            elif tail and len(parent):
                pass  # a leading comment of the first key: rare; the guard below refuses if it is lost
        else:
            i = key
            tail = take_tail(parent[i]) if isinstance(parent[i], (CommentedMap, CommentedSeq)) else ""
            own = parent.ca.items.pop(i, None)
            if own and own[0] is not None:
                tail += _split_comment(own[0].value)[1]
            del parent[i]
            del plain_parent[i]
            shifted = {(k - 1 if isinstance(k, int) and k > i else k): v for k, v in parent.ca.items.items()}
            parent.ca.items.clear()
            parent.ca.items.update(shifted)
            if tail and i > 0:
                put_tail_after_key(parent, i - 1, tail)
            elif tail.strip() and len(parent):  # the comment above the new first item
                parent.ca.comment = [None, [CommentToken(tail.lstrip("\n"), CommentMark(0), None)]]

    def append(self, path: tuple, value: Any, blank_line: bool = False) -> None:
        """Add an item at the end of the list at ``path``."""
        seq = _walk(self.src.tree, path)
        _walk(self.expected, path).append(copy.deepcopy(value))
        self.allow(path)
        tail = take_tail(seq) if len(seq) else ""
        if blank_line and len(seq):
            put_tail(seq, "\n")
        seq.append(_to_tree(value))
        put_tail(seq, tail)

    def set_path(self, path: tuple, value: Any, after: list[str] | None = None) -> None:
        """Set ``path``, making the mappings on the way that do not exist yet (an overlay's first ``change:``)."""
        node = self.src.tree
        for depth, key in enumerate(path[:-1]):
            child = node.get(key) if isinstance(node, dict) else None
            if not isinstance(child, CommentedMap):
                nested: Any = value
                for inner in reversed(path[depth + 1:]):
                    nested = {inner: nested}
                self.set(path[: depth + 1], nested, after if depth == len(path) - 1 else None)
                return
            node = child
        self.set(path, value, after)

    def append_path(self, path: tuple, value: Any, blank_line: bool = False) -> None:
        """Append to the list at ``path``, starting the list when there is none."""
        node = _walk(self.src.tree, path[:-1])
        if not isinstance(node.get(path[-1]), CommentedSeq):
            self.set_path(path, [value])
        else:
            self.append(path, value, blank_line)

    # -- the new text, checked
    def result(self) -> bytes:
        new_text = _comment_gaps(self.src.text, _dump(self.src.yaml, self.src.tree))
        data = self.src.encode(new_text)
        doc, problems = parse_yaml(data, self.src.shown)
        if problems or doc is None or doc.data != self.expected:
            raise Refused(f"{self.src.shown} would not read back as typed after this change; nothing was written "
                          "(edit this file by hand)", "verify")
        self._guard(new_text)
        return data

    def _guard(self, new_text: str) -> None:
        old_lines = self.src.text.splitlines()
        new_lines = new_text.splitlines()
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            first, last = i1 + 1, max(i1 + 1, i2)  # 1-based old lines; an insertion sits before line i1 + 1
            if not any(lo - 1 <= first and last <= hi + 1 for lo, hi in self.spans):
                raise Refused(f"{self.src.shown}: this change would also change other lines of the file; "
                              "nothing was written (edit this file by hand)", "layout")


def take_after_key(parent: CommentedMap, key: Any) -> str:
    """Remove and return the comment lines after ``parent[key]`` (its own line comment stays)."""
    value = parent[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        return take_tail(value)
    entry = parent.ca.items.get(key)
    if not entry or entry[2] is None:
        return ""
    eol, rest = _split_comment(entry[2].value)
    if eol:
        entry[2].value = eol
    else:
        entry[2] = None
    return rest


_EOL_COMMENT = re.compile(r"^(.*?\S)( +)(#.*)$")


def _comment_gaps(old: str, new: str) -> str:
    """A longer value pushes its line comment out by one space only (ruamel's way); keep the gap the line had."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for a, b in zip(range(i1, i2), range(j1, j2)):
            was, now = _EOL_COMMENT.match(old_lines[a]), _EOL_COMMENT.match(new_lines[b])
            if was and now and was.group(3) == now.group(3) and len(now.group(2)) == 1 and len(was.group(2)) > 1:
                new_lines[b] = now.group(1) + was.group(2) + now.group(3)
    return "\n".join(new_lines)


def put_tail_after_key(parent: Any, key: Any, lines: str) -> None:
    """Let ``lines`` follow the value of ``parent[key]`` (a key or item in the middle of a mapping or list)."""
    value = parent[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        put_tail(value, lines)
        return
    slot = 2 if isinstance(parent, CommentedMap) else 0
    entry = parent.ca.items.setdefault(key, [None, None, None, None])
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        eol, rest = _split_comment(entry[slot].value)
        entry[slot].value = (eol or "\n") + rest + lines


def _to_tree(value: Any) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _to_tree(v)
        return node
    if isinstance(value, list):
        return tree_value(value)
    return scalar(value)


# -- writing --------------------------------------------------------------------------------------------

def write(source: Source, data: bytes) -> None:
    """Replace the file with ``data`` atomically, keeping its mode; :class:`Conflict` if it changed on disk."""
    write_bytes(source.path, source.shown, source.raw, data)


def write_bytes(path: Path, shown: str, old: bytes, data: bytes) -> None:
    """Replace ``path`` (whose bytes were ``old`` when read) with ``data``: atomic, mode kept, never over a newer file."""
    current = path.read_bytes() if path.exists() else b""
    if current != old:
        raise Conflict(shown)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            from kaartenoptafel.write.atomic import shared_mode

            shared_mode(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
