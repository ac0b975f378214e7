"""The facilitator guide: validated at load time, built from the same data as the cards (A4 and A5 booklet).

The checks read the real PDFs: the checklist's numbers against manifest.json, the booklet's page numbers
after a simulated fold, the outline, the catalogue's captions, the fonts, and where the text lies.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from kaartenoptafel.build import BuildOptions, build
from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.booklet import padded, reading_order, sides, two_up
from kaartenoptafel.load.checks import fill as fill_variables
from kaartenoptafel.load.guide import parse_guide
from kaartenoptafel.project import load_project
from kaartenoptafel.load.yamlfile import read_yaml

from pdfcheck import fonts, qpdf_problems

MM = 72 / 25.4

# The guide text used when the repository has no guide yet (cards/gids.yaml); the tests read the real
# one when it exists. Its rounds add up to game.yaml's 75 minutes.
GIDS = """\
guide:
  intro: |
    In **Kaarten op Tafel** stap je in de schoenen van een partner van {bibliotheek}.

    Deze handleiding helpt je om het spel te leiden, ook als je het nog nooit hebt gespeeld.
  goal: Je ervaart wat goed samenwerken nodig heeft.
  audience: Medewerkers van {bibliotheek} en van hun partners in {gemeente}.
  preparation:
    - Print de kaarten en het bord. De lijst hierboven zegt hoeveel.
    - Zet per tafel 4 tot 6 stoelen klaar.
  rounds:
    - title: Welkom
      minutes: 5
      goal: Iedereen weet waarom we dit spel spelen.
      say: |
        Welkom! Vandaag stappen we in elkaars schoenen.

        We spelen een uur en een kwartier.
      steps: [Heet iedereen welkom., Vertel het doel van het spel.]
    - {title: In je rol, minutes: 10, say: Pak een rolkaart en lees hem goed., steps: [Deel de rolkaarten uit.]}
    - {title: De casus, minutes: 15, steps: [Leg een situatiekaart in het midden., Bouw samen een route.]}
    - {title: Geven en nemen, minutes: 15, steps: [Maak tweetallen., Vul samen een afspraak in.]}
    - {title: Een gebeurtenis, minutes: 10, steps: [Trek een gebeurteniskaart.]}
    - {title: Op bezoek, minutes: 5, steps: [Eén speler gaat naar een andere tafel.]}
    - {title: Nabespreking, minutes: 15, steps: [Stap uit je rol., Bespreek de vragen.]}
  tips: [Let op de tijd., Niemand hoeft te winnen.]
  debrief: Laat de spelers eerst uit hun rol stappen.
"""


def kot(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", *args], capture_output=True, text=True, cwd=cwd)


def guide_files(cards: Path) -> list[Path]:
    """The files in ``cards`` that hold a top-level ``guide:``."""
    found = []
    for path in sorted(cards.glob("*.yaml")):
        doc, _ = read_yaml(path)
        if doc is not None and isinstance(doc.data, dict) and "guide" in doc.data:
            found.append(path)
    return found


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory, repo) -> Path:
    """The default kit; a copy with the GIDS text when the repository has no guide text."""
    if guide_files(repo / "cards"):
        return repo
    root = tmp_path_factory.mktemp("guidekit")
    for name in ("cards", "layouts"):
        shutil.copytree(repo / name, root / name)
    (root / "cards" / "gids.yaml").write_text(GIDS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def out(kit_dir, repo, request, tmp_path_factory) -> Path:
    """A full build (every product) of the kit with its guide: the session's build of the default kit."""
    if kit_dir == repo:
        return request.getfixturevalue("built")
    target = tmp_path_factory.mktemp("guideout")
    build(BuildOptions(project=kit_dir, out_dir=target, quiet=True))
    return target / "default"


@pytest.fixture(scope="module")
def manifest(out) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def kit(kit_dir):
    return load_project(kit_dir)


@pytest.fixture(scope="module")
def labels(kit) -> dict:
    return kit.sections["labels"].data


@pytest.fixture(scope="module")
def guide(kit):
    return parse_guide(kit.sections["guide"], kit.game, kit.types, Collector())


def page_texts(path: Path) -> list[str]:
    return [page.extract_text(extraction_mode="layout") or "" for page in PdfReader(str(path)).pages]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, 0-based page) of every outline entry, in order."""
    reader = PdfReader(str(path))
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def fill(text: str, kit, **values) -> str:
    return fill_variables(text, {**kit.game.variables, "title": kit.game.title, **values})


# -- validation (load time) ----------------------------------------------------------------------


def write_guide(project: Path, body: str) -> None:
    for path in guide_files(project / "cards"):
        path.unlink()
    (project / "cards" / "gids.yaml").write_text(textwrap.dedent(body), encoding="utf-8")


def test_rounds_that_do_not_add_up_fail_validation_at_the_rounds(project: Path):
    write_guide(project, """\
        guide:
          goal: Samen werken.
          rounds:
            - {title: Welkom, minutes: 5}
            - {title: Spelen, minutes: 60}
        """)
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    assert ("cards/gids.yaml:3:3: error: the rounds take 5 + 60 = 65 minutes, but the game lasts 75 minutes"
            in result.stderr)


def test_every_guide_mistake_is_located(project: Path):
    write_guide(project, """\
        guide:
          intro: Hallo {onbekend}.
          tipps: [Let op de tijd.]
          rounds:
            - {title: Welkom, minutes: nul}
            - {minutes: 75, zeg: Hallo}
          questions: {type: vragen}
        """)
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    err = result.stderr
    assert "cards/gids.yaml:2:10: error: unknown variable '{onbekend}'" in err
    assert "cards/gids.yaml:3:3: error: unknown key 'tipps' in 'guide' (did you mean 'tips'?)" in err
    assert "cards/gids.yaml:5:32: error: the minutes of round 1 must be a whole number" in err
    assert "cards/gids.yaml:6:7: error: round 2 has no 'title'" in err
    assert "cards/gids.yaml:6:21: error: unknown key 'zeg' in round 2" in err
    assert "cards/gids.yaml:7:21: error: 'questions': unknown card type 'vragen' (did you mean 'vraag'?)" in err
    assert "nothing was written" in err


# -- the booklet's page order (pure) -------------------------------------------------------------


def test_booklet_order_matches_the_print_shop_rule():
    assert sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert sides(6) == [(None, 1), (2, None), (6, 3), (4, 5)]  # padding stays blank, at the end
    assert [padded(n) for n in (1, 4, 5, 8, 9, 13)] == [4, 4, 8, 8, 12, 16]


@given(st.integers(min_value=1, max_value=200))
def test_folding_the_sheets_reads_every_page_in_order(n):
    order = sides(n)
    assert len(order) * 2 == padded(n) and len(order) % 2 == 0
    assert reading_order(order) == list(range(1, n + 1)) + [None] * (padded(n) - n)


def test_two_up_places_a5_pages_exactly_on_the_halves_of_a4():
    left, right = two_up(297 * MM, 210 * MM, 148 * MM, 210 * MM)
    assert left.scale == pytest.approx(1.0) and right.scale == pytest.approx(1.0)
    assert left.x + 148 * MM == pytest.approx(148.5 * MM)  # both pages meet at the fold
    assert right.x == pytest.approx(148.5 * MM) and left.y == right.y == pytest.approx(0)
    # letter paper: scaled down to fit, still meeting at the fold and centred top to bottom
    left, right = two_up(215.9 * MM, 279.4 * MM, 148 * MM, 210 * MM)
    assert left.scale < 1 and left.x + 148 * MM * left.scale == pytest.approx(279.4 * MM / 2)
    assert left.y * 2 + 210 * MM * left.scale == pytest.approx(215.9 * MM)


# -- the built guide -----------------------------------------------------------------------------


def test_manifest_lists_both_guides_with_their_real_page_counts(out, manifest):
    entries = {p["kind"]: p for p in manifest["products"]}
    a4, booklet = entries["guide-a4"], entries["guide-booklet"]
    assert a4["path"] == "guide-a4.pdf" and booklet["path"] == "guide-booklet.pdf"
    assert len(PdfReader(str(out / a4["path"])).pages) == a4["pages"]
    reader = PdfReader(str(out / booklet["path"]))
    assert len(reader.pages) == booklet["pages"] == booklet["booklet_pages"] // 2
    assert booklet["booklet_pages"] % 4 == 0


def test_pages_are_a4_and_a4_landscape_fonts_embedded_no_helvetica(out):
    for name, size in (("guide-a4.pdf", (210, 297)), ("guide-booklet.pdf", (297, 210))):
        path = out / name
        for page in PdfReader(str(path)).pages:
            w, h = float(page.mediabox.width) / MM, float(page.mediabox.height) / MM
            assert (round(w), round(h)) == size
        used = fonts(path)
        assert used and all(f["embedded"] for f in used), used
        assert not any("Helvetica" in f["name"] for f in used)
        assert qpdf_problems(path) == []


def test_booklet_asks_for_duplex_flip_on_the_short_edge(out):
    prefs = PdfReader(str(out / "guide-booklet.pdf")).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"


def test_folded_booklet_reads_1_2_3_in_order(out, manifest):
    """Read the page number printed in the footer of each half sheet; fold the sheets; read the booklet."""
    pdf = pdfium.PdfDocument(str(out / "guide-booklet.pdf"))
    printed = []
    try:
        for page in pdf:
            w, _ = page.get_size()
            text = page.get_textpage()
            halves = []
            for x0 in (0, w / 2):
                footer = text.get_text_bounded(x0, 0, x0 + w / 2, 20 * MM)
                numbers = re.findall(r"\b\d+\b", footer)
                halves.append(int(numbers[0]) if numbers else None)
            printed.append(tuple(halves))
    finally:
        pdf.close()
    n = {p["kind"]: p for p in manifest["products"]}["guide-booklet"]["booklet_pages"]
    order = reading_order(printed)
    assert order[0] is None  # the cover carries no number
    assert order[1:] == list(range(2, n + 1))


def test_outline_lists_every_chapter_and_round(out, kit, guide, labels):
    entries = outline(out / "guide-a4.pdf")
    chapters = [title for level, title, _ in entries if level == 0]
    expected = [labels[k] for k in ("guide_contents", "guide_about", "guide_materials")]
    expected += [labels["guide_preparation"]] if guide.preparation else []
    expected += [labels["guide_schedule"]]
    expected += [labels["guide_rules"]] if "table_card" in kit.sections else []  # the table card's rules
    expected += [labels["guide_rounds"]]
    expected += [fill(guide.example.title, kit)] if guide.example else []  # the worked example
    expected += [labels["guide_tips"]] if guide.tips else []
    expected += [labels["guide_debrief"]]
    expected += [fill(labels["guide_region"], kit)] if "regio" in kit.game.variables else []
    expected += [labels["guide_catalogue"]]
    assert chapters == expected
    rounds = [title for level, title, _ in entries if level == 1 and title.startswith(labels["guide_round"][:5])]
    assert rounds == [fill(labels["guide_round"], kit, n=str(i), title=fill(r.title, kit))
                      for i, r in enumerate(guide.rounds, start=1)]
    toc = "\n".join(page_texts(out / "guide-a4.pdf")[1:3])
    for title in expected[1:]:
        assert title in toc


def test_timing_table_adds_up_to_the_duration(out, kit, guide, labels):
    schedule = next(page for level, title, page in outline(out / "guide-a4.pdf") if title == labels["guide_schedule"])
    text = page_texts(out / "guide-a4.pdf")[schedule]
    for n, r in enumerate(guide.rounds, start=1):
        assert re.search(rf"^\s*{n}\s+{re.escape(r.title)}\s+{r.minutes}\s", text, re.M), r.title
    total = re.search(rf"{labels['guide_schedule_total']}\s+(\d+)\s", text)
    assert total and int(total.group(1)) == kit.game.duration == sum(r.minutes for r in guide.rounds)


def test_materials_checklist_equals_what_the_build_made(out, manifest, kit, guide, labels):
    """Every number of the checklist, read from the PDF, against manifest.json and the types' ``per``.

    A per-session type (``per: session``) is counted once ('–' per table); everything else per table."""
    materials = next(page for level, title, page in outline(out / "guide-a4.pdf")
                     if title == labels["guide_materials"])
    texts = page_texts(out / "guide-a4.pdf")
    lines = (texts[materials] + "\n" + texts[materials + 1]).splitlines()  # the list may run onto the next page
    tables = kit.game.tables

    def numbers_of(start: int):
        for line in reversed(lines[: start + 1]):
            m = re.search(r"\s(–|\d+)\s+(\d+)\s*$", line) or re.search(r"\s(–)\s*$", line)
            if m:
                per = None if m.group(1) == "–" else int(m.group(1))
                total = int(m.group(2)) if m.lastindex and m.lastindex > 1 else None
                return per, total
        raise AssertionError(f"no numbers above line {start}")

    def row(pattern: str):
        for i, line in enumerate(lines):
            if re.search(pattern, line):
                return numbers_of(i)
        raise AssertionError(f"no line matches {pattern!r}")

    per_type = manifest["cards_per_type"]
    once = {t for t, ct in kit.types.items() if ct.per == "session"}
    assert once, "the default kit prints the role deck once per session"
    table_cards = sum(n for t, n in per_type.items() if t not in once)
    once_cards = sum(n for t, n in per_type.items() if t in once)
    for tid, n in per_type.items():
        if not n:
            continue
        name = re.escape(kit.types[tid].plural)
        if tid in once:
            assert row(rf"^\s*{name}:") == (None, n), tid
        else:
            assert row(rf"^\s*{name}\s+\d") == (n, n * tables), tid
    assert row(rf"{re.escape(labels['guide_materials_cards'])}\s+\d") == (table_cards,
                                                                          table_cards * tables + once_cards)
    assert table_cards * tables + once_cards < manifest["cards"] * tables  # less to print than a deck per table
    others = [p for p in manifest["products"] if not p["kind"].startswith("guide")]
    kinds = {p["kind"] for p in others}
    assert {"deck-home", "deck-printshop", "table-card", "facilitator-screen", "worksheet-afspraak"} <= kinds
    for p in others:
        file_row = rf"^\s*{re.escape(p['path'])}\s*$"
        if p["kind"] == "deck-printshop":
            assert p["pages"] == 2 * manifest["cards"]  # a front and a back page per card
            assert row(file_row) == (table_cards, table_cards * tables + once_cards)
        elif p["kind"] == "deck-home":
            continue  # checked against the sheets of each type in its own test
        elif p["kind"] == "facilitator-screen":
            assert row(file_row) == (None, None)  # not printed: opened on the facilitator's laptop
        else:
            sheets = (p["pages"] + 1) // 2 if p.get("duplex") in ("long", "short") else p["pages"]
            n = guide.copies.get(p["kind"], 1)
            n = kit.game.players_max // 2 if n == "pairs" else n
            assert row(file_row) == (sheets * n, sheets * n * tables), p["path"]
    assert guide.copies.get("worksheet-afspraak") == "pairs"  # one agreement sheet per pair of players
    assert row(r"^\s*worksheet-afspraak-a4\.pdf\s*$")[0] == kit.game.players_max // 2


def test_about_page_counts_the_cards_as_the_checklist_does(out, manifest, kit, labels):
    """'Over het spel' says how many cards a table gets and how many the session shares, the checklist's figures;
    not the deck's total (118 printed once, which read as 'Kaarten per tafel 118' beside a checklist of 53)."""
    about = next(page for level, title, page in outline(out / "guide-a4.pdf") if title == labels["guide_about"])
    text = " ".join(page_texts(out / "guide-a4.pdf")[about].split())
    once = {t for t, ct in kit.types.items() if ct.per == "session"}
    per_type = manifest["cards_per_type"]
    table = sum(n for t, n in per_type.items() if t not in once)
    session = sum(n for t, n in per_type.items() if t in once)
    assert table and session and table + session == manifest["cards"]
    expected = " ".join(fill(labels["guide_fact_cards_count"], kit, table=table, session=session).split())
    assert f"{labels['guide_fact_cards']} {expected}" in text, text
    assert not re.search(rf"\b{manifest['cards']}\b", text)  # the deck's total is no per-table figure


def test_print_plan_names_the_deck_sheets_to_print_once_and_per_table(out, manifest, kit, labels):
    """The home deck: the sheets of per-session types once, the others per table; the sheet numbers are the
    ones the deck's own captions give each type."""
    deck = next(p for p in manifest["products"] if p["kind"] == "deck-home")
    captions = [page.extract_text() or "" for page in PdfReader(str(out / deck["path"])).pages]
    once = [t for t, ct in kit.types.items() if ct.per == "session" and manifest["cards_per_type"].get(t)]
    found = {}
    for i, text in enumerate(captions[::2] if deck.get("duplex") in ("long", "short") else captions, start=1):
        for tid in kit.types:
            if f"· {kit.types[tid].plural} ·" in text or f"· {kit.types[tid].plural}" in text.splitlines()[-1:]:
                found.setdefault(tid, []).append(i)
    if not found:
        pytest.skip("the deck's sheet captions do not name their type yet")
    materials = next(page for level, title, page in outline(out / "guide-a4.pdf")
                     if title == labels["guide_materials"])
    text = re.sub(r"\s+", " ", page_texts(out / "guide-a4.pdf")[materials])
    whole = re.escape(re.sub(r"\{[^}]*\}.*", "", labels["guide_material_deck-home"]).strip())
    if re.search(whole, text) and not deck.get("sheets_by_type"):
        pytest.skip("the deck paginates in a way the plan cannot split (it then lists the whole deck per table)")
    sheets = sorted(n for tid in once for n in found[tid])
    assert sheets == list(range(sheets[0], sheets[-1] + 1))  # the per-session types come first, together
    span = str(sheets[0]) if sheets[0] == sheets[-1] else f"{sheets[0]}–{sheets[-1]}"
    assert re.search(rf"\b{span}(?![\d–])", text), (span, text[:600])
    rest = sorted(n for tid, ns in found.items() if tid not in once for n in ns)
    if rest:
        span = str(rest[0]) if rest[0] == rest[-1] else f"{rest[0]}–{rest[-1]}"
        assert re.search(rf"\b{span}(?![\d–])", text), span


def test_debrief_lists_every_question_card(out, kit, labels):
    text = re.sub(r"\s+", " ", " ".join(page_texts(out / "guide-a4.pdf")))
    for card in kit.cards_of("vraag"):
        assert card.fields["titel"] in text
        assert re.sub(r"\s+", " ", fill(card.fields["vraag"], kit)).replace("*", "")[:40] in text


def catalogue_captions(path: Path, first_page: int) -> list[str]:
    """Text drawn at full scale on the catalogue pages (captions, headings): the small cards are drawn scaled."""
    found = []
    reader = PdfReader(str(path))
    for page in reader.pages[first_page:]:
        def visit(text, cm, tm, font, size):
            if text.strip() and abs(cm[0] - 1) < 1e-6 and abs(cm[3] - 1) < 1e-6:
                found.extend(text.split())
        page.extract_text(visitor_text=visit)
    return found


def test_catalogue_shows_every_card_id_once(out, kit, labels):
    entries = outline(out / "guide-a4.pdf")
    start = next(page for level, title, page in entries if level == 0 and title == labels["guide_catalogue"])
    words = catalogue_captions(out / "guide-a4.pdf", start)
    for card in kit.cards:
        assert words.count(card.id) == 1, card.id
    per_type = [title for level, title, page in entries if level == 1 and page >= start]
    assert per_type == [fill(labels["guide_catalogue_type"], kit, plural=t.plural, n=str(len(kit.cards_of(tid))))
                        for tid, t in kit.types.items() if kit.cards_of(tid)]


def test_text_stays_inside_the_margins_and_no_heading_ends_a_page(out, labels):
    """No clipped text: every character lies inside the page's frame (or its footer). No orphaned heading:
    below each heading in the outline there is more text on its page than the footer."""
    path = out / "guide-a4.pdf"
    pdf = pdfium.PdfDocument(str(path))
    try:
        w, h = pdf[0].get_size()
        for index in range(1, len(pdf)):  # the cover's picture may turn cards, the rest keeps to the frame
            text = pdf[index].get_textpage()
            for i in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(i)
                if right - left <= 0:
                    continue
                assert 20 * MM <= left and right <= w - 20 * MM, (index + 1, text.get_text_range(i, 1))
                assert 10 * MM <= bottom and top <= h - 18 * MM, (index + 1, text.get_text_range(i, 1))
        for level, title, page in outline(path):
            text = pdf[page].get_textpage()
            searcher = text.search(title[:30])
            hit = searcher.get_next()
            assert hit, title
            _, bottom, _, _ = text.get_charbox(hit[0])
            below = text.get_text_bounded(0, 20 * MM, w, bottom - 2).strip()
            assert below, f"heading '{title}' ends page {page + 1}"
    finally:
        pdf.close()


def test_only_guide_counts_what_a_full_build_makes_and_is_deterministic(kit_dir, out, tmp_path):
    """--only guide builds the other products in a scratch folder to count them: the same bytes as before."""
    manifest = build(BuildOptions(project=kit_dir, out_dir=tmp_path, only=("guide",), quiet=True))
    assert {p["kind"] for p in manifest["products"]} == {"guide-a4", "guide-booklet"}
    assert sorted(p.name for p in (tmp_path / "default").iterdir()) == ["guide-a4.pdf", "guide-booklet.pdf",
                                                                       "manifest.json"]
    for name in ("guide-a4.pdf", "guide-booklet.pdf"):
        assert (tmp_path / "default" / name).read_bytes() == (out / name).read_bytes(), name


def test_a_kit_without_guide_text_builds_no_guide(tmp_path, repo):
    for name in ("cards", "layouts"):
        shutil.copytree(repo / name, tmp_path / name)
    for path in guide_files(tmp_path / "cards"):
        path.unlink()
    manifest = build(BuildOptions(project=tmp_path, out_dir=tmp_path / "o", only=("guide",), quiet=True))
    assert manifest["products"] == []


def test_a_wrong_per_in_types_is_located(project: Path):
    path = project / "cards" / "types.yaml"
    text = path.read_text("utf-8")
    assert "    per: session" in text
    line = text[: text.index("    per: session")].count("\n") + 1
    path.write_text(text.replace("    per: session", "    per: sessie", 1), "utf-8")
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    assert f"cards/types.yaml:{line}:10: error: type 'rol': 'per' must be 'table'" in result.stderr, result.stderr


def test_the_a4_contents_fit_on_one_page(out):
    """The contents of the A4 guide is page 2; no entry spills onto a page of its own (dot leaders on page 3)."""
    pages = page_texts(out / "guide-a4.pdf")
    leaders = [i for i, text in enumerate(pages, start=1) if re.search(r"(\.\s+){8}", text)]
    assert leaders == [2], leaders


def test_tables_option_counts_the_checklist_for_that_many_tables(repo, out, tmp_path):
    """`kot build --tables 3`: the guide says 3 tables and its checklist's total has one table's set less than the
    default build's 4 (cards/game.yaml); the manifest records the tables counted for."""
    def row(folder: Path) -> tuple[int, int]:
        text = " ".join(page_texts(folder / "guide-a4.pdf"))
        per_table, total = re.search(r"Alle kaarten samen\s+(\d+)\s+(\d+)", text).groups()
        return int(per_table), int(total)

    build(BuildOptions(project=repo, out_dir=tmp_path, only=("deck", "guide"), quiet=True, tables=3))
    three = tmp_path / "default"
    assert json.loads((three / "manifest.json").read_text("utf-8"))["tables"] == 3
    assert json.loads((out / "manifest.json").read_text("utf-8"))["tables"] == 4
    assert "voor 3 tafels" in re.sub(r"\s+", " ", " ".join(page_texts(three / "guide-a4.pdf")))
    (per, total3), (per4, total4) = row(three), row(out)
    assert per == per4 > 0 and total3 == total4 - per
    result = kot("build", "--project", str(repo), "--tables", "0", "--out", str(tmp_path / "x"), "-q")
    assert result.returncode == 2 and "--tables" in result.stderr


def test_region_page_lists_each_partner_once_in_paragraphs_of_bounded_length(project: Path):
    """A group of 30 role cards (two sharing a name) is listed on the region page with every name once, and in
    pieces of at most 12 names, so no paragraph grows with the kit (issue 16); the pieces read as one list."""
    base = (project / "cards" / "rollen.yaml").read_text("utf-8")
    first = base.index("  - id: sociaal-wijkteam")
    card = base[first:base.index("\n\n", first)]
    extra = ["cards:"]
    names = [f"Buurtpartner {n:02d}" for n in range(1, 30)] + ["Buurtpartner 07"]
    for n, name in enumerate(names):
        extra.append(card.replace("id: sociaal-wijkteam", f"id: buurt-{n}").replace("titel: Sociaal wijkteam",
                                                                                   f"titel: {name}"))
    (project / "cards" / "buurt.yaml").write_text("\n".join(extra) + "\n", encoding="utf-8")
    result = kot("build", "--only", "guide", "--out", str(project / "out"), "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    words = " ".join(" ".join(page_texts(project / "out" / "default" / "guide-a4.pdf")).split())
    start = words.index("Vindplaats & doorverwijzer: Buurtpartner 01")
    listed = words[start:words.index("Bijlage: alle kaarten", start)]  # the region list, up to the catalogue
    for name in names:
        assert listed.count(name) == 1, name
    assert "Buurtpartner 12, Buurtpartner 13" in listed  # a piece ends in a comma, the next goes on
    assert listed.index("Buurtpartner 29") < listed.index("Trainer & cursusaanbieder:")
