"""The print-shop deck is drawn, separated and written in parts (write.printshop.write_deck, write.pdfstream):
the file must print exactly what one part prints, with one font per face, shared objects written once,
the same preflight and the same bytes from build to build; and the quick operator scan must agree with
pikepdf's parser, so the separation and the preflight see every colour.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pikepdf
import pytest
from PIL import Image, ImageChops

from kaartenoptafel.build import prepare
from kaartenoptafel.check.preflight import preflight
from kaartenoptafel.check.prepress import prepress_for
from kaartenoptafel.errors import Collector
from kaartenoptafel.products import deck
from kaartenoptafel.render import card as card_render
from kaartenoptafel.resolve import expand, resolve
from kaartenoptafel.write import printshop
from kaartenoptafel.write.contentops import scan

SCANNED = {"rg", "RG", "g", "G", "k", "K", "cm", "q", "Q", "cs", "CS", "sc", "scn", "SC", "SCN", "Do"}


def _write(root, path, monkeypatch, part_cards=None):
    ctx = prepare(root)
    cards = resolve(ctx.kit)
    printed = expand(cards)
    if part_cards is not None:
        monkeypatch.setattr(printshop, "PART_CARDS", part_cards)
    out = Collector()
    result, about = printshop.write_deck(ctx, printed, cards, path, out)
    assert result is not None and not [d for d in out.diagnostics if d.severity == "error"], out.diagnostics
    return ctx, result, about


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    return sorted(str(o.BaseFont) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font")


def _forms(pdf: pikepdf.Pdf) -> int:
    return sum(1 for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form")


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_a_deck_written_in_parts_prints_what_one_part_prints(repo, tmp_path, monkeypatch):
    calls = []
    real = deck.write_printshop_deck

    def spy(ctx, cards, target, out, fonts=None):
        calls.append(len(cards))
        return real(ctx, cards, target, out, fonts)

    monkeypatch.setattr(deck, "write_printshop_deck", spy)
    faces = []  # each card face drawn (not replayed)
    real_face = card_render._draw_card

    def face_spy(c, lay, *args, **kwargs):
        faces.append(id(lay))
        return real_face(c, lay, *args, **kwargs)

    monkeypatch.setattr(card_render, "_draw_card", face_spy)
    whole, parts, again = tmp_path / "whole.pdf", tmp_path / "parts.pdf", tmp_path / "again.pdf"
    ctx, one, about_one = _write(repo, whole, monkeypatch, 10_000)
    assert calls == [len(expand(resolve(ctx.kit)))]
    calls.clear()
    drawn_whole, faces[:] = len(faces), []
    _, many, about_many = _write(repo, parts, monkeypatch, 7)
    assert len(calls) > 10 and max(calls) <= 7  # never more than a part held at once
    assert len(faces) == drawn_whole  # a face drawn in an earlier part (a token's 27 copies) is replayed, not drawn
    _write(repo, again, monkeypatch, 7)
    assert parts.read_bytes() == again.read_bytes()  # deterministic
    assert many == one and about_many == about_one  # pages, paper, and the whole preflight report
    prep = prepress_for(ctx, Collector())
    for path in (whole, parts):  # the whole-file preflight (reading the written bytes) finds nothing
        out = Collector()
        report = preflight(path.read_bytes(), prep, path.name, out)
        assert not out.diagnostics, out.diagnostics
        assert report.as_dict() == about_one["preflight"]
    with pikepdf.open(whole) as a, pikepdf.open(parts) as b:
        assert len(a.pages) == len(b.pages) == one.pages
        assert _fonts(a) == _fonts(b) and len(set(_fonts(b))) == len(_fonts(b))  # one subset per face, same glyphs
        assert _forms(a) == _forms(b)  # each back form written once, not once per part
        assert not b.check_pdf_syntax()
        for pa, pb in zip(a.pages, b.pages):
            for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
                assert [float(v) for v in pa.obj[box]] == [float(v) for v in pb.obj[box]]
    renders = {}
    for path in (whole, parts):  # CMYK pixels, every page
        run = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", "-r20",
                              f"-sOutputFile={tmp_path / path.stem}-%03d.tif", str(path)],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0 and not run.stdout.strip() and not run.stderr.strip(), run.stdout + run.stderr
        renders[path.stem] = sorted(tmp_path.glob(f"{path.stem}-*.tif"))
    assert len(renders["whole"]) == len(renders["parts"]) == one.pages
    for x, y in zip(renders["whole"], renders["parts"]):
        assert ImageChops.difference(Image.open(x), Image.open(y)).getbbox() is None, y.name


def _values(operands) -> list:
    return [float(v) if isinstance(v, (int, float, Decimal)) else str(v) for v in operands]


def test_the_scan_finds_what_pikepdfs_parser_finds(repo, built):
    """Every stream of the separated files and of the RGB deck before separation: the same operators, in order,
    with the same numbers or name, as pikepdf's parser gives (text, paths and strings skipped)."""
    from kaartenoptafel.commands.cardimage import printshop_pdf

    ctx = prepare(repo)
    rgb = printshop_pdf(ctx, expand(resolve(ctx.kit))[:40])
    files = [pikepdf.open(built / "deck-printshop.pdf"), pikepdf.open(built / "board-poster-a3.pdf"),
             pikepdf.open(io.BytesIO(rgb))]
    checked = set()
    try:
        for pdf in files:
            contents = [page.obj.Contents for page in pdf.pages]
            forms = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"]
            for obj in contents + forms:
                found = scan(obj.read_bytes())
                assert found is not None, obj.objgen
                want = [(str(op), _values(operands)) for operands, op in pikepdf.parse_content_stream(obj)
                        if str(op) in SCANNED]
                got = [(op.decode(), [float(v) for v in nums] + ([name.decode()] if name else []))
                       for op, nums, name, _, _ in found]
                assert got == want, obj.objgen
                checked.update(op for op, _ in got)
    finally:
        for pdf in files:
            pdf.close()
    assert {"rg", "k", "K", "cm", "q", "Q", "CS", "SCN", "Do"} <= checked
    assert scan(b"BT (1 0 0 rg \\) 0 0 0 k) Tj ET 0.5 g") == ((b"g", (b"0.5",), None, 35, 36),)  # strings skipped
    for unsure in (b"BT (a(b)c) Tj ET", b"BI /W 1 /H 1 ID \x00 EI", b"/P << /MCID 0 >> BDC", b"% 0 0 0 rg\n",
                   b"<00ff> Tj", b"0.5 0 0 /P0 scn"):
        assert scan(unsure) is None, unsure  # the callers use the full tokenizer or pikepdf's parser


def test_the_quick_separation_agrees_with_the_general_one(repo):
    """Every page of the RGB deck (die line in the CutContour spot included) separated by byte positions gives
    the operators pikepdf's general rewrite gives: the spot colour space and value kept, every RGB colour CMYK."""
    from kaartenoptafel.commands.cardimage import printshop_pdf
    from kaartenoptafel.write.pdfx import Rewriter

    ctx = prepare(repo)
    rewriter = Rewriter(prepress_for(ctx, Collector()).separator)
    with pikepdf.open(io.BytesIO(printshop_pdf(ctx, expand(resolve(ctx.kit))[:30]))) as pdf:
        spot = 0
        for page in pdf.pages:
            data = page.obj.Contents.read_bytes()
            spot += b"/CutContour CS" in data
            quick = rewriter._fast(data)
            assert quick is not None
            slow = rewriter._slow(data)
            parse = lambda b: [(str(op), _values(o)) for o, op in  # noqa: E731
                               pikepdf.parse_content_stream(pikepdf.Stream(pdf, b))]
            assert parse(quick) == parse(slow)
            assert not any(op in ("rg", "RG", "g", "G") for op, _ in parse(quick))
        assert spot == len(pdf.pages)  # every page has the die line, and took the quick way
