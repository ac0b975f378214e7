"""The table card (cards/tafel.yaml -> table-card-a4.pdf): validated at load time, built from data, large type.

Tests read the real PDF of a full build: its text, its font sizes (pt, as drawn), its tick boxes (mm, from the
page's drawing operators) and its fonts.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from pypdf import PdfReader

from kaartenoptafel.build import BuildOptions, build
from kaartenoptafel.errors import Collector
from kaartenoptafel.load.checks import fill
from kaartenoptafel.project import load_project
from kaartenoptafel.load.tablecard import parse_table_card

from kits import REPO
from pdfcheck import fonts, qpdf_problems

MM = 72 / 25.4


def kot(*args):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", *args], capture_output=True, text=True)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(text: str) -> str:
    """The text as it prints: no markup, and straight quotes as the game's typographic ones (layout.text)."""
    from kaartenoptafel.layout.text import typographic

    return flat(typographic(text, "nl").replace("**", ""))


@pytest.fixture(scope="module")
def manifest(built) -> dict:
    return json.loads((built / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def entry(manifest) -> dict:
    found = [p for p in manifest["products"] if p["kind"] == "table-card"]
    assert len(found) == 1, manifest["products"]
    return found[0]


@pytest.fixture(scope="module")
def kit(repo):
    return load_project(repo)


@pytest.fixture(scope="module")
def card(kit):
    return parse_table_card(kit.sections["table_card"], kit.game, Collector())


def sizes(path: Path) -> list[tuple[float, str]]:
    found = []
    for page in PdfReader(str(path)).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                found.append((size * math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]),
                              text.strip()))
        page.extract_text(visitor_text=visit)
    return found


def test_manifest_lists_the_table_card_a4_portrait_one_or_two_pages(built, entry):
    assert entry["path"] == "table-card-a4.pdf" and entry["paper"] == "A4"
    reader = PdfReader(str(built / entry["path"]))
    assert entry["pages"] == len(reader.pages) and 1 <= entry["pages"] <= 2
    for page in reader.pages:
        w, h = float(page.mediabox.width) / MM, float(page.mediabox.height) / MM
        assert (round(w), round(h)) == (210, 297)
    assert entry["per"] == "table"
    if entry["pages"] == 2:
        assert entry["duplex"] == "long"


def test_every_round_role_rule_and_check_is_printed_with_its_variables_filled(built, entry, kit, card):
    text = flat(" ".join(p.extract_text() or "" for p in PdfReader(str(built / entry["path"])).pages))
    v = kit.game.variables
    start = 0
    assert card.rounds and card.roles and card.rules and card.success
    for r in card.rounds:
        assert plain(fill(r.title, v)) in text
        assert f"{start // 60}:{start % 60:02d}–" in text
        start += r.minutes
        for step in r.do:
            assert plain(fill(step, v)) in text, step
    assert start == kit.game.duration
    for role in card.roles:
        assert plain(fill(role.name, v)) in text and plain(fill(role.does, v)) in text
    for item in card.rules + card.success:
        assert plain(fill(item, v)) in text, item
    assert "{" not in text and "**" not in text


def test_body_text_is_at_least_11_pt_and_fonts_are_embedded_atkinson(built, entry):
    path = built / entry["path"]
    found = sizes(path)
    footer = [s for s, t in found if "·" in t]  # the page footer is the one small line
    body = [(s, t) for s, t in found if "·" not in t]
    assert len(body) > 40
    assert min(s for s, _ in body) >= 11 - 0.01, sorted(body)[:3]
    assert footer and min(footer) >= 7
    used = fonts(path)
    assert used and all(f["embedded"] for f in used)
    assert all("Atkinson" in f["name"] for f in used), used
    assert not qpdf_problems(path)


def test_success_checklist_has_one_tick_box_of_at_least_4_mm_per_item(built, entry, card):
    """Square outlines drawn on the page (``re`` operators) with sides of 4 mm or more: one per check."""
    squares = 0
    with pikepdf.open(built / entry["path"]) as pdf:
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "re":
                    w, h = (abs(float(v)) for v in operands[2:])
                    if abs(w - h) < 0.01 and 4 * MM <= w <= 12 * MM:
                        squares += 1
    assert squares == len(card.success)


def test_table_card_is_deterministic_and_follows_paper(repo, tmp_path, built, entry):
    build(BuildOptions(project=repo, out_dir=tmp_path / "a", only=("table-card",), quiet=True))
    assert (tmp_path / "a" / "default" / entry["path"]).read_bytes() == (built / entry["path"]).read_bytes()
    manifest = build(BuildOptions(project=repo, out_dir=tmp_path / "b", only=("table-card",), paper="letter",
                                  quiet=True))
    letter = [p for p in manifest["products"] if p["kind"] == "table-card"][0]
    assert letter["path"] == "table-card-letter.pdf"
    page = PdfReader(str(tmp_path / "b" / "default" / letter["path"])).pages[0]
    assert round(float(page.mediabox.width) / MM, 1) == 215.9


def test_english_overlay_translates_the_table_card(repo, tmp_path):
    build(BuildOptions(project=repo, out_dir=tmp_path, region="english", only=("table-card",), quiet=True))
    text = flat(" ".join(p.extract_text() or "" for p in PdfReader(str(tmp_path / "english" / "table-card-a4.pdf")).pages))
    for piece in ("Table card", "The rounds", "Who does what at the table?", "Did the route work?", "Timekeeper"):
        assert piece in text
    for dutch in ("Tafelkaart", "Ronde", "Spelregels", "gastheer", "tijdfiche"):
        assert dutch not in text


# -- validation -----------------------------------------------------------------------------------


def write_card(project: Path, body: str) -> None:
    (project / "cards" / "tafel.yaml").write_text(textwrap.dedent(body), encoding="utf-8")


def test_every_table_card_mistake_is_located(project: Path):
    write_card(project, """\
        table_card:
          title: Tafelkaart
          rolles: []
          rounds:
            - {title: Welkom, minutes: vijf, do: [Luister.]}
            - {minutes: 70, doe: [Speel.]}
          rules: ["Hallo {onbekend}."]
          success: [Gelukt.]
        """)
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    err = result.stderr
    assert "cards/tafel.yaml:3:3: error: unknown key 'rolles' in 'table_card' (did you mean 'roles'?)" in err
    assert "cards/tafel.yaml:5:32: error: the minutes of round 1 must be a whole number" in err
    assert "cards/tafel.yaml:6:7: error: round 2 of the table card has no 'title'" in err
    assert "cards/tafel.yaml:6:21: error: unknown key 'doe' in round 2 of the table card (did you mean 'do'?)" in err
    assert "cards/tafel.yaml:7:11: error: unknown variable '{onbekend}'" in err
    assert "cards/tafel.yaml:2:3: error: 'table_card' needs 'roles'" in err
    assert "Traceback" not in err


def test_rounds_must_add_up_to_the_duration(project: Path):
    write_card(project, """\
        table_card:
          title: Tafelkaart
          roles: [{name: Gastheer, does: Leidt.}]
          rounds:
            - {title: Welkom, minutes: 5, do: [Luister.]}
            - {title: Spelen, minutes: 60, do: [Speel.]}
          rules: [Tijd kost een fiche.]
          success: [Gelukt.]
        """)
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    assert ("cards/tafel.yaml:4:3: error: the table card's rounds take 5 + 60 = 65 minutes, but the game lasts "
            "75 minutes" in result.stderr)


def test_a_table_card_too_long_for_two_pages_is_an_error_and_writes_nothing(project: Path, tmp_path):
    steps = "".join(f"        - Dit is stap {i} van een heel lange ronde met veel te veel woorden erin.\n"
                    for i in range(70))
    write_card(project, "table_card:\n  title: Tafelkaart\n  roles: [{name: Gastheer, does: Leidt.}]\n"
                        "  rules: [Tijd.]\n  success: [Gelukt.]\n  rounds:\n"
                        "    - title: Alles\n      minutes: 75\n      do:\n" + steps)
    result = kot("build", "--project", str(project), "--only", "table-card", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "cards/tafel.yaml:2:3: error: the table card does not fit on 2 pages" in result.stderr
    assert not (tmp_path / "default").exists()


def test_a_kit_without_table_card_builds_none(project: Path, tmp_path):
    (project / "cards" / "tafel.yaml").unlink()
    manifest = build(BuildOptions(project=project, out_dir=tmp_path, only=("table-card", "deck"), quiet=True))
    assert "table-card" not in {p["kind"] for p in manifest["products"]}



REGION_NAMES = sorted(p.stem for p in (REPO / "cards" / "regions").glob("*.yaml"))


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("region", REGION_NAMES)
def test_every_region_table_card_fits_two_pages(region, paper, tmp_path):
    """A translation or a region's text can make the card longer than the base's: every variant must still fit,
    with its body text at 10 pt or more (the card shrinks it in half points before it may take a third page)."""
    out = tmp_path / region
    result = kot("build", "--project", str(REPO), "--region", region, "--paper", paper, "--only", "table-card",
                 "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    pdf = next(out.rglob("table-card-*.pdf"))
    assert len(PdfReader(pdf).pages) <= 2
    body = [size for size, text in sizes(pdf) if "·" not in text]  # the footer (with ·) is the one small line
    assert body and min(body) >= 10 - 0.01, sorted(body)[:3]


def test_validate_lays_the_table_card_out_once_at_its_smallest_size_when_it_fits(project: Path, monkeypatch):
    """`kot validate` only needs to know that the table card fits at some size: it tries the smallest first (two
    layout passes), not every size from the largest as the build does to pick the size it prints."""
    from kaartenoptafel.build import check_all, prepare
    from kaartenoptafel.products import tablecard

    built = []
    real = tablecard._Doc.build
    monkeypatch.setattr(tablecard._Doc, "build", lambda doc, *a, **k: built.append(doc) or real(doc, *a, **k))
    check_all(prepare(project))
    assert 1 <= len(built) <= 2
    del built[:]
    made = tablecard.render_table_card(SimpleNamespace(ctx=prepare(project)), parse_table_card(
        load_project(project).sections["table_card"], load_project(project).game, Collector()), "a4")
    assert made is not None and made[2] > tablecard.SIZES[-1]  # the build prints it larger, after more passes
    assert len(built) > 2


def test_validate_reports_a_table_card_too_long_for_two_pages(project: Path):
    steps = "".join(f"        - Dit is stap {i} van een heel lange ronde met veel te veel woorden erin.\n"
                    for i in range(70))
    write_card(project, "table_card:\n  title: Tafelkaart\n  roles: [{name: Gastheer, does: Leidt.}]\n"
                        "  rules: [Tijd.]\n  success: [Gelukt.]\n  rounds:\n"
                        "    - title: Alles\n      minutes: 75\n      do:\n" + steps)
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    assert "cards/tafel.yaml:2:3: error: the table card does not fit on 2 pages" in result.stderr
