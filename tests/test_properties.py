"""Property-based: generated YAML and card values never crash the loader or the layout engine.

Whatever an editor (or a hostile file) writes, each run ends in a valid kit whose cards lay out and render,
or in a ContentError whose every Diagnostic names a file. Any other exception is a bug.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from kaartenoptafel.build import prepare
from kaartenoptafel.errors import Collector, ContentError
from kaartenoptafel.layout.back import layout_back
from kaartenoptafel.layout.card import layout_card
from kaartenoptafel.load.yamlfile import parse_yaml
from kaartenoptafel.render.card import draw_card
from kaartenoptafel.resolve import resolve

REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

# -- building blocks ----------------------------------------------------------------------------

# Characters that matter to YAML, to the text markup and to the font: structure, quotes, markup, variables,
# tabs, a BOM, control characters, and glyphs the font lacks (emoji, Arabic, CJK).
SPECIAL = list(":-[]{}#&*!|>'\"%@`,?\t\n ") + ["**", "{bibliotheek}", "{onbekend}", "{{", "}}", "<b>", "&amp;",
                                                "\ufeff", "\x00", "\x07", "\u00ad", "😀", "مرحبا", "漢字", "ĳ", "€",
                                                "**a *b** c*", "*a **b* c**", "***"]
chars = st.characters(exclude_categories=("Cs",))  # no lone surrogates: they cannot be saved as UTF-8
texts = st.one_of(
    st.text(chars, max_size=40),
    st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(chars, max_size=6)), max_size=12).map("".join),
)
# Texts the font can draw, with markup in every combination: they reach the layout engine and the renderer.
printable = st.lists(st.sampled_from(["**", "*", "a", "woord", " ", "  ", "<", ">", "&", "&amp;", "<b>", "{gemeente}",
                                      "{{", "}}", "\n", "ë", "ĳ", "„", "”", "—", "-", "_", "\\", "lang" * 12, "1.",
                                      "**a *b** c*", "*a **b* c**", "****a****"]),
                     max_size=30).map("".join)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(), st.floats(allow_nan=True),
    texts, st.sampled_from(["", "fill", "poker", "#12ab34", "#zzzzzz", "groups", "rol", "text", "list", "image",
                            "../../etc/passwd", "/etc/hostname", "logo.png", "x.ttf", "titel", "body"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)


def dump(data) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when present: the same text, faster
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


def assert_located(error: ContentError) -> None:
    assert error.diagnostics, "a ContentError without diagnostics"
    for diagnostic in error.diagnostics:
        assert diagnostic.pos is not None and diagnostic.pos.path, f"unlocated: {diagnostic}"
        assert "Traceback" not in diagnostic.message


def lay_out_and_render(ctx) -> None:
    """Lay out every card and every back, then draw them: problems must be located diagnostics."""
    out = Collector()
    canvas = Canvas(io.BytesIO(), pagesize=(300, 300), initialFontName=ctx.family.regular)
    for card in resolve(ctx.kit)[:12]:
        lay = layout_card(ctx, card, out)
        if lay is not None:
            draw_card(canvas, lay, 8.5)
    for ctype in ctx.kit.types.values():
        try:
            draw_card(canvas, layout_back(ctx, ctype), 8.5)
        except ContentError as exc:
            out.extend(exc.diagnostics)
    if out.diagnostics:
        assert_located(ContentError(out.diagnostics))


def run_kit(root: Path) -> None:
    try:
        ctx = prepare(root)
    except ContentError as exc:
        assert_located(exc)
        return
    try:
        lay_out_and_render(ctx)
    except ContentError as exc:  # images are read while drawing
        assert_located(exc)


# -- 1: any text as a YAML file ------------------------------------------------------------------

yaml_texts = st.one_of(
    st.lists(st.one_of(st.sampled_from(SPECIAL + ["&a ", "*a", "!!python/object:os.system ", "!x ", "<<: ",
                                                  "---", "...", "%YAML 1.1\n", "  ", "\n- ", "a: ", "1e400",
                                                  "9" * 5000, "2024-13-45", ".nan", "~"]),
                       st.text(chars, max_size=8)), max_size=40).map("".join),
    values.map(dump),
)


@SETTINGS
@given(yaml_texts)
def test_any_text_parses_or_gives_located_problems(text):
    doc, problems = parse_yaml(text.encode("utf-8"), "cards/x.yaml")
    for problem in problems:
        assert problem.pos is not None and problem.pos.path == "cards/x.yaml"
    assert doc is not None or problems


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_give_located_problems(raw):
    doc, problems = parse_yaml(raw, "cards/x.yaml")
    assert doc is not None or problems
    assert all(p.pos is not None and p.pos.path == "cards/x.yaml" for p in problems)


# -- 2: generated cards through the loader, the layout engine and the renderer ------------------

FIELDS = {
    "rol": ["titel", "groep", "missie", "brengt", "haalt", "beperking", "belang", "uitspraak"],
    "situatie": ["titel", "situatie", "gat", "waar", "vraag", "zegt_niet", "doel"],
    "gebeurtenis": ["titel", "wat", "effect"],
    "vraag": ["titel", "vraag", "doorvraag"],
    "afspraak": ["titel", "regels", "toetsen"],
}
GOOD = {
    "titel": "Bibliotheek", "groep": "werk", "missie": "We helpen {gemeente}.", "brengt": ["Tijd", "Ruimte"],
    "haalt": ["Hulp"], "beperking": "Weinig tijd.", "belang": "Meer leden.", "situatie": "Ans woont alleen.",
    "gat": "digitaal", "waar": "kaart-1", "vraag": "Hulp bij een brief.", "zegt_niet": "Niets.",
    "wat": "Er is minder geld.", "effect": "Geef een kaart terug.", "regels": ["Wie", "Voor wie"],
    "toetsen": ["Past het?"],
}


@st.composite
def cards(draw):
    """A card that is mostly right (so that it often reaches the layout engine) with a few values drawn freely."""
    tid = draw(st.sampled_from(list(FIELDS) * 6 + ["onbekend"]))
    cid = draw(scalars) if draw(st.integers(0, 9)) == 9 else f"kaart-{draw(st.integers(0, 10**6))}"
    card: dict = {"id": cid, "type": tid}
    for name in FIELDS.get(tid, ["titel"]):
        choice = draw(st.sampled_from(["good"] * 10 + ["printable"] * 6 + ["any", "any", "left out"]))
        if choice == "good":
            card[name] = GOOD.get(name, "Tekst")
        elif choice == "printable":  # a text that is valid YAML but may be hard to print: markup, glyphs, length
            text = draw(st.one_of(printable, printable, texts))
            card[name] = [text] if isinstance(GOOD.get(name), list) else text
        elif choice == "any":
            card[name] = draw(values)
    if draw(st.integers(0, 14)) == 14:
        card[draw(st.sampled_from(["count", "tags", "extra", "titel "]))] = draw(values)
    return card


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory) -> Path:
    """A small project: the default game, types and layout, and one generated card file."""
    root = tmp_path_factory.mktemp("prop")
    (root / "cards").mkdir()
    for name in ("game.yaml", "types.yaml"):
        shutil.copy(REPO / "cards" / name, root / "cards" / name)
    shutil.copytree(REPO / "layouts", root / "layouts")
    return root


@SETTINGS
@given(st.lists(cards(), min_size=1, max_size=4))
def test_generated_cards_build_or_give_located_errors(kit_dir, card_list):
    restore(kit_dir)
    (kit_dir / "cards" / "fuzz.yaml").write_text(dump({"cards": card_list}), encoding="utf-8")
    run_kit(kit_dir)


# -- 3: one value anywhere in game, types, layout or a card file replaced by anything -----------

SAMPLE_CARDS = {"cards": [dict(GOOD, id=f"k-{tid}", type=tid) for tid in FIELDS]}
for _card in SAMPLE_CARDS["cards"]:
    for _name in list(_card):
        if _name not in FIELDS[_card["type"]] + ["id", "type"]:
            del _card[_name]


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, prefix + (i,))


def _originals():
    files = {
        "cards/game.yaml": yaml.safe_load((REPO / "cards/game.yaml").read_text("utf-8")),
        "cards/types.yaml": yaml.safe_load((REPO / "cards/types.yaml").read_text("utf-8")),
        "layouts/default.yaml": yaml.safe_load((REPO / "layouts/default.yaml").read_text("utf-8")),
        "cards/fuzz.yaml": SAMPLE_CARDS,
    }
    return {name: (data, list(_paths(data))) for name, data in files.items()}


ORIGINALS = _originals()


ORIGINAL_TEXTS = {name: dump(content) for name, (content, _) in ORIGINALS.items()}


def restore(root: Path) -> None:
    for name, text in ORIGINAL_TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")


def _replace(data, path, value, how):
    import copy

    data = copy.deepcopy(data)
    if not path:
        return value
    node = data
    for key in path[:-1]:
        node = node[key]
    last = path[-1]
    if how == "delete":
        del node[last]
    elif how == "add" and isinstance(node, dict):
        node[f"{last}x"] = value
    else:
        node[last] = value
    return data


@SETTINGS
@given(st.sampled_from(sorted(ORIGINALS)), st.data(), values, st.sampled_from(["set", "set", "delete", "add"]))
def test_any_value_anywhere_builds_or_gives_located_errors(kit_dir, name, data, value, how):
    original, paths = ORIGINALS[name]
    path = data.draw(st.sampled_from(paths))
    assume(path or how == "set")
    restore(kit_dir)
    (kit_dir / name).write_text(dump(_replace(original, path, value, how)), encoding="utf-8")
    run_kit(kit_dir)
