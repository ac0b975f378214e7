"""The page's own texts, per language, from a message catalogue (``locale/<language>.json``).

The language is the game's (``language:`` in game.yaml, or a region overlay's ``game: language:``), so a
Dutch kit gets a Dutch editor and the English overlay an English one. kot's validation messages are
English sentences for people who read ``path:line:col``; the catalogue's ``problems`` section rewrites the
common ones (too long, missing, too many lines, does not fit, ...) into plain words in the page's language.
Anything it does not know is shown as kot wrote it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
FALLBACK = "en"


@lru_cache(maxsize=8)
def catalogue(language: str) -> dict:
    path = LOCALE_DIR / f"{language}.json"
    if not path.is_file():
        path = LOCALE_DIR / f"{FALLBACK}.json"
    return json.loads(path.read_text("utf-8"))


def languages() -> list[str]:
    return sorted(p.stem for p in LOCALE_DIR.glob("*.json"))


class Messages:
    """``t("key", n=3)``: the text for ``key`` in this language with its ``{placeholders}`` filled."""

    def __init__(self, language: str):
        self.language = language if (LOCALE_DIR / f"{language}.json").is_file() else FALLBACK
        self.data = catalogue(self.language)
        self.texts: dict[str, str] = self.data["texts"]
        self.rules = [(re.compile(rule["match"]), rule["say"]) for rule in self.data.get("problems", [])]

    def __call__(self, key: str, **values) -> str:
        text = self.texts.get(key)
        if text is None:
            text = catalogue(FALLBACK)["texts"].get(key, key)
        return text.format(**values) if values else text

    def problem(self, message: str) -> str:
        """A validation message in plain words of this language."""
        for pattern, say in self.rules:
            match = pattern.search(message)
            if match:
                return say.format(*match.groups(), **match.groupdict())
        return message

    def for_script(self) -> dict[str, str]:
        """The texts the page's script shows itself (keys starting with ``js_``)."""
        return {k: v for k, v in self.texts.items() if k.startswith("js_")}
