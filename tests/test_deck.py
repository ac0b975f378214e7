"""Decks: real PDFs checked for page sizes and boxes, embedded fonts, text, duplex alignment in pixels, determinism."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from kaartenoptafel.build import BuildOptions, build, prepare
from kaartenoptafel.errors import ContentError
from kaartenoptafel.impose.grid import make_grid
from kaartenoptafel.products.deck import BACK_OVERLAP, CAPTION_TOP, back_outer
from kaartenoptafel.layout.text import Item, TextStyle, fit

from kits import make_project
from pdfcheck import box_mm, fonts, qpdf_problems, render, size_mm, text

SAMPLE = """
cards:
  - id: uwv
    type: rol
    titel: UWV
    groep: werk
    missie: We helpen mensen aan werk en een uitkering.
    brengt: [Werkzoekenden die slecht lezen, "Kennis van de arbeidsmarkt in {regio}"]
    haalt: [Hulp bij online solliciteren]
    beperking: Weinig tijd per klant.
    belang: Klanten sneller zelf online.
  - id: ans
    type: situatie
    count: 3
    titel: Ans, 72 – café-eigenaresse
    situatie: Ans woont alleen. Haar man deed altijd de post. Nu moet ze haar DigiD activeren.
    gat: digitaal
    waar: uwv
    waar_detail: aan de balie
    vraag: Hulp bij één brief.
    zegt_niet: Dat ze haar post niet opent.
  - id: geld-op
    type: gebeurtenis
    count: 10
    titel: Het geld is op
    wat: De gemeente {gemeente} bezuinigt op basisvaardigheden.
    effect: Elke speler geeft één „brengt” terug.
  - id: ijsbreker
    type: vraag
    count: 3
    titel: IJsbreker ë ï é €
    vraag: Wat was het moeilijkste moment in jouw rol?
"""  # 17 printed cards; each type on its own sheets: 1, 3, 9 + 1 (a full sheet and a partial one), 3


@pytest.fixture(scope="module")
def small(tmp_path_factory, repo) -> Path:
    return make_project(tmp_path_factory.mktemp("small") / "kit", textwrap.dedent(SAMPLE), repo)


def deck(small: Path, tmp_path: Path, **options) -> Path:
    manifest = build(BuildOptions(project=small, out_dir=tmp_path, only=("deck",), quiet=True, **options))
    return tmp_path / manifest["variant"]


@pytest.fixture(scope="module")
def small_built(small, tmp_path_factory) -> Path:
    return deck(small, tmp_path_factory.mktemp("o"))


def test_home_deck_pages_are_a4_with_fronts_then_backs(small_built):
    reader = PdfReader(str(small_built / "deck-a4.pdf"))
    assert len(reader.pages) == 10  # five sheets (one per type, two for the 10 events), each fronts + backs
    for page in reader.pages:
        w, h = size_mm(page.mediabox)
        assert abs(w - 210) < 0.05 and abs(h - 297) < 0.05


def test_letter_paper(small, tmp_path):
    folder = deck(small, tmp_path, paper="letter")
    page = PdfReader(str(folder / "deck-letter.pdf")).pages[0]
    w, h = size_mm(page.mediabox)
    assert abs(w - 215.9) < 0.05 and abs(h - 279.4) < 0.05


def test_printshop_boxes(small_built):
    reader = PdfReader(str(small_built / "deck-printshop.pdf"))
    assert len(reader.pages) == 2 * 17  # front, back per printed card
    for page in reader.pages:
        tw, th = size_mm(page.trimbox)
        assert abs(tw - 63.0) <= 0.05 and abs(th - 88.0) <= 0.05
        t = box_mm(page.trimbox)
        b = box_mm(page.bleedbox)
        for edge, sign in zip(range(4), (-1, -1, 1, 1)):
            assert abs((b[edge] - t[edge]) * sign - 3.0) <= 0.05
        m = box_mm(page.mediabox)
        assert m[0] < b[0] and m[2] > b[2]  # room for crop marks outside the bleed


def test_printshop_background_runs_into_the_bleed(small_built):
    dpi = 150
    page = PdfReader(str(small_built / "deck-printshop.pdf")).pages[1]  # a back: coloured all over
    b = box_mm(page.bleedbox)
    image = render(small_built / "deck-printshop.pdf", 1, dpi)
    px = lambda mm_x, mm_y: image.getpixel((round(mm_x / 25.4 * dpi), image.height - round(mm_y / 25.4 * dpi)))
    inside_bleed = px(b[0] + 0.8, (b[1] + b[3]) / 2)
    outside = px(b[0] - 1.5, (b[1] + b[3]) / 2)
    assert sum(inside_bleed) < 600 and outside == (255, 255, 255)


@pytest.mark.parametrize("folder_name", ["small_built"])
def test_fonts_embedded_and_structure_valid(folder_name, request):
    folder = request.getfixturevalue(folder_name)
    for pdf in folder.glob("*.pdf"):
        found = fonts(pdf)
        assert found, pdf
        for font in found:
            assert font["embedded"], (pdf.name, font)
            assert "Helvetica" not in font["name"]
            assert font["name"].split("+")[0].isupper() and "+" in font["name"]  # a subset tag
        assert qpdf_problems(pdf) == [], pdf.name


def test_titles_extract_with_dutch_characters(small_built):
    for name in ("deck-a4.pdf", "deck-printshop.pdf"):
        content = " ".join(text(small_built / name).split())
        for title in ("UWV", "Ans, 72 – café-eigenaresse", "Het geld is op", "IJsbreker ë ï é €"):
            assert title in content, (name, title)
        assert "Middenstad" in content  # {gemeente} filled in
        assert "„brengt”" in content


def test_backs_are_one_form_per_type(small_built):
    reader = PdfReader(str(small_built / "deck-a4.pdf"))
    forms = set()
    for page in reader.pages:
        for name, ref in (page["/Resources"].get("/XObject") or {}).items():
            if ref.get_object().get("/Subtype") == "/Form":
                forms.add(ref.idnum)
    # gebeurtenis and vraag: one back per type, stored once; rol and situatie print each card's own back
    assert len(forms) == 2


def _filled(image, rect_mm, dpi, page_h_mm):
    """Is the centre of a card cell (x, y, w, h in mm from the bottom-left) coloured?"""
    x, y, w, h = rect_mm
    cx, cy = x + 5.5, y + h * 0.5  # between the back's frame line and its text (or a per-card back's panel)
    return image.getpixel((round(cx / 25.4 * dpi), round((page_h_mm - cy) / 25.4 * dpi))) != (255, 255, 255)


def _coloured_bbox(image, dpi, page_h_mm):
    """Bounding box (mm, from the bottom-left) of the clearly coloured pixels: the backs, not the thin black marks."""
    from PIL import ImageChops

    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    spread = ImageChops.difference(ImageChops.lighter(r, g), ImageChops.darker(r, b))  # saturation-ish
    mask = spread.point(lambda v: 255 if v > 40 else 0)
    box = mask.getbbox()
    left, top, right, bottom = (v / dpi * 25.4 for v in box)
    return left, page_h_mm - bottom, right, page_h_mm - top


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_mirrored_backs_land_exactly_on_fronts(small, tmp_path, duplex):
    """Render each backs page, mirror it as the printer's flip does, and compare with the fronts' cells."""
    from PIL import ImageOps

    folder = deck(small, tmp_path, duplex=duplex)
    pdf = folder / "deck-a4.pdf"
    ctx = prepare(small)
    grid = make_grid("a4", ctx.spec.width, ctx.spec.height)
    dpi = 100
    counts = [1, 3, 9, 1, 3]  # cards per sheet: each type starts a new sheet
    for sheet, n in enumerate(counts):
        back = render(pdf, sheet * 2 + 1, dpi)
        back = ImageOps.mirror(back) if duplex == "long" else ImageOps.flip(back)
        pt = 25.4 / 72
        cells = []
        for i in range(grid.per_sheet):
            x, y = grid.origin(*grid.cell(i))
            cells.append((x * pt, y * pt, grid.card_w * pt, grid.card_h * pt))
        for i, cell in enumerate(cells):
            assert _filled(back, cell, dpi, 297) == (i < n), (sheet, i)
        left, bottom, right, top = _coloured_bbox(back, dpi, 297)
        # the backs' colour: each used cell grown by its bleed (into the gutters, and further at the sheet's
        # edge), clipped to the printable area and the caption's band; mirrored back like the image
        outer = back_outer(grid)
        spans = []
        for i in range(n):
            br, bc = grid.back_cell(i, duplex)
            x, y = grid.origin(br, bc)
            sl, sb, sr, st = grid.bleed_sides(br, bc, outer, BACK_OVERLAP)
            x0, y0 = max(x - sl, 5 * mm), max(y - sb, CAPTION_TOP)
            x1, y1 = min(x + grid.card_w + sr, grid.paper_w - 5 * mm), y + grid.card_h + st
            if duplex == "long":
                x0, x1 = grid.paper_w - x1, grid.paper_w - x0
            else:
                y0, y1 = grid.paper_h - y1, grid.paper_h - y0
            spans.append((x0 * pt, y0 * pt, x1 * pt, y1 * pt))
        want = (min(s[0] for s in spans), min(s[1] for s in spans), max(s[2] for s in spans), max(s[3] for s in spans))
        for got, expected in zip((left, bottom, right, top), want):
            assert abs(got - expected) < 0.6, (sheet, (left, bottom, right, top), want)


def test_back_offset_shifts_backs(small, tmp_path):
    dpi = 100
    plain = _coloured_bbox(render(deck(small, tmp_path / "a") / "deck-a4.pdf", 1, dpi), dpi, 297)
    moved = _coloured_bbox(render(deck(small, tmp_path / "b", back_offset=(2.0, -1.5)) / "deck-a4.pdf", 1, dpi), dpi, 297)
    assert abs((moved[0] - plain[0]) - 2.0) < 0.4 and abs((moved[1] - plain[1]) + 1.5) < 0.4


def test_duplex_none_prints_fronts_only(small, tmp_path):
    folder = deck(small, tmp_path, duplex="none")
    assert len(PdfReader(str(folder / "deck-a4.pdf")).pages) == 5


def test_cut_marks_stay_inside_the_printable_margin(small_built):
    dpi = 100
    image = render(small_built / "deck-a4.pdf", 0, dpi).convert("L")
    edge = round(5 / 25.4 * dpi) - 1  # 5 mm
    w, h = image.size
    strips = [image.crop((0, 0, w, edge)), image.crop((0, h - edge, w, h)),
              image.crop((0, 0, edge, h)), image.crop((w - edge, 0, w, h))]
    assert all(s.getextrema()[0] > 250 for s in strips)  # nothing printed in the outer 5 mm
    # and there are marks in the top margin at every cut line (both edges of every column)
    grid = make_grid("a4", 63, 88)
    ctx_x = [round(x / mm / 25.4 * dpi) for x in grid.cut_xs()]
    assert len(ctx_x) == 6
    band = image.crop((0, edge + 2, w, round(15 / 25.4 * dpi)))
    for x in ctx_x:
        column = band.crop((x - 1, 0, x + 2, band.height))
        assert column.getextrema()[0] < 128, x


def test_counts_are_expanded_and_listed(small_built):
    manifest = json.loads((small_built / "manifest.json").read_text())
    assert manifest["cards"] == 17 and manifest["unique_cards"] == 4
    kinds = {p["kind"]: p for p in manifest["products"]}
    assert kinds["deck-home"]["pages"] == 10 and kinds["deck-printshop"]["pages"] == 34
    for p in manifest["products"]:
        assert hashlib.sha256((small_built / p["path"]).read_bytes()).hexdigest() == p["sha256"]


def test_same_input_gives_identical_files(small, tmp_path):
    a = deck(small, tmp_path / "a")
    b = deck(small, tmp_path / "b")
    for pdf in a.glob("*.pdf"):
        assert pdf.read_bytes() == (b / pdf.name).read_bytes(), pdf.name


def tiny_card(layout: str) -> str:
    """A 40 x 56 mm card, on which the role card's texts cannot fit; without the back frames, which would stick
    out of so small a card (a layout error of its own)."""
    import re

    return re.sub(r"    back_frames:.*\n(      - .*\n)+", "", layout.replace("size: poker", "size: [40, 56]"))


def test_text_that_cannot_fit_fails_naming_card_and_field(small, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(small, project)
    layout = project / "layouts" / "default.yaml"
    layout.write_text(tiny_card(layout.read_text()))  # the role card cannot fit
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "build", "--project", str(project),
                             "--out", str(out), "--only", "deck"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "cards/sample.yaml:" in result.stderr
    assert "card 'uwv': field '" in result.stderr and "' does not fit on the card" in result.stderr, result.stderr
    assert "mm past its frame even at the minimum size of 8 pt" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (out / "default").exists()  # nothing written


def test_failed_build_keeps_the_last_good_output(small, tmp_path):
    out = tmp_path / "out"
    good = deck(small, out)
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    project = tmp_path / "p"
    shutil.copytree(small, project)
    # a tiny card size: the role card cannot fit
    layout = tiny_card((project / "layouts" / "default.yaml").read_text())
    (project / "layouts" / "default.yaml").write_text(layout)
    with pytest.raises(ContentError):
        build(BuildOptions(project=project, out_dir=out, only=("deck",), quiet=True))
    after = {p.name: p.read_bytes() for p in good.iterdir()}
    assert after == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_dutch_hyphenation_is_active_when_turned_on(small):
    ctx = prepare(small)
    style = TextStyle(ctx.family, "#000000", "#000000", hyphenate=True)
    fitted = fit((Item("t", None, text="Wij bieden ondersteuningsmogelijkheden voor iedereen"),), style, 120, 1000, 10, 10)
    (flow, _, _), = fitted.flowables
    assert flow._hyphenations >= 1
    first_line = flow.blPara.lines[0]
    words = [w for w in (first_line[1] if isinstance(first_line, tuple) else [w.text for w in first_line.words]) if str(w)]
    assert str(words[-1]).endswith("-"), words  # "ondersteu-" / "ondersteunings-": a Dutch break, not a split


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_calibration_back_lines_sit_their_value_away_from_the_front_lines(small, tmp_path, duplex):
    """Mirror the back as the printer flips it: each red line is exactly its cell's value (mm) from the black one."""
    from PIL import ImageOps

    from kaartenoptafel.products.calibrate import cells

    out = tmp_path / "cal.pdf"
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "calibrate", "--project", str(small),
                             "--duplex", duplex, "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    dpi = 300
    back = render(out, 1, dpi)
    back = ImageOps.mirror(back) if duplex == "long" else ImageOps.flip(back)
    pw, ph = 210 / 25.4 * 72, 297 / 25.4 * 72
    dx_cells, dy_cells = cells(pw, ph)
    to_px = lambda v_pt: v_pt / 72 * dpi

    def red(pixel):
        r, g, b = pixel
        return r > 150 and g < 120 and b < 120

    for value, x, y in dx_cells:
        row = round(back.height - to_px(y + 5 / 25.4 * 72))  # halfway up the tick
        xs = [px for px in range(round(to_px(x - 22)), round(to_px(x + 22))) if red(back.getpixel((px, row)))]
        assert xs, value
        found_mm = ((sum(xs) / len(xs)) - to_px(x)) / dpi * 25.4
        expected = -value if duplex == "long" else value  # mirrored left-right, a shift right reads as left
        assert abs(found_mm - expected) < 0.15, (value, found_mm)
    for value, x, y in dy_cells:
        col = round(to_px(x))
        ys = [py for py in range(round(back.height - to_px(y + 22)), round(back.height - to_px(y - 22)))
              if red(back.getpixel((col, py)))]
        assert ys, value
        found_mm = (back.height - sum(ys) / len(ys) - to_px(y)) / dpi * 25.4
        expected = value if duplex == "long" else -value
        assert abs(found_mm - expected) < 0.15, (value, found_mm)


def test_images_are_downsampled_and_stored_once(small, tmp_path):
    """A picture field on two cards and a back logo: each image is stored once, at no more than 300 dpi."""
    from PIL import Image

    project = tmp_path / "p"
    shutil.copytree(small, project)
    (project / "img").mkdir()
    Image.new("RGB", (3000, 3000), (200, 40, 40)).save(project / "img" / "foto.png")
    Image.new("RGB", (120, 60), (20, 90, 200)).save(project / "img" / "logo.jpg", quality=90)
    types = (project / "cards" / "types.yaml").read_text()
    types = types.replace("      vraag:     {kind: text, required: true, max: 150, label: Vraag}",
                          "      vraag:     {kind: text, required: true, max: 150, label: Vraag}\n"
                          "      foto:      {kind: image, required: false, label: Foto}")
    (project / "cards" / "types.yaml").write_text(types)
    layout = (project / "layouts" / "default.yaml").read_text()
    layout = layout.replace("      - {kind: stack, fields: [vraag, doorvraag], at: [4, 21, fill, fill], style: big}",
                            "      - {kind: image, field: foto, at: [4, 17, fill, 25]}\n"
                            "      - {kind: stack, fields: [vraag, doorvraag], at: [4, 45, fill, fill], style: big}")
    layout = layout.replace("  logo: null", "  logo: img/logo.jpg")
    (project / "layouts" / "default.yaml").write_text(layout)
    cards = (project / "cards" / "sample.yaml").read_text()
    cards = cards.replace("    vraag: Wat was het moeilijkste moment in jouw rol?",
                          "    vraag: Wat was het moeilijkste moment in jouw rol?\n    foto: img/foto.png")
    cards += "  - id: tweede-vraag\n    type: vraag\n    titel: Nog een\n    vraag: Wat neem je mee?\n    foto: img/foto.png\n"
    (project / "cards" / "sample.yaml").write_text(cards)
    folder = deck(project, tmp_path / "out")
    for name in ("deck-a4.pdf", "deck-printshop.pdf"):
        reader = PdfReader(str(folder / name))
        images = {}

        def collect(resources):
            for _, ref in ((resources or {}).get("/XObject") or {}).items():
                obj = ref.get_object()
                if obj.get("/Subtype") == "/Image":
                    images[ref.idnum] = (obj["/Width"], obj["/Height"])
                elif obj.get("/Subtype") == "/Form":
                    collect(obj.get("/Resources"))

        for page in reader.pages:
            collect(page["/Resources"])
        assert len(images) == 2, (name, images)  # the photo and the logo, each once
        frame_w_in = (63 - 8) / 25.4
        assert max(w for w, h in images.values()) <= round(frame_w_in * 300) + 1


def test_validate_finds_text_that_cannot_fit(small, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(small, project)
    layout = project / "layouts" / "default.yaml"
    layout.write_text(tiny_card(layout.read_text()))
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "validate", "--project", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "card 'uwv': field '" in result.stderr and "does not fit on the card" in result.stderr


def test_unknown_product_is_a_usage_error(small, tmp_path):
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "build", "--project", str(small),
                             "--out", str(tmp_path), "--only", "dek"], capture_output=True, text=True)
    assert result.returncode == 2 and "'dek' is not a product" in result.stderr


def test_output_is_readable_by_others_and_stale_staging_is_cleared(small, tmp_path):
    import os
    import time

    stale = tmp_path / ".default.staging-killed"
    stale.mkdir()
    (stale / "deck-a4.pdf").write_bytes(b"%PDF half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    folder = deck(small, tmp_path)
    assert not stale.exists()
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name
