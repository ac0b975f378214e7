"""The speed-ups change no byte: remembered fits and wraps, and replayed drawing, write the same PDFs.

(The timings themselves are in benchmarks/run.py, not in the test run.)
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kaartenoptafel.build import prepare
from kaartenoptafel.errors import Collector
from kaartenoptafel.layout import card as card_layout
from kaartenoptafel.layout.back import has_card_backs
from kaartenoptafel.layout import text
from kaartenoptafel.products import deck
from kaartenoptafel.render import card as card_render
from kaartenoptafel.render import replay as replay_module
from kaartenoptafel.render.pdf import new_canvas
from kaartenoptafel.resolve import expand, resolve


def _decks(root) -> tuple[bytes, bytes]:
    ctx = prepare(root)
    printed = expand(resolve(ctx.kit))
    out = Collector()
    home, shop = io.BytesIO(), io.BytesIO()
    deck.write_home_deck(ctx, printed, home, "a4", "long", (0.0, 0.0), out)
    deck.write_printshop_deck(ctx, printed, shop, out)
    out.raise_if_any()
    return home.getvalue(), shop.getvalue()


def _plain(monkeypatch) -> None:
    """Every cache and replay off: fit, wrap and draw everything afresh, each text by plain bisection from the top and
    each type's size by fitting every card (not by the search that starts at an estimate)."""
    def draw_only(c, key, draw):
        draw()

    monkeypatch.setattr(card_render, "replay", draw_only)
    monkeypatch.setattr(deck, "replay", draw_only)
    monkeypatch.setattr(card_render, "draw_flowable", lambda c, flow, x, y: flow.drawOn(c, x, y))
    monkeypatch.setattr(text, "_fit", text._fit_bisect.__wrapped__)
    monkeypatch.setattr(card_layout, "common_size", text._common_size_stepped)
    monkeypatch.setattr(text, "_wrapped", text._wrapped.__wrapped__)
    monkeypatch.setattr(card_layout, "_make_item", card_layout._make_item.__wrapped__)
    monkeypatch.setattr(card_layout, "_unhyphenated", card_layout._unhyphenated.__wrapped__)
    monkeypatch.setattr(deck, "compress_last_page", lambda c: None)
    monkeypatch.setattr(text, "_style_colour", lambda value: value)
    monkeypatch.setattr(text, "_markup", text._markup.__wrapped__)
    monkeypatch.setattr(text, "_paragraph", lambda markup, style, size, ps, bullet=None: Paragraph(
        markup, ps, bulletText=bullet))  # every paragraph parsed by reportlab at its own size
    from reportlab.lib.colors import toColor
    from reportlab.platypus import paraparser

    for table in (paraparser._spanAttrMap, paraparser._fontAttrMap):  # label colours parsed afresh
        monkeypatch.setitem(table, "color", (table["color"][0], toColor))
    text.paragraph_style.cache_clear()  # styles made so far hold the colour objects


def test_decks_are_byte_identical_with_and_without_caches(repo, monkeypatch):
    first = _decks(repo)
    warm = _decks(repo)  # every fit and wrap now comes from the caches
    _plain(monkeypatch)
    try:
        plain = _decks(repo)
    finally:
        text.paragraph_style.cache_clear()  # the plain styles must not outlive this test
    assert first[0] == warm[0] == plain[0]
    assert first[1] == warm[1] == plain[1]


def test_repeated_cards_are_written_once_per_face_not_redrawn(repo, monkeypatch):
    """The default kit prints its agreement card 12 times: the face is drawn once per PDF, then replayed."""
    drawn = []
    real = card_render._draw_card

    def counting(c, lay, bleed):
        drawn.append(lay.id)
        real(c, lay, bleed)

    monkeypatch.setattr(card_render, "_draw_card", counting)
    ctx = prepare(repo)
    printed = expand(resolve(ctx.kit))
    deck.write_home_deck(ctx, printed, io.BytesIO(), "a4", "long", (0.0, 0.0), Collector())
    copies = sum(1 for c in printed if c.id == "samenwerkingsafspraak")
    assert copies >= 2
    assert drawn.count("samenwerkingsafspraak") == 1
    fronts = [d for d in drawn if not d.startswith("back:")]
    assert len(fronts) == len({c.id for c in printed})  # each face once
    backs = [d for d in drawn if d.startswith("back:")]
    own = {c.id for c in printed if has_card_backs(ctx, c.type)}  # types with back_frames: each card's own back
    shared = {c.type for c in printed if not has_card_backs(ctx, c.type)}
    assert own and shared
    assert sorted(backs) == sorted([f"back:{i}" for i in own] + [f"back:{t}" for t in shared])  # each back once


def _canvas(family) -> tuple[Canvas, io.BytesIO]:
    buf = io.BytesIO()
    return new_canvas(buf, (200, 200), family, "t"), buf


def _labels_sheet(family, use_replay: bool) -> bytes:
    def draw(c):
        c.drawString(5, 5, "Kaart ë")  # writes the current font and size
        c.setFillColorRGB(0.2, 0.4, 0.6)  # leaks: the next drawing inherits this colour
        c.setLineWidth(2)
        c.setFont(family.bold, 9)

    c, buf = _canvas(family)
    for size in (10, 12, 10, 12):
        c.setFont(family.regular, size)
        for dx in (0, 50):
            c.saveState()
            c.translate(dx, 0)
            if use_replay:
                replay_module.replay(c, "label", lambda: draw(c))
            else:
                draw(c)
            c.rect(0, 0, 10, 10, fill=1)  # uses the leaked colour and width
            c.drawString(0, 20, "na")  # and the leaked font
            c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def test_replay_depends_on_the_state_at_entry_and_restores_the_state_it_leaves(repo):
    family = prepare(repo).family
    assert _labels_sheet(family, True) == _labels_sheet(family, False)


def test_replay_memory_is_bounded(repo, monkeypatch):
    monkeypatch.setattr(replay_module, "MAX_ENTRIES", 16)
    c, _ = _canvas(prepare(repo).family)
    for i in range(100):
        replay_module.replay(c, ("n", i), lambda i=i: c.drawString(0, 0, str(i)))
    assert len(replay_module._memos[c].entries) == 16


# -- YAML: libyaml where it reads a text exactly as PyYAML does -----------------------------------------

TRICKY = [
    "a: 1\nb:\n  - x\n  -\n  - ''\n",  # empty values: libyaml places them a column off
    "colours:\t\n  ink: '#000000'\n",  # a tab after a key: libyaml accepts it, PyYAML does not
    "a: [1, 2?]\nb: {c: d?}\n",  # '?' in a flow collection: PyYAML reads an explicit key
    "a: [1,\n  b?]\n",  # ... also in one that spans lines
    "a: |#x\n  y\n",  # a block header touching a comment
    "a: b\r\nc: [d]\r\n",  # Windows line ends
    "\ufeffa: b\nc: d\ufeff\n",  # byte order marks
    "a: b\u2028c\n",  # an unusual line break
    "a: &x [1]\nb: *x\n" + "c:\n" + "".join("  " * i + "-\n" for i in range(1, 70)),  # too deep
    "vraag: Kunt u mij helpen? Het gaat om mijn toeslag.\nhaalt:\n  - Hulp?\n",  # questions in plain text
    "vraag: Wat brengt {bibliotheek}? En [wie]?\n",  # ... with a variable: not a flow collection
    "a: &x [1, [2?]]\nb: !!seq [c?]\n",  # a flow collection after an anchor or a tag
]


def _read(text: str, fast) -> tuple:
    from kaartenoptafel.load import yamlfile

    saved = yamlfile._FAST_LOADER
    yamlfile._FAST_LOADER = fast
    try:
        doc, problems = yamlfile.parse_yaml(text.encode("utf-8"), "cards/x.yaml")
    finally:
        yamlfile._FAST_LOADER = saved
    messages = [str(p) for p in problems]
    if doc is None:
        return None, messages
    return repr(doc.data), sorted(map(repr, doc.positions.items())), sorted(map(repr, doc.key_positions.items())), messages


def test_yaml_reads_the_same_with_and_without_libyaml(repo):
    import random

    from kaartenoptafel.load import yamlfile

    fast = yamlfile._FAST_LOADER
    if fast is None:
        return  # PyYAML without libyaml: there is only one way to read
    texts = [p.read_text("utf-8") for p in sorted((repo / "cards").rglob("*.yaml")) + sorted((repo / "layouts").glob("*.yaml"))]
    rng = random.Random(5)
    pieces = [":", "- ", "? ", "?", "[", "]", "{", "}", "\t", "\n", "  ", "#", "|", ">", "&a ", "*a", "''", '"', "\r\n"]
    mutated = []
    for _ in range(300):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        text = text[start : start + rng.randrange(40, 400)]
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at:]
        mutated.append(text)
    for text in texts + TRICKY + mutated:
        assert _read(text, fast) == _read(text, None), text[:200]


def test_style_colours_compare_like_the_strings_they_replace():
    """reportlab switches colour where two pieces' colours differ; a string never equals a parsed colour."""
    from reportlab.lib.colors import HexColor

    ink = text._style_colour("#1d1d1b")
    assert ink is text._style_colour("#1d1d1b") and ink == ink and not (ink != ink)
    parsed = HexColor("#1d1d1b")  # what <font color="#1d1d1b"> gives
    assert ink != parsed and parsed != ink and not (ink == parsed) and not (parsed == ink)
    assert (ink.red, ink.green, ink.blue, ink.alpha) == (parsed.red, parsed.green, parsed.blue, parsed.alpha)
    assert text._style_colour("not a colour") == "not a colour"


# -- the guide: laid out as often as its contents need, drawn once per format ---------------------------


def test_the_guide_draws_each_card_once_per_format(repo, tmp_path, monkeypatch):
    """The passes that settle the contents only measure: every catalogue card and every card of the cover's fan
    is drawn once in the A4 guide and once in the A5 booklet, not once per pass."""
    from collections import Counter

    from reportlab.platypus.doctemplate import BaseDocTemplate

    from kaartenoptafel.build import BuildOptions, build
    from kaartenoptafel.products import guide_doc, guide_flowables

    catalogue, cover, passes = [], [], []
    for module, seen in ((guide_flowables, catalogue), (guide_doc, cover)):
        real = module.draw_card
        monkeypatch.setattr(module, "draw_card", lambda c, lay, bleed, real=real, seen=seen: (
            seen.append((c._pagesize, lay.id)), real(c, lay, bleed)))
    real_build = BaseDocTemplate.build
    monkeypatch.setattr(BaseDocTemplate, "build", lambda self, *a, **k: (passes.append(type(self)),
                                                                          real_build(self, *a, **k))[1])
    # in this process (jobs=1): a parallel build draws the A4 guide and the booklet in workers, out of sight here
    manifest = build(BuildOptions(project=repo, out_dir=tmp_path, only=("guide",), quiet=True, jobs=1))
    assert {p["kind"] for p in manifest["products"]} == {"guide-a4", "guide-booklet"}
    assert len({page for page, _ in catalogue}) == 2  # A4 and A5
    assert len(set(catalogue)) >= 2 * 60  # the default kit's cards, on each
    assert set(Counter(catalogue).values()) == {1}  # each once per format
    assert cover and set(Counter(cover).values()) == {1}
    assert passes.count(guide_doc.GuideDoc) <= 6  # two measuring passes and one drawing pass per format


def test_the_hyphenation_dictionary_is_read_only_when_a_word_needs_it(monkeypatch):
    """Reading pyphen's Dutch dictionary costs a start of `kot preview` 0.04 s; short or capitalised words never
    need it, so it is read at the first word that may be split, and once."""
    import pyphen

    made = []
    real = pyphen.Pyphen
    monkeypatch.setattr(pyphen, "Pyphen", lambda **kw: made.append(kw) or real(**kw))
    split = text.hyphenator.__wrapped__("nl_NL", 10)  # not the cached one: a fresh splitter
    assert split("kaart") == [] and split("Samenwerkingsverband") == [] and made == []
    pairs = split("samenwerkingsafspraak")
    assert ("samen", "werkingsafspraak") in pairs and all(head + tail == "samenwerkingsafspraak" for head, tail in pairs)
    assert split("informatiepunten") is not None and len(made) == 1


def test_a_build_keeps_what_lives_between_products_out_of_the_collector_and_gives_it_back(repo, tmp_path, monkeypatch):
    """The GC policy of `kot build` (build._settle): each product runs with the loaded kit and everything made
    before it frozen, after a collection; when the build ends nothing it froze stays frozen."""
    import gc

    from kaartenoptafel import build as build_module

    build_module._load_optional_products()
    seen = {}
    before = gc.get_freeze_count()
    for name in ("board", "guide"):
        real = build_module.PRODUCTS[name]

        def counting(job, real=real, name=name):
            seen[name] = gc.get_freeze_count()
            real(job)

        monkeypatch.setitem(build_module.PRODUCTS, name, counting)
    # one after another (jobs=1): the products see this process's collector (in parallel each worker inherits the
    # frozen kit from the parent and settles after each of its products the same way)
    build_module.build(build_module.BuildOptions(project=repo, out_dir=tmp_path, only=("board", "guide"), quiet=True,
                                                 jobs=1))
    assert seen["board"] > before + 10_000  # the loaded kit: frozen before the first product
    assert seen["guide"] > seen["board"]  # and what the board left alive (remembered fits, its manifest entry)
    assert gc.get_freeze_count() == before


def test_reportlabs_c_accelerator_changes_no_byte(repo, tmp_path):
    """rl-accel (a dependency) replaces reportlab's number formatting and string widths with C: the decks and
    the guide come out byte for byte the same as with reportlab's own Python versions."""
    import hashlib
    import subprocess
    import sys

    import reportlab.lib.rl_accel as accel

    assert accel.fp_str.__module__ != "reportlab.lib.rl_accel", "rl-accel is not installed"
    script = ("import sys, runpy\n"
              "if sys.argv.pop(1) == 'python': sys.modules['_rl_accel'] = None  # reportlab's fallbacks\n"
              "import reportlab.lib.rl_accel as a\n"
              "assert (a.fp_str.__module__ == 'reportlab.lib.rl_accel') == (sys.modules.get('_rl_accel') is None)\n"
              "sys.argv = ['kot'] + sys.argv[1:]\n"
              "runpy.run_module('kaartenoptafel', run_name='__main__')\n")
    sums = {}
    for mode in ("c", "python"):
        out = tmp_path / mode
        subprocess.run([sys.executable, "-c", script, mode, "build", "-p", str(repo), "--out", str(out), "-q",
                        "--only", "deck", "--only", "guide"], check=True, cwd=tmp_path)
        sums[mode] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "default").glob("*.pdf"))}
    assert len(sums["c"]) >= 4 and sums["c"] == sums["python"]


def test_the_kit_is_resolved_once_for_every_types_shared_text_sizes(repo, monkeypatch):
    """Types that share one text size per side look at all their cards: the kit is resolved once for all of them,
    and for the checks and the build."""
    import kaartenoptafel.resolve as resolve_module

    calls = []
    real = resolve_module.resolve
    monkeypatch.setattr(resolve_module, "resolve", lambda kit: calls.append(kit) or real(kit))
    ctx = prepare(repo)  # its checks look at every card
    printed = expand(ctx.resolved())
    out = Collector()
    for card in printed:
        assert card_layout.layout_card(ctx, card, out) is not None
        if has_card_backs(ctx, card.type):
            from kaartenoptafel.layout.back import layout_card_back

            assert layout_card_back(ctx, card, out) is not None
    shared = set(ctx._type_sizes)
    assert len({t for t, _ in shared}) >= 3  # several types (and a back) share sizes
    assert len(calls) == 1


def test_a_text_is_parsed_once_for_all_its_trial_sizes(repo, monkeypatch):
    """The fitter tries a text at several sizes: reportlab's markup parser reads it once, and the paragraphs made
    from its fragments wrap exactly like paragraphs parsed at their own size."""
    from reportlab.platypus import paraparser

    family = prepare(repo).family
    parses = []
    real = paraparser.ParaParser.parse
    monkeypatch.setattr(paraparser.ParaParser, "parse", lambda self, t, s: parses.append(t) or real(self, t, s))
    style = text.TextStyle(family=family, colour="#203040", label_colour="#a03020", strict_words=True)
    item = text.Item("regels", "Regels", items=("Een **vette** regel met *schuine* tekst die over twee of drie "
                                                "regels loopt, met een citaat: \"zo'n kaart\".", "Kort."))
    sizes = (11.0, 9.5, 8.2, 7.0)
    made = {size: text.build_item(item, style, size) for size in sizes}
    assert len(parses) == 3  # the label and the two entries, once each
    for size in sizes:
        plain = [Paragraph(p.text, p.style, bulletText=p.bulletText) for p in made[size]]  # parsed at this size
        pdfs = []
        for paras in (made[size], plain):
            c, buf = _canvas(family)
            y = 190.0
            for para in paras:
                assert [f.fontSize for f in para.frags] == [size] * len(para.frags)
                y -= para.wrap(120, 1e6)[1]
                para.drawOn(c, 5, y)
            c.showPage()
            c.save()
            pdfs.append(buf.getvalue())
        assert pdfs[0] == pdfs[1]
