"""The size search that starts at an estimate finds exactly the size the plain bisection finds.

``text._fit`` gallops from an estimated size over the sizes the bisection can try; ``text.common_size`` tries each
card of a type at one candidate size and fits only the cards that do not fit there. Both must give the same sizes,
line breaks and overflow reports as fitting from the top and as fitting every card (``_fit_bisect``,
``_common_size_stepped``), and must wrap far fewer paragraphs.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace

import pytest

from kaartenoptafel.build import prepare
from kaartenoptafel.layout import card as card_layout
from kaartenoptafel.layout import text
from kaartenoptafel.layout.text import Item, TextStyle


def _lines(fitted) -> list:
    out = []
    for flow, h, space in fitted.flowables:
        para = flow.blPara
        out.append((h, space, [tuple(map(str, line[1])) if isinstance(line, tuple)
                               else "".join(str(getattr(w, "text", "")) for w in line.words) for line in para.lines]))
    return out


def _kit_texts(repo) -> tuple[object, list[str]]:
    ctx = prepare(repo)
    texts = []
    for card in ctx.resolved():
        for value in card.values.values():
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str) and len(v) > 2 and "/" not in v:
                    texts.append(v)
    return ctx, sorted(set(texts))


def test_search_finds_the_bisections_size_and_line_breaks(repo):
    ctx, texts = _kit_texts(repo)
    rng = random.Random(16)
    base = TextStyle(ctx.family, "#1d1d1b", "#5b5b5b", strict_words=True)
    seen = {"fits at the top": 0, "shrunk": 0, "overflow": 0}
    for n in range(400):
        k = rng.randint(1, 4)
        items = []
        for j in range(k):
            if rng.random() < 0.3:
                items.append(Item(f"f{j}", rng.choice([None, "Wat"]), items=tuple(rng.sample(texts, rng.randint(1, 4)))))
            else:
                items.append(Item(f"f{j}", rng.choice([None, "Doel", None]), text=rng.choice(texts)))
        style = replace(base, leading=rng.choice([1.15, 1.2, 1.3]), bold=rng.random() < 0.2,
                        strict_words=rng.random() < 0.8, hyphenate=rng.random() < 0.3,
                        align=rng.choice(["left", "justify", "center"]))
        width = rng.uniform(50, 170)
        height = rng.uniform(20, 260)
        top = rng.choice([9.0, 10.0, 11.5, 14.0, 16.0])
        low = rng.choice([6.0, 7.0, 8.0, 8.5])
        args = (tuple(items), style, width, height, top, low)
        got = text._fit.__wrapped__(*args)
        want = text._fit_bisect.__wrapped__(*args)
        if isinstance(want, tuple):
            seen["overflow"] += 1
            assert got == want, args
            continue
        seen["fits at the top" if want.size == top else "shrunk"] += 1
        assert got.size == want.size and got.height == want.height, args
        assert _lines(got) == _lines(want)
    assert min(seen.values()) >= 10, seen  # every outcome was compared, not only the easy one


def _synthetic(repo, tmp_path, n: int):
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        from synth import make_project
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    make_project(repo, tmp_path / "p", n, variety="unique", images=False)
    return prepare(tmp_path / "p")


def _jobs(ctx):
    """Per card type and side: (cards, frames)."""
    cards = ctx.resolved()
    for type_id in sorted({c.type for c in cards}):
        tl = ctx.type_layout(ctx.kit.types[type_id])
        for frames in (tl.frames, tl.back_frames):
            if frames:
                yield [c for c in cards if c.type == type_id], frames


@pytest.mark.parametrize("kit", ["default", "unique"])
def test_one_size_per_type_is_the_smallest_of_every_cards_fit(repo, tmp_path, monkeypatch, kit):
    ctx = prepare(repo) if kit == "default" else _synthetic(repo, tmp_path, 240)
    laid = []
    real_lay = text._lay
    monkeypatch.setattr(text, "_lay", lambda *a: laid.append(a) or real_lay(*a))
    sizes, stacks = [], 0
    for cards, frames in _jobs(ctx):
        sizes.append(card_layout._common_sizes(ctx, cards, frames))
        stacks += sum(1 for c in cards for f in frames if f.kind in ("text", "stack")
                      and card_layout._frame_items(ctx.kit.types[c.type], c, f))
    searched = len({(items, size, width) for items, style, size, width in laid})  # wraps: each is remembered
    monkeypatch.setattr(card_layout, "common_size", text._common_size_stepped)
    monkeypatch.setattr(text, "_fit", text._fit_bisect.__wrapped__)
    del laid[:]
    plain = [card_layout._common_sizes(ctx, cards, frames) for cards, frames in _jobs(ctx)]
    assert sizes == plain
    assert any(s < max_s for found in sizes for s, max_s in
               [(v, ctx.spec.styles[k].size) for k, v in found.items()])  # some type shrinks
    # each stack is wrapped about once (at the size it prints at), not at every size of a bisection
    plain_wraps = len({(items, size, width) for items, style, size, width in laid})
    assert searched <= 1.25 * stacks + 40, (searched, stacks, plain_wraps)
    print(kit, stacks, searched, plain_wraps)
    assert plain_wraps > 1.4 * searched


# -- the per-type sizes remembered on disk by `kot preview` --------------------------------------------------------

LONGER = """\
  - id: lang
    type: rol
    titel: Buurtteam
    groep: werk
    missie: We helpen bewoners met geldzaken, met lastige brieven en met de weg in de buurt.
    brengt: [Bewoners met vragen over geld en schulden, Kennis van alle regelingen in de gemeente, Vrijwilligers]
    haalt: [Hulp bij lastige brieven van instanties, Tijd en aandacht van professionals in wijk]
    beperking: We zijn maar twee dagen per week open.
    belang: Minder schulden en minder stress in de wijk.
"""


def _preview(monkeypatch, capsys, cwd, project, png) -> bytes:
    from test_editing import kot

    monkeypatch.chdir(cwd)
    code, _, err = kot(monkeypatch, capsys, "preview", "uwv", "-p", project, "--dpi", 60, "-o", png)
    assert code == 0, err
    return png.read_bytes()


def test_preview_remembers_its_types_size_and_a_changed_type_misses(repo, tmp_path, monkeypatch, capsys):
    from test_editing import SAMPLE, make_project

    project = make_project(tmp_path / "proj", repo)
    work = tmp_path / "work"
    work.mkdir()
    cold = _preview(monkeypatch, capsys, work, project, tmp_path / "cold.png")
    remembered = sorted((work / "output" / ".cache" / "sizes").glob("*.json"))
    assert remembered  # the sizes of the card's type, front and back

    worked_out = []
    real = text.common_size
    monkeypatch.setattr(text, "common_size", lambda *a: worked_out.append(a) or real(*a))
    warm = _preview(monkeypatch, capsys, work, project, tmp_path / "warm.png")
    assert warm == cold and worked_out == []  # read, not worked out again

    # another card of the type makes its text smaller: the remembered size no longer applies
    (project / "cards" / "sample.yaml").write_text(SAMPLE + LONGER, "utf-8")
    changed = _preview(monkeypatch, capsys, work, project, tmp_path / "changed.png")
    assert worked_out  # a miss: the size was worked out again
    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    fresh = _preview(monkeypatch, capsys, fresh_dir, project, tmp_path / "fresh.png")  # no cache at all
    assert changed == fresh
    assert changed != cold  # the type's text did shrink, so a stale size would have shown
    ctx = prepare(project)
    assert len(sorted((work / "output" / ".cache" / "sizes").glob("*.json"))) > len(remembered)
    assert ctx  # the changed project is valid


def _frag_fields(frags) -> list:
    return [sorted((k, repr(v)) for k, v in vars(f).items()) for f in frags]


def test_plain_texts_get_the_fragments_reportlabs_parser_makes(repo):
    """Texts without tags or entities (and labels followed by such a text) skip reportlab's parser: their fragments
    must be exactly the parser's, every attribute."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText
    from reportlab.platypus.paraparser import ParaParser

    ctx, texts = _kit_texts(repo)
    texts += ["a  b\\n c", " lead", "trail ", "x", "Wat > dit & dat", "ｆｕｌｌ", "tab\\there", "één \u00a0 twee"]
    base = TextStyle(ctx.family, "#1d1d1b", "#5b5b5b", strict_words=True)
    fast = 0
    for style in (base, replace(base, bold=True), replace(base, italic=True, align="justify")):
        for size in (8.0, 10.5):
            ps = text.paragraph_style(style, size)
            for t in texts:
                for label in (None, "Doel", "Wat & hoe"):
                    for markup in [text.to_markup(t, False, "nl")] + (
                            [f'<font color="{style.label_colour}"><b>{text.escape(label)}</b></font>: '
                             f'{text.to_markup(t, False, "nl")}'] if label else []):
                        cleaned = cleanBlockQuotedText(markup)
                        got = text._plain_frags(cleaned, ps)
                        if got is None:
                            continue
                        fast += 1
                        parser = ParaParser()
                        parser.caseSensitive = 1
                        style_back, want, bullets = parser.parse(cleaned, ps)
                        assert style_back is ps and not bullets
                        assert _frag_fields(got) == _frag_fields(want), markup
    assert fast > 1000
