"""What the printer does with the files: no text below 7 pt (except the sheet captions), the print dialog told
how to print every home-print PDF (100 %, duplex flip or single-sided), and --paper letter for the guide too."""

from __future__ import annotations

import json

import pikepdf
import pytest

from kaartenoptafel.build import BuildOptions, build
from pdfcheck import size_mm, text_sizes

CAPTION = 6.5  # pt: the sheet captions in the margins of the home decks ("vel 1 van 9 · voorkant ...")
HOME = {"deck-home", "board-tiles", "worksheet-afspraak", "worksheet-krachtenanalyse", "guide-a4", "guide-booklet",
        "table-card"}


def test_no_text_below_7_pt_except_sheet_captions(built):
    for pdf in sorted(built.glob("*.pdf")):
        small = set()
        for n, page in enumerate(text_sizes(pdf), 1):
            small |= {(n, size) for _, size in page if size < 7.0}
        if pdf.name.startswith("deck-") and pdf.name != "deck-printshop.pdf":
            small = {(n, size) for n, size in small if size != CAPTION}
        assert not small, (pdf.name, sorted(small)[:5])


def test_guide_catalogue_and_cover_cards_print_their_text_at_7_pt_or_more(built):
    for name in ("guide-a4.pdf", "guide-booklet.pdf"):
        sizes = [size for page in text_sizes(built / name) for _, size in page]
        assert min(sizes) >= 7.0, (name, min(sizes))


def _preferences(path):
    with pikepdf.open(path) as pdf:
        prefs = pdf.Root.get("/ViewerPreferences")
        return {str(k): str(v) for k, v in prefs.items()} if prefs is not None else {}


def test_every_home_print_pdf_tells_the_printer_dialog_how_to_print(built):
    manifest = json.loads((built / "manifest.json").read_text())
    seen = set()
    for product in manifest["products"]:
        if product["kind"] not in HOME:
            continue
        seen.add(product["kind"])
        prefs = _preferences(built / product["path"])
        assert prefs.get("/PrintScaling") == "/None", (product["path"], prefs)
        duplex = product.get("duplex", "none")
        if product["kind"] == "guide-a4":
            duplex = "long"
        want = {"long": "/DuplexFlipLongEdge", "short": "/DuplexFlipShortEdge", "none": "/Simplex"}[duplex]
        assert prefs.get("/Duplex") == want, (product["path"], prefs)
    assert seen == HOME


@pytest.mark.parametrize("duplex", ["short", "none"])
def test_the_home_deck_asks_for_the_flip_it_was_built_for(repo, tmp_path, duplex):
    build(BuildOptions(project=repo, out_dir=tmp_path, only=("deck",), duplex=duplex, paper="letter", quiet=True))
    prefs = _preferences(tmp_path / "default" / "deck-letter.pdf")
    assert prefs["/Duplex"] == {"short": "/DuplexFlipShortEdge", "none": "/Simplex"}[duplex]
    assert prefs["/PrintScaling"] == "/None"


def test_letter_builds_the_guide_and_booklet_on_letter(repo, tmp_path):
    build(BuildOptions(project=repo, out_dir=tmp_path, only=("guide",), paper="letter", quiet=True))
    out = tmp_path / "default"
    assert not (out / "guide-a4.pdf").exists()
    with pikepdf.open(out / "guide-letter.pdf") as pdf:
        w, h = size_mm(pdf.pages[0].mediabox)
        assert (round(w, 1), round(h, 1)) == (215.9, 279.4)
    with pikepdf.open(out / "guide-booklet.pdf") as pdf:
        w, h = size_mm(pdf.pages[0].mediabox)
        assert (round(w, 1), round(h, 1)) == (279.4, 215.9)  # two half-Letter pages side by side
    manifest = json.loads((out / "manifest.json").read_text())
    papers = {p["path"]: p["paper"] for p in manifest["products"]}
    assert papers["guide-letter.pdf"] == "Letter" and papers["guide-booklet.pdf"] == "Letter landscape"


def _mark_columns(image, dpi: float, band_mm: tuple[float, float]) -> list[float]:
    """x (mm) of the dark vertical marks in a horizontal band of the page (mm from the top)."""
    k = dpi / 25.4
    top, bottom = round(band_mm[0] * k), round(band_mm[1] * k)
    columns = []
    for x in range(image.width):
        dark = sum(1 for y in range(top, bottom) if sum(image.getpixel((x, y))) < 450)
        if dark >= (bottom - top) * 0.6:
            columns.append(x / k)
    groups: list[list[float]] = []
    for x in columns:
        if groups and x - groups[-1][-1] < 0.6:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def test_backs_cut_marks_follow_the_back_offset(repo, tmp_path):
    from pdfcheck import render

    dpi = 150
    found = {}
    for name, offset in (("still", (0.0, 0.0)), ("moved", (3.0, 0.0))):
        build(BuildOptions(project=repo, out_dir=tmp_path / name, only=("deck",), back_offset=offset, quiet=True))
        pdf = tmp_path / name / "default" / "deck-a4.pdf"
        fronts = _mark_columns(render(pdf, 0, dpi), dpi, (6.0, 9.0))
        backs = _mark_columns(render(pdf, 1, dpi), dpi, (6.0, 9.0))
        found[name] = (fronts, backs)
    assert found["still"][0] and found["still"][0] == found["moved"][0]  # the fronts do not move
    still, moved = found["still"][1], found["moved"][1]
    assert len(still) == len(moved) >= 2, (still, moved)
    for a, b in zip(still, moved):
        assert abs((b - a) - 3.0) < 0.3, (still, moved)  # every cut mark of the backs moved with them
