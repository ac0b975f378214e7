"""Located diagnostics: every user mistake becomes a ``path:line:col: error: message`` line, never a traceback."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

# Exit codes, documented in the README and in ``kot --help``.
EXIT_OK = 0
EXIT_CONTENT = 1  # the content or layout files are wrong: the messages say where
EXIT_USAGE = 2  # the command line is wrong (click's own code for usage errors)
EXIT_INTERNAL = 70  # a bug in kaartenoptafel itself (EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # Ctrl-C


# Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts sequences that set the window
# title or write the clipboard), DEL, format characters such as the bidirectional overrides that reorder what is
# shown, line and paragraph separators, and code points that are no character at all (U+FFFF, surrogates).
# Every message passes through ``printable`` before it is printed.
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _shown_char(ch: str) -> str:
    if unicodedata.category(ch) not in _HIDDEN:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


def printable(text: str) -> str:
    """``text`` with every control character shown as ``\\x1b`` or ``U+202E``, so input cannot drive the terminal."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _shown_char(ch) for ch in text)


class TerminalStream:
    """A text stream (sys.stdout, sys.stderr) that shows every control character written to it as ``\\x1b`` or
    ``U+202E``: a card title, a file name or a region description cannot drive the terminal, whichever command
    prints it (``kot list``, ``kot regions``, a message). Line breaks and tabs pass, and so does a carriage return
    at the start of a write (the progress bar redraws its line with it)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if not isinstance(text, str):
            return self._stream.write(text)
        if text.isprintable():
            return self._stream.write(text)
        lead = "\r" if text.startswith("\r") else ""
        shown = "".join(ch if ch.isprintable() or ch in "\n\t" else _shown_char(ch) for ch in text[len(lead):])
        self._stream.write(lead + shown)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a value stands in a source file (1-based line and column).

    With ``__slots__``: a loaded kit holds one per card and per field, and a slotted one is a third the size.
    """

    path: str
    line: int | None = None
    col: int | None = None

    def __reduce__(self):  # pickles alike on every Python the package supports (frozen slots: 3.10.0 could not)
        return (Pos, (self.path, self.line, self.col))

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


def in_file_order(diagnostic) -> tuple:
    """Messages in file order, so an editor can walk down them."""
    pos = diagnostic.pos
    if pos is None:
        return ("", 0, 0)
    return (pos.path, pos.line or 0, pos.col or 0)
