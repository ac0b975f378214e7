"""``board.worksheets`` in cards/board.yaml: the texts of the two worksheets, read and checked.

:mod:`kaartenoptafel.render.worksheets` lays them out and draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaartenoptafel.errors import Collector, Pos, did_you_mean
from kaartenoptafel.load.board import Content
from kaartenoptafel.load.model import Kit


@dataclass
class Afspraak:
    """The samenwerkingsafspraak's texts."""

    pos: Pos  # board.worksheets.afspraak, for a sheet that does not fit
    title: str
    intro: str
    sign: str
    partners: list[str]  # 2 or 3 column heads
    balance: tuple[str, str, str] | None  # title, rule, check
    rows: list[tuple[str, int]]  # (label, writing lines) per partner
    together: list[tuple[str, int]]
    tests_title: str
    why_lines: int
    columns: list[str]
    tests: list[tuple[str, str]]  # (label, text)


@dataclass
class Krachtenanalyse:
    """The krachtenanalyse's texts and columns (label, the partner card's field or None for an empty column)."""

    pos: Pos
    title: str
    intro: str
    extra: str
    page_word: str
    rule: str | None
    columns: list[tuple[str, str | None]]


def read_afspraak(content: Content, out: Collector) -> Afspraak | None:
    """None when a text is wrong (reported)."""
    key = ("worksheets", "afspraak")
    before = len(out.diagnostics)
    content.mapping(*key)
    title, intro, sign = (content.text(*key, k) for k in ("title", "intro", "sign"))
    partners = content.texts(*key, "partners")
    if len(partners) > 3:
        out.error(content.pos(*key, "partners"), f"'board.worksheets.afspraak.partners' has {len(partners)} "
                                                 "partners; the sheet has room for 2 or 3 (a pair or a trio)")
        partners = partners[:3]
    balance = None
    if content.optional(*key, "balance") is not None:
        content.mapping(*key, "balance")
        balance = tuple(content.text(*key, "balance", k) for k in ("title", "rule", "check"))
    rows = labelled_lines(content, key + ("per_partner",))
    together = labelled_lines(content, key + ("together",))
    content.mapping(*key, "tests")
    tests_title = content.text(*key, "tests", "title")
    why_lines = content.number(*key, "tests", "lines") if content.optional(*key, "tests", "lines") \
        is not None else 2
    columns = content.texts(*key, "tests", "columns")
    tests = []
    for i, _ in enumerate(content.items(*key, "tests", "rows")):
        content.mapping(*key, "tests", "rows", i)
        tests.append((content.text(*key, "tests", "rows", i, "label"), content.text(*key, "tests", "rows", i, "text")))
    if len(out.diagnostics) > before:
        return None
    return Afspraak(content.pos(*key), title, intro, sign, partners, balance, rows, together, tests_title, why_lines,
                    columns, tests)


def labelled_lines(content, key: tuple) -> list[tuple[str, int]]:
    result = []
    for i, _ in enumerate(content.items(*key)):
        content.mapping(*key, i)
        result.append((content.text(*key, i, "label"), content.number(*key, i, "lines")))
    return result


def read_krachtenanalyse(content: Content, kit: Kit, ptype: str, widths: int, widths_pos: Pos,
                         out: Collector) -> Krachtenanalyse | None:
    """None when a text is wrong (reported); ``ptype``: the partners' card type, ``widths``: how many column widths
    layouts/board.yaml gives (at ``widths_pos``)."""
    key = ("worksheets", "krachtenanalyse")
    before = len(out.diagnostics)
    content.mapping(*key)
    title, intro, extra, page_word = (content.text(*key, k) for k in ("title", "intro", "extra", "page"))
    rule = content.text(*key, "rule") if content.optional(*key, "rule") is not None else None
    fields = kit.types[ptype].fields if ptype in kit.types else {}
    columns = []
    for i, _ in enumerate(content.items(*key, "columns")):
        content.mapping(*key, "columns", i)
        label = content.text(*key, "columns", i, "label")
        name = content.optional(*key, "columns", i, "field")
        if name is not None and not isinstance(name, str):
            out.error(content.pos(*key, "columns", i, "field"), "'field' must be the name of a field")
            name = None
        if isinstance(name, str) and name not in fields:
            out.error(content.pos(*key, "columns", i, "field"), f"'{name}' is not a field of '{ptype}'"
                                                                f"{did_you_mean(name, fields)}")
        columns.append((label, name if isinstance(name, str) else None))
    if columns and widths != len(columns):
        out.error(widths_pos,
                  f"{widths} column widths for the {len(columns)} columns of the krachtenanalyse in "
                  "cards/board.yaml; give one width per column")
    if len(out.diagnostics) > before:
        return None
    return Krachtenanalyse(content.pos(*key), title, intro, extra, page_word, rule, columns)
