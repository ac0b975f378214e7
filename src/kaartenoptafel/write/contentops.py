"""A fast reader of the content streams reportlab writes: operators with their operands and byte positions.

Separating and preflighting a 20,000-page deck with pikepdf's general parser costs about 3 ms a page,
most of it making a Python object per operand. reportlab's streams are simple (numbers, names, escaped
literal strings, arrays), so one regular expression reads them about ten times faster. Anything it is
not sure of (an inline image, a string with unescaped parentheses, a dictionary, a byte it does not
expect) returns None, and the caller uses pikepdf's parser instead: never a wrong answer, only a slower one.
"""

from __future__ import annotations

import functools
import re

_TOKEN = re.compile(rb"""
    (?P<ws>[\x00\t\n\x0c\r ]+)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?=[\x00\t\n\x0c\r /\[\]()<>%]|$)
  | (?P<name>/[^\x00\t\n\x0c\r /\[\]()<>{}%]*)
  | (?P<str>\((?:[^\\()]|\\.)*\))
  | (?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
  | (?P<open>\[) | (?P<close>\])
  | (?P<op>[A-Za-z'"*][A-Za-z0-9*]*)
  | (?P<comment>%[^\r\n]*)
""", re.X | re.S)
UNSUPPORTED = {b"BI", b"ID", b"EI"}  # inline images carry raw bytes: leave them to pikepdf


def read_ops(data: bytes):
    """[(operands, operator, start, end)] with operands as (kind, bytes, start); None when unsure."""
    ops, operands, depth, pos, n = [], [], 0, 0, len(data)
    match = _TOKEN.match
    while pos < n:
        m = match(data, pos)
        if m is None:
            return None
        kind, text = m.lastgroup, m.group()
        if kind == "op":
            if text in UNSUPPORTED or depth:
                return None
            ops.append((operands, text, operands[0][2] if operands else m.start(), m.end()))
            operands = []
        elif kind in ("num", "name", "str", "hex"):
            if not depth:
                operands.append((kind, text, m.start()))
        elif kind == "open":
            if not depth:
                operands.append(("array", b"[", m.start()))
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth < 0:
                return None
        pos = m.end()
    return ops if not operands and not depth else None


def numbers(operands) -> list[float] | None:
    """The operands as numbers, or None when one is not a number."""
    if any(kind != "num" for kind, _, _ in operands):
        return None
    return [float(text) for _, text, _ in operands]


def simple_ops(data: bytes):
    """[(operands, operator)] with numbers as floats and everything else as text; None when unsure."""
    ops = read_ops(data)
    if ops is None:
        return None
    return [([float(t) if k == "num" else t.decode("latin-1") for k, t, _ in operands], op.decode("latin-1"))
            for operands, op, _, _ in ops]


# The operators the CMYK separation and the preflight look at, with the numbers or the name before each,
# found by one regular expression that skips everything else (text, paths, strings) without a Python step per
# token; an operator's operands are then read back from the few bytes before it (after the previous string or
# operator found, so never from inside a string). Anything unsure (a string with unescaped parentheses, a hex
# string or dictionary, a comment, an inline image) makes scan() return None.
_OPS = re.compile(rb"""
    \((?:[^\\()]|\\.)*\)
  | (?<![^\x00\t\n\x0c\r ])(?P<op>rg|RG|g|G|k|K|cm|q|Q|cs|CS|scn|sc|SCN|SC|Do|BI|ID|EI)(?![^\x00\t\n\x0c\r /\[\]()<>%])
  | (?P<bad>[(<%{}])
""", re.X | re.S)
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)\Z").match
_TRICKY = {b"BI", b"ID", b"EI"}
REACH = 160  # bytes before an operator searched for its operands: six numbers of reportlab's take under 80


@functools.lru_cache(maxsize=256)  # a page or form drawn again (a card's back, a repeated card): scanned once
def scan(data: bytes):
    """((operator, numbers, name or None, start, end), ...) of the operators above, in order; None when unsure.

    ``numbers`` is the tuple of number tokens just before the operator (bytes), ``name`` the name token just
    before it when there are no numbers."""
    found, last = [], 0
    for m in _OPS.finditer(data):
        op = m.group("op")
        if op is None:
            if m.group("bad") is not None:
                return None
            last = m.end()  # a string
            continue
        if op in _TRICKY:
            return None
        start = m.start()
        tokens = data[max(last, start - REACH):start].split()
        i = len(tokens)
        while i and _NUMBER(tokens[i - 1]):
            i -= 1
        nums, name = tuple(tokens[i:]), None
        if not nums and i and tokens[i - 1][:1] == b"/":
            name = tokens[i - 1]
            if i > 1 and _NUMBER(tokens[i - 2]):
                return None  # numbers and a name for one operator (a pattern colour): not read here
        found.append((op, nums, name, start, m.end()))
        last = m.end()
    return tuple(found)
