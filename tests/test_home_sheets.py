"""Home sheets that survive a real printer: a gutter between the cards, colour running past every cut on
fronts and backs, cut marks in the margins, nothing within 5 mm of the paper's edge.

Every check reads the cells from the manifest (mm from the page's bottom-left) and looks at rendered pixels.
"""

from __future__ import annotations

import pytest

from reportlab.lib.units import mm

from kaartenoptafel.build import BuildOptions, build
from kaartenoptafel.products.deck import CAPTION_TOP

from pdfcheck import render

DPI = 150


def _deck(repo, out, **options) -> tuple[dict, object]:
    manifest = build(BuildOptions(project=repo, out_dir=out, only=("deck",), quiet=True, **options))
    entry = next(p for p in manifest["products"] if p["kind"] == "deck-home")
    return entry, out / manifest["variant"] / entry["path"]


@pytest.fixture(scope="module")
def a4(repo, tmp_path_factory):
    return _deck(repo, tmp_path_factory.mktemp("a4"))


def _px(image, page_h, x_mm, y_mm):
    return image.getpixel((round(x_mm / 25.4 * DPI), round((page_h - y_mm) / 25.4 * DPI)))


def _near(a, b, tol=40):
    return all(abs(p - q) <= tol for p, q in zip(a, b))


def _white(p):
    return min(p) > 235


def test_manifest_lists_card_size_bleed_gutter_and_every_cell(a4):
    entry, _ = a4
    assert entry["card_mm"] == [63.0, 88.0] and entry["gutter_mm"] == [2.0, 2.0] and entry["bleed_mm"] == [1.0, 1.0]
    fronts, backs = entry["cells_mm"]["fronts"], entry["cells_mm"]["backs"]
    assert len(fronts) == len(backs) == 9
    assert fronts[1][0] - fronts[0][0] == pytest.approx(63 + 2)  # a 2 mm gutter between columns
    assert fronts[0][1] - fronts[3][1] == pytest.approx(88 + 2)  # and between rows
    for x, y, w, h in fronts:
        assert x - 1 - 2.5 >= 5 - 1e-6 and 210 - (x + w + 1 + 2.5) >= 5 - 1e-6  # bleed and marks inside 5 mm
        assert y - 1 >= 5 and 297 - (y + h + 1) >= 5
    assert backs[0] == fronts[2]  # long-edge flip: the first card's back is in the mirrored column


def test_colour_runs_the_bleed_past_every_cut_on_fronts_and_backs(a4):
    """Fronts: the title band's colour reaches the bleed past the top, left and right cut. Backs: the back's
    colour reaches it on all four sides. Sampled 0.8 x the bleed outside the trim, at every manifest cell."""
    entry, pdf = a4
    bx, by = entry["bleed_mm"]
    front, back = render(pdf, 0, DPI), render(pdf, 1, DPI)
    for x, y, w, h in entry["cells_mm"]["fronts"]:
        band = _px(front, 297, x + w / 2, y + h - 1.5)  # inside the title band
        assert not _white(band)
        for px, py in ((x + w / 2, y + h + 0.8 * by), (x - 0.8 * bx, y + h - 1.5), (x + w + 0.8 * bx, y + h - 1.5)):
            assert _near(_px(front, 297, px, py), band), ((x, y), (px, py))
    ol, ob, orr, ot = entry["back_bleed_mm"]
    assert min(ol, ob, orr, ot) >= 2.0  # a 2 mm printer shift stays within the colour
    for x, y, w, h in entry["cells_mm"]["backs"]:
        colour = _px(back, 297, x + 2, y + h / 2)  # between the cut and the back's frame line
        assert not _white(colour)
        for px, py in ((x - 0.8 * bx, y + h / 2), (x + w + 0.8 * bx, y + h / 2),
                       (x + w / 2, y - 0.8 * by), (x + w / 2, y + h + 0.8 * by)):
            assert _near(_px(back, 297, px, py), colour), ((x, y), (px, py))


@pytest.mark.parametrize("shift", [(2.0, 2.0), (-2.0, -2.0)])
def test_a_2_mm_back_shift_leaves_no_white_between_a_cut_and_its_colour(repo, a4, tmp_path, shift):
    """A printer that shifts the back side by 2 mm is what --back-offset 2,2 draws: look at where the backs
    should be (the cells of the unshifted build) and find no white along any cut."""
    entry, _ = a4
    shifted, pdf = _deck(repo, tmp_path, back_offset=shift)
    back = render(pdf, 1, DPI)
    for x, y, w, h in entry["cells_mm"]["backs"]:
        for t in [i / 10 for i in range(1, 10)]:
            for px, py in ((x + 0.3, y + t * h), (x + w - 0.3, y + t * h), (x + t * w, y + 0.3), (x + t * w, y + h - 0.3)):
                assert not _white(_px(back, 297, px, py)), (shift, (x, y), (px, py))


@pytest.mark.parametrize("paper, size", [("a4", (210, 297)), ("letter", (215.9, 279.4))])
def test_nine_poker_cards_and_nothing_within_5_mm_of_the_edge(repo, tmp_path, paper, size):
    entry, pdf = _deck(repo, tmp_path, paper=paper)
    assert len(entry["cells_mm"]["fronts"]) == 9
    for page in (0, 1):
        image = render(pdf, page, 100).convert("L")
        w, h = image.size
        edge = round(5 / 25.4 * 100) - 1
        strips = [image.crop((0, 0, w, edge)), image.crop((0, h - edge, w, h)),
                  image.crop((0, 0, edge, h)), image.crop((w - edge, 0, w, h))]
        assert all(s.getextrema()[0] > 250 for s in strips), (paper, page)


def test_gutter_0_keeps_the_butted_sheet(repo, tmp_path):
    entry, pdf = _deck(repo, tmp_path, gutter=0.0)
    fronts = entry["cells_mm"]["fronts"]
    assert entry["gutter_mm"] == [0.0, 0.0] and entry["bleed_mm"] == [0.0, 0.0]
    assert fronts[1][0] - fronts[0][0] == pytest.approx(63) and fronts[0][0] == pytest.approx(10.5)


def test_cut_marks_at_every_cut_line_and_clear_of_the_caption(a4):
    """A black mark above the sheet at both cuts of every column, beside it at both cuts of every row; the
    caption's band (grey text) holds no black mark pixel."""
    entry, pdf = a4
    image = render(pdf, 0, 300).convert("L")
    scale = 300 / 25.4

    def dark(x_mm, y_mm):
        return image.getpixel((round(x_mm * scale), round((297 - y_mm) * scale))) < 100

    fronts = entry["cells_mm"]["fronts"]
    xs = sorted({round(c[0], 3) for c in fronts} | {round(c[0] + c[2], 3) for c in fronts})
    ys = sorted({round(c[1], 3) for c in fronts} | {round(c[1] + c[3], 3) for c in fronts})
    assert len(xs) == 6 and len(ys) == 6  # two cuts per column and per row: the gutter is cut away
    top = max(ys) + 1 + 0.5 + 1  # beyond the bleed and the gap
    for x in xs:
        assert any(dark(x + d / 10, top) for d in range(-2, 3)), x
    for y in ys:
        assert any(dark(5.5 + 0.5, y + d / 10) for d in range(-2, 3)), y
    band_top = CAPTION_TOP / mm - 0.2  # the caption's band, up to where the marks stop
    assert band_top > 7
    band = image.crop((0, round((297 - band_top) * scale), image.width, round((297 - 5) * scale)))
    assert band.getextrema()[0] > 60  # the caption is grey; a mark through it would be black
    # the caption is there, with the sheet's type in it
    assert band.getextrema()[0] < 200


def test_tokens_print_on_their_own_sheets_and_pages_at_their_own_size(repo, a4, tmp_path):
    """The round 25 mm fiches: their own home sheets (many per sheet, a circle on each cut), their own
    page size and boxes in the print-shop file, and the manifest says how many of each size there are."""
    from pypdf import PdfReader

    from pdfcheck import box_mm, size_mm

    entry, pdf = a4
    sizes = {tuple(s["size_mm"]): s for s in entry["sizes"]}
    token = sizes[(25.0, 25.0)]
    assert token["shape"] == "round" and token["types"] == ["fiche"] and token["per_sheet"] >= 60
    assert token["copies"] >= 20 and sizes[(63.0, 88.0)]["per_sheet"] == 9
    reader = PdfReader(str(pdf))
    last_front = len(reader.pages) - 2  # the fiches come last (types.yaml order)
    image = render(pdf, last_front, 300)
    assert "Fiches" in (reader.pages[last_front].extract_text() or "")
    from kaartenoptafel.build import prepare
    from kaartenoptafel.impose.grid import make_grid

    grid = make_grid("a4", 25, 25)
    x, y = (v / 72 * 25.4 for v in grid.origin(0, 0))
    def px(xm, ym):
        return image.getpixel((round(xm / 25.4 * 300), round((297 - ym) / 25.4 * 300)))

    inside = px(x + 12.5, y + 12.5 - 6)  # the token's colour, below its name
    ring = [px(x + 12.5, y + 25 - d / 20) for d in range(0, 8)]  # across the circle at the top
    assert any(not _near(p, inside, 25) for p in ring)  # the cut guide shows on the colour
    shop = PdfReader(str(pdf.parent / "deck-printshop.pdf"))
    kit = prepare(repo).kit
    tokens = sum(c.count for c in kit.cards if c.type == "fiche")
    token_pages = [p for p in shop.pages if abs(size_mm(p.trimbox)[0] - 25) < 0.05]
    assert len(token_pages) == 2 * tokens
    for page in token_pages:
        assert size_mm(page.trimbox) == pytest.approx((25, 25), abs=0.05)
        assert size_mm(page.bleedbox) == pytest.approx((31, 31), abs=0.05)
        t, b = box_mm(page.trimbox), box_mm(page.bleedbox)
        assert b[0] < t[0] and b[2] > t[2]


def test_manifest_names_the_sheets_of_each_type(repo, a4):
    """First and last fronts sheet (1-based) of each type, in the order of types.yaml, with no gaps."""
    from pypdf import PdfReader

    from kaartenoptafel.build import prepare

    entry, pdf = a4
    by_type = entry["sheets_by_type"]
    kit = prepare(repo).kit
    assert list(by_type) == [t for t in kit.types if t in {c.type for c in kit.cards}]
    spans = list(by_type.values())
    assert spans[0][0] == 1 and all(b[0] == a[1] + 1 for a, b in zip(spans, spans[1:]))
    assert spans[-1][1] == len(PdfReader(str(pdf)).pages) // 2
    assert by_type["fiche"][0] == by_type["fiche"][1]  # all the tokens on one sheet


def test_each_kind_of_token_has_its_own_colour(repo, a4):
    """Time, money and consent tokens differ by colour (layout: accent by 'soort' from colours.fiches), so a
    player tells them apart without reading; every token of one kind has that kind's colour."""
    from kaartenoptafel.build import prepare
    from kaartenoptafel.impose.grid import make_grid

    entry, pdf = a4
    kit = prepare(repo).kit
    kinds = [c.fields["soort"] for c in kit.cards if c.type == "fiche" for _ in range(c.count)]
    first = entry["sheets_by_type"]["fiche"][0]
    image = render(pdf, 2 * (first - 1), 100)  # the fronts page of the first token sheet
    grid = make_grid("a4", 25, 25)
    seen: dict[str, list] = {}
    for i, kind in enumerate(kinds[: grid.per_sheet]):
        x, y = (v / 72 * 25.4 for v in grid.origin(*grid.cell(i)))
        px = image.getpixel((round((x + 12.5) / 25.4 * 100), round((297 - (y + 22.5)) / 25.4 * 100)))  # above the sign
        seen.setdefault(kind, []).append(px)
    assert set(seen) == {"tijd", "geld", "toestemming"}
    colour = {kind: pixels[0] for kind, pixels in seen.items()}
    for kind, pixels in seen.items():
        assert all(_near(p, colour[kind], 12) for p in pixels), kind
    names = sorted(colour)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not _near(colour[a], colour[b], 40), (a, b, colour)
    # the backs page (mirrored for the flip): as many tokens of each kind's colour, so one lying face down shows it
    backs = render(pdf, 2 * (first - 1) + 1, 100)
    found = {kind: 0 for kind in colour}
    for i in range(grid.per_sheet):
        x, y = (v / 72 * 25.4 for v in grid.origin(*grid.cell(i)))
        px = backs.getpixel((round((x + 12.5) / 25.4 * 100), round((297 - (y + 22.5)) / 25.4 * 100)))
        for kind, c in colour.items():
            found[kind] += _near(px, c, 12)
    assert found == {kind: len(pixels) for kind, pixels in seen.items()}, found
