"""Card text for low-literacy readers: one size per style per card type, and words that are never broken
unless a layout asks for it (and then only by the easy-reading rules); the guide hyphenates in its language.

Sizes are read from the real PDFs (pdfium: each character's font size times its matrix).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict

import pyphen
import pytest

from kaartenoptafel.build import BuildOptions, build, prepare
from kaartenoptafel.layout.text import Item, TextStyle, fit, hyphenator
from kaartenoptafel.resolve import deck_order, expand, resolve
from pdfcheck import text, text_sizes


def _sizes_per_type(project, out):
    """{type: {card id: Counter of text sizes on its front}} from the print-shop deck (front, back, front, ...)."""
    build(BuildOptions(project=project, out_dir=out, only=("deck",), quiet=True))
    pages = text_sizes(out / "default" / "deck-printshop.pdf")
    kit = prepare(project).kit
    cards = expand(deck_order(kit, resolve(kit)))  # the print order: by type, as in types.yaml
    found: dict[str, dict[str, set]] = defaultdict(dict)
    for i, card in enumerate(cards):
        found[card.type][card.id] = Counter(size for _, size in pages[2 * i])
    return found


def test_all_cards_of_a_type_print_each_style_at_one_size(project, tmp_path):
    found = _sizes_per_type(project, tmp_path)
    styles = {"rol": 3, "situatie": 2, "gebeurtenis": 2, "vraag": 3}  # title, (caption: group or debrief part,) body
    for tid, limit in styles.items():
        sizes = set().union(*(set(c) for c in found[tid].values()))
        assert len(sizes) <= limit, (tid, sorted(sizes))
    # the 29 role cards had ten body sizes (8.44-9.68 pt): now one, the largest at which all of them fit
    body = {c.most_common(1)[0][0] for c in found["rol"].values()}
    assert len(body) == 1, sorted(body)
    assert 8.0 <= body.pop() < 10.0


def test_a_layout_can_keep_fitting_each_card_on_its_own(project, tmp_path):
    layout = project / "layouts" / "default.yaml"
    layout.write_text(layout.read_text().replace("same_size: type", "same_size: card"))
    found = _sizes_per_type(project, tmp_path)
    body = {c.most_common(1)[0][0] for c in found["rol"].values()}
    assert len(body) > 3, sorted(body)  # each card shrinks on its own again


def test_cards_are_not_hyphenated_by_default(built):
    lines = text(built / "deck-printshop.pdf").splitlines()
    broken = [line for line in lines if re.search(r"[^\W\d_]-$", line.strip())]
    assert broken == []


def test_a_word_too_wide_for_its_frame_is_a_located_error_naming_it(project, tmp_path):
    cards = project / "cards" / "rollen.yaml"
    long_word = "Gemeenschapsvoorzieningencoördinatiecentrum"
    source = cards.read_text()
    assert "\n    missie: " in source
    cards.write_text(re.sub(r"\n    missie: .*", f"\n    missie: Het {long_word}.", source, count=1))
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "validate", "--project", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    line = next(n for n, text_line in enumerate(cards.read_text().splitlines(), 1) if long_word in text_line)
    assert f"cards/rollen.yaml:{line}:" in result.stderr
    assert f"the word '{long_word}' is" in result.stderr and "wider than its frame" in result.stderr
    assert "Traceback" not in result.stderr


def _lines(ctx, words: str, width: float, lang: str = "nl_NL") -> list[str]:
    style = TextStyle(ctx.family, "#000000", "#000000", hyphenate=True, lang=lang, strict_words=True)
    fitted = fit((Item("t", None, text=words),), style, width, 10000, 10, 10)
    lines = []
    for flow, _, _ in fitted.flowables:
        for line in flow.blPara.lines:
            parts = line[1] if isinstance(line, tuple) else [w.text for w in line.words]
            lines.append(" ".join(str(p) for p in parts).strip())
    return lines


@pytest.mark.parametrize("width", [104, 112, 120, 128, 136, 144, 156])
def test_turned_on_hyphenation_follows_the_easy_reading_rules(repo, width):
    ctx = prepare(repo)
    text_in = ("De gemeenteraad van Middenstad vraagt een subsidieverslag over het computerspreekuur "
               "in Nederland. Ook de basisvaardigheden en de ouderbijdrage tellen mee voor de gebeurtenis "
               "die de bibliotheek organiseert voor alle bewonersorganisaties")
    lines = _lines(ctx, text_in, width)
    for i, line in enumerate(lines):
        if not line.endswith("-"):
            continue
        head = re.findall(r"[^\W\d_]+-$", line)[0][:-1]
        tail = re.match(r"[^\W\d_]+", lines[i + 1]).group(0)
        assert head[0].islower(), (head, tail)  # never a name: Mid-denstad, Ne-derland
        assert len(head) >= 3 and len(tail) >= 3, (head, tail)  # no ge-beurtenis, no ouderbijdra-ge
    assert len(lines) > 2 and not lines[-2].endswith("-"), lines  # the paragraph's last word ('bewonersorganisaties') stays whole


def test_hyphenation_can_break_long_words_when_turned_on(repo):
    ctx = prepare(repo)
    lines = _lines(ctx, "Wij bieden ondersteuningsmogelijkheden voor iedereen", 120)
    assert lines[0].endswith("-"), lines


def test_hyphenator_rules():
    split = hyphenator("nl_NL")
    assert split("Middenstad") == [] and split("Nederland") == []  # capitalised names stay whole
    assert split("rou") == [] and split("samen") == []  # short words stay whole
    pairs = split("ouderbijdrage")
    assert pairs and all(len(h) >= 3 and len(t) >= 3 for h, t in pairs), pairs
    assert ("ouderbijdra", "ge") not in pairs


def test_guide_hyphenates_in_the_games_language(tmp_path, repo):
    english = hyphenator("en", 10)
    assert ("municipa", "lity") not in english("municipality")  # the Dutch dictionary's break
    assert english("municipality")  # but English ones exist
    build(BuildOptions(project=repo, region="english", out_dir=tmp_path, only=("guide",), quiet=True))
    lines = text(tmp_path / "english" / "guide-a4.pdf").splitlines()
    en = pyphen.Pyphen(lang="en", left=3, right=3)
    for i, line in enumerate(lines[:-1]):
        m = re.search(r"([^\W\d_]+)-$", line.strip())
        nxt = re.match(r"\s*([^\W\d_]+)", lines[i + 1])
        if not m or not nxt:
            continue
        head, tail = m.group(1), nxt.group(1)
        word = head + tail
        if f"{head}-{tail}".lower() in " ".join(lines).lower():
            continue  # a compound's own hyphen (double-sided) that happens to end a line, not a break
        if word.lower() in text(tmp_path / "english" / "guide-a4.pdf").replace("-\n", "").lower():
            assert len(word) >= 10 and (head, tail) in en.iterate(word) or head.istitle(), (head, tail)


def test_the_guides_styles_hyphenate_in_the_games_language(repo):
    from kaartenoptafel.products.guide import GEOMETRY, Styles

    ctx = prepare(repo)
    english = Styles(GEOMETRY["a4"], ctx.family, "#1f5f7a", "en").body.hyphenationLang
    dutch = Styles(GEOMETRY["a4"], ctx.family, "#1f5f7a", "nl").body.hyphenationLang
    en = pyphen.Pyphen(lang="en", left=3, right=3)
    assert english("municipality") and set(english("municipality")) <= set(en.iterate("municipality"))
    assert ("municipa", "lity") not in english("municipality")
    assert dutch("gemeenteraad") and english("samen") == [] and dutch("samen") == []  # short words stay whole
