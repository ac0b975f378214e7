"""A long home deck is drawn in parts of whole sheets and streamed to the file (products.deck.write_home_deck,
write.pdfstream): the file must print exactly what one reportlab document prints, page for page, with the same
page boxes and print preferences, one font subset per face, each image and back form written once, and the same
bytes from build to build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pikepdf
import pytest
from PIL import Image, ImageChops

from kaartenoptafel.build import prepare
from kaartenoptafel.errors import Collector
from kaartenoptafel.products import deck
from kaartenoptafel.render import card as card_render
from kaartenoptafel.resolve import expand, resolve


def _write(root, path, monkeypatch, part_cards, duplex="long", offset=(0.0, 0.0)):
    monkeypatch.setattr(deck, "PART_CARDS", part_cards)
    monkeypatch.setattr(deck, "SINGLE_CARDS", part_cards)
    ctx = prepare(root)
    printed = expand(resolve(ctx.kit))
    out = Collector()
    path.parent.mkdir(parents=True, exist_ok=True)
    result = deck.write_home_deck(ctx, printed, str(path), "a4", duplex, offset, out)
    out.raise_if_any()
    return ctx, printed, result


def _objects(pdf: pikepdf.Pdf, key: str, value: str) -> list:
    return [o for o in pdf.objects if isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)) and o.get(key) == value]


def test_parts_are_whole_sheets_within_the_limit():
    sheets = [[object()] * n for n in (9, 9, 4, 9, 1, 9, 9)]
    parts = deck.home_parts(sheets, 20)
    assert parts == [(0, 2), (2, 5), (5, 7)]  # 18, 14, 18 cards
    assert deck.home_parts(sheets, 5) == [(i, i + 1) for i in range(7)]  # a sheet is never split
    assert deck.home_parts(sheets, 10_000) == [(0, 7)]
    assert deck.home_parts([], 20) == [(0, 0)]


def _synthetic(repo, dest):
    """200 cards of the default kit's content, every tenth a photo card (eight pictures)."""
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        from synth import make_project
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    make_project(repo, dest, 200)
    return dest


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
@pytest.mark.parametrize("kit, duplex, offset", [("default", "long", (0.0, 0.0)), ("photos", "short", (1.5, -1.0))])
def test_a_home_deck_written_in_parts_prints_what_one_part_prints(repo, tmp_path, monkeypatch, kit, duplex, offset):
    root = repo if kit == "default" else _synthetic(repo, tmp_path / "kit")
    drawn: list[list] = []  # [canvas, cards drawn on it, sheets] per part
    real = deck._home_sheet

    def spy(c, ctx, faces, grid, chunk, *args):
        if not drawn or drawn[-1][0] is not c:
            drawn.append([c, 0, 0])
        drawn[-1][1] += len(chunk)
        drawn[-1][2] += 1
        return real(c, ctx, faces, grid, chunk, *args)

    monkeypatch.setattr(deck, "_home_sheet", spy)
    pictures: list[str] = []  # each picture drawn (not replayed)
    real_image = card_render._draw_image

    def image_spy(c, box):
        pictures.append(str(box.path))
        return real_image(c, box)

    monkeypatch.setattr(card_render, "_draw_image", image_spy)
    name = f"deck-a4-{duplex}.pdf"  # the same name: font subsets are named by their file's name
    whole, parts, again = tmp_path / "whole" / name, tmp_path / "parts" / name, tmp_path / "again" / name
    _, printed, one = _write(root, whole, monkeypatch, 100_000, duplex, offset)
    assert len(drawn) == 1
    drawn.clear()
    once, pictures[:] = list(pictures), []
    _, _, many = _write(root, parts, monkeypatch, 20, duplex, offset)
    assert len(drawn) > 5  # many parts, each of whole sheets: at most 20 cards, or one sheet (tokens: more)
    assert all(n <= 20 or sheets == 1 for _, n, sheets in drawn)
    assert sum(n for _, n, _ in drawn) == len(printed)
    drawn.clear()
    assert pictures == once  # a picture drawn in an earlier part is replayed in the later ones, not drawn again
    _write(root, again, monkeypatch, 20, duplex, offset)
    assert parts.read_bytes() == again.read_bytes()  # deterministic
    assert many == one
    with pikepdf.open(whole) as a, pikepdf.open(parts) as b:
        assert len(a.pages) == len(b.pages) == one.pages
        assert not b.check_pdf_syntax()
        fonts_a = sorted(str(f.BaseFont) for f in _objects(a, "/Type", "/Font"))
        fonts_b = sorted(str(f.BaseFont) for f in _objects(b, "/Type", "/Font"))
        assert fonts_a == fonts_b and len(set(fonts_b)) == len(fonts_b)  # one subset per face, the same glyphs
        assert all("/FontFile2" in f.FontDescriptor for f in _objects(b, "/Type", "/Font"))  # embedded
        for kind in ("/Image", "/Form"):  # each picture and back form written once, not once per part
            assert len(_objects(a, "/Subtype", kind)) == len(_objects(b, "/Subtype", kind))
        assert _objects(b, "/Subtype", "/Form") and (kit == "default" or _objects(b, "/Subtype", "/Image"))
        assert a.Root.ViewerPreferences == b.Root.ViewerPreferences  # duplex flip, 100 %
        assert str(a.docinfo.Title) == str(b.docinfo.Title)
        for pa, pb in zip(a.pages, b.pages):
            for box in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox"):
                assert (box in pa.obj) == (box in pb.obj)
                if box in pa.obj:
                    assert [float(v) for v in pa.obj[box]] == [float(v) for v in pb.obj[box]]
    renders = {}
    for path in (whole, parts):
        out = tmp_path / f"{path.parent.name}-png"
        out.mkdir()
        subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(out / "p")], check=True, timeout=300)
        renders[path.parent.name] = sorted(out.iterdir())
    assert len(renders["whole"]) == len(renders["parts"]) == one.pages
    for x, y in zip(renders["whole"], renders["parts"]):
        assert ImageChops.difference(Image.open(x).convert("RGB"), Image.open(y).convert("RGB")).getbbox() is None, y.name
