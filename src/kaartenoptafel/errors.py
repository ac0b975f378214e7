"""Located diagnostics: every user mistake becomes a ``path:line:col: error: message`` line, never a traceback."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

# Exit codes, documented in the README and in ``kot --help``.
EXIT_OK = 0
EXIT_CONTENT = 1  # the content or layout files are wrong: the messages say where
EXIT_USAGE = 2  # the command line is wrong (click's own code for usage errors)
EXIT_INTERNAL = 70  # a bug in kaartenoptafel itself (EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # Ctrl-C


# Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts sequences that set the window
# title or write the clipboard), DEL, line and paragraph separators and the bidirectional overrides that reorder
# what is shown. Every message passes through ``printable`` before it is printed.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


def printable(text: str) -> str:
    """``text`` with every control character shown as ``\\x1b`` or ``U+202E``, so input cannot drive the terminal."""
    text = str(text)
    if text.isprintable():
        return text
    return _CONTROL.sub(_escape, text)


def char_name(ch: str) -> str:
    """A character for a message: itself when it prints, else its code, with its Unicode name when it has one."""
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    shown = f"'{ch}' ({code})" if printable(ch) == ch and ch.isprintable() else code
    return f"{shown} {name}".rstrip() if not ch.isprintable() and name else shown


@dataclass(frozen=True)
class Pos:
    """Where a value stands in a source file (1-based line and column)."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    pos: Pos | None
    message: str
    card: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"card '{self.card}': " if self.card else ""
        prefix = f"{self.pos}: " if self.pos is not None else ""
        return printable(f"{prefix}{self.severity}: {where}{self.message}")


class ContentError(Exception):
    """Raised with every problem found in one run, so an editor fixes them all at once."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class Collector:
    """Gathers diagnostics while a stage keeps going; ``raise_if_any`` ends the stage."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(self, pos: Pos, message: str, card: str | None = None) -> None:
        self.add(Diagnostic(pos, message, card))

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.diagnostics:  # two products laying out one card report it once
            self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    def raise_if_any(self) -> None:
        if self.diagnostics:
            raise ContentError(self.diagnostics)


def did_you_mean(word: str, options) -> str:
    """A ``(did you mean 'x'?)`` suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(options) -> str:
    opts = sorted(str(o) for o in options)
    return ", ".join(f"'{o}'" for o in opts)
