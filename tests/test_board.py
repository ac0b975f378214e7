"""The board (poster and tiles) and the worksheets: page boxes, tiling geometry, text, sizes, located errors.

Most tests build ``--only board`` for a copy of the kit with a few role cards of their own (ids start
with ``test-``), so they do not depend on the default role cards; one test checks the full default build.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageFilter, ImageStat
from pypdf import PdfReader

from kaartenoptafel.build import BuildOptions, build, prepare
from kaartenoptafel.errors import Collector, ContentError
from kaartenoptafel.impose.tiles import EPS, Rect, count_for, plan_tiles, seams, tile_code
from kaartenoptafel.project import load_project
from kaartenoptafel.impose.board import tile_plan, write_poster
from kaartenoptafel.layout.board import BOARD_SIZES
from kaartenoptafel.layout.boardstyle import read_tile_style
from kaartenoptafel.products.board import prepare_board
from kaartenoptafel.resolve import resolve
from pdfcheck import box_mm, fonts, render, size_mm

REPO = Path(__file__).resolve().parent.parent

ROLE = """\
  - id: test-{n}
    type: rol
    titel: {titel}
    groep: {groep}
    missie: We doen mee aan de test van het bord.
    brengt: [{brengt}]
    haalt: [{haalt}]
    beperking: Weinig tijd.
    belang: Een goed bord.
"""


def roles(n_per_group: dict[str, int]) -> str:
    out, k = ["cards:\n"], 0
    for group, count in n_per_group.items():
        for i in range(count):
            k += 1
            out.append(ROLE.format(n=k, titel=f"Testpartner {k}", groep=group, brengt=f"Brengt iets nummer {k}, "
                                   f"Tweede gave {k}", haalt=f"Haalt hulp nummer {k}"))
    return "".join(out)


def make_project(root: Path, per_group: dict[str, int] | None = None) -> Path:
    """The kit's game, types, board texts and layouts, with role cards of our own (and no other cards, so
    content being written elsewhere in the kit cannot break these tests)."""
    (root / "cards").mkdir(parents=True)
    for name in ("game.yaml", "types.yaml", "board.yaml"):
        shutil.copy(REPO / "cards" / name, root / "cards" / name)
    shutil.copytree(REPO / "layouts", root / "layouts")
    groups = load_project(root).game.groups
    per_group = per_group or {g: (4 if i == 0 else 1) for i, g in enumerate(groups)}
    (root / "cards" / "zz_test_roles.yaml").write_text(roles(per_group), encoding="utf-8")
    return root


def board_build(project: Path, out: Path, **options) -> tuple[Path, dict]:
    manifest = build(BuildOptions(project=project, out_dir=out, only=("board",), quiet=True, **options))
    return out / "default", manifest


def entry(manifest: dict, kind: str) -> dict:
    found = [p for p in manifest["products"] if p["kind"] == kind]
    assert len(found) == 1, manifest["products"]
    return found[0]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = PdfReader(str(path)).pages
    chosen = pages if page is None else [pages[page]]
    return flat(" ".join(p.extract_text() or "" for p in chosen))


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("boardproj"))


@pytest.fixture(scope="module")
def a3(proj, tmp_path_factory) -> tuple[Path, dict]:
    return board_build(proj, tmp_path_factory.mktemp("a3"))


@pytest.fixture(scope="module")
def a2_letter(proj, tmp_path_factory) -> tuple[Path, dict]:
    return board_build(proj, tmp_path_factory.mktemp("a2"), board_size="a2", paper="letter", overlap=15.0)


def the_plan(project: Path, size: str, paper: str, overlap: float):
    ctx = prepare(project)
    out = Collector()
    board, content, style = prepare_board(ctx, [], size, out)
    assert board is not None, out.diagnostics
    return tile_plan(board, paper, overlap, read_tile_style(style)), board


# -- tiling geometry (pure) -------------------------------------------------------------------


def check_plan(plan, board_w, board_h, overlap):
    """Every property the assembly relies on, from the numbers alone."""
    assert plan.col_edges[0] == 0 and plan.col_edges[-1] == board_w
    assert plan.row_edges[0] == board_h and plan.row_edges[-1] == 0
    assert all(b > a for a, b in zip(plan.col_edges, plan.col_edges[1:]))
    assert all(b < a for a, b in zip(plan.row_edges, plan.row_edges[1:]))
    assert len(plan.tiles) == plan.cols * plan.rows
    board = Rect(0, 0, board_w, board_h)
    usable = plan.usable
    sizes = set()
    for t in plan.tiles:
        assert board.contains(t.shown) and t.shown.contains(t.cell)
        assert usable.contains(t.on_sheet, 1e-6), (t.code, t.on_sheet, usable)
        assert t.glue_right == (t.col < plan.cols - 1) and t.glue_below == (t.row < plan.rows - 1)
        sizes.add((t.shown.w, t.shown.h))
    ws, hs = [w for w, _ in sizes], [h for _, h in sizes]
    assert max(ws) - min(ws) < 1e-6 and max(hs) - min(hs) < 1e-6  # every sheet prints a picture of one size
    # the cells tile the board: their areas add up and no two overlap
    assert abs(sum(t.cell.w * t.cell.h for t in plan.tiles) - board_w * board_h) < 1e-3
    for i, a in enumerate(plan.tiles):
        for b in plan.tiles[:i]:
            assert a.cell.intersection(b.cell) is None
    # each seam is backed by exactly `overlap` mm of the tile underneath
    for under, over, strip in seams(plan):
        if over.col == under.col + 1:
            assert abs(strip.w - overlap) < 1e-6 and abs(strip.h - over.cell.h) < 1e-6
        else:
            assert abs(strip.h - overlap) < 1e-6 and abs(strip.w - over.cell.w) < 1e-6
    # glued in the map's order (row by row, left to right, each on top of the ones before), every point of
    # the board shows the tile whose cell holds it: no gap, and no strip left uncovered
    for fx in (0.001, 0.17, 0.33, 0.5, 0.66, 0.83, 0.999):
        for fy in (0.001, 0.25, 0.5, 0.75, 0.999):
            x, y = fx * board_w, fy * board_h
            on_top = [t for t in plan.tiles if t.shown.x0 <= x <= t.shown.x1 and t.shown.y0 <= y <= t.shown.y1][-1]
            assert on_top.cell.x0 - 1e-9 <= x <= on_top.cell.x1 + 1e-9 and on_top.cell.y0 - 1e-9 <= y <= on_top.cell.y1 + 1e-9


def fewest(board_w, board_h, sheet_w, sheet_h, overlap, margin, marks, band) -> int:
    """Brute force: the fewest tiles over both orientations, without the formula in tiles.py."""
    best = None
    for sw, sh in ((sheet_w, sheet_h), (sheet_h, sheet_w)):
        uw, uh = sw - 2 * (margin + marks), sh - 2 * (margin + marks) - band

        def n_for(length, usable):
            n = 1
            while n * usable - (n - 1) * overlap < length - EPS:
                n += 1
                if n > 500:
                    return None
            return n

        if uw <= overlap or uh <= overlap:
            continue
        cols, rows = n_for(board_w, uw), n_for(board_h, uh)
        if cols and rows and (best is None or cols * rows < best):
            best = cols * rows
    return best


@pytest.mark.parametrize("size, paper, expect", [
    ("a3", (210, 297), (2, 2, True)),
    ("a2", (210, 297), (4, 2, False)),
    ("a1", (210, 297), (5, 3, False)),
    ("a3", (215.9, 279.4), (2, 2, True)),
])
def test_plan_for_the_board_sizes(size, paper, expect):
    w, h = BOARD_SIZES[size]
    plan = plan_tiles(w, h, *paper, overlap=10, printer_margin=5, mark_space=4.5, label_band=9)
    assert (plan.cols, plan.rows, plan.landscape) == expect
    check_plan(plan, w, h, 10)
    assert plan.cols * plan.rows == fewest(w, h, *paper, 10, 5, 4.5, 9)
    assert [t.code for t in plan.tiles][:2] == ["A1", "A2"]


@settings(max_examples=150, deadline=None)
@given(
    w=st.floats(30, 1500), h=st.floats(30, 1500),
    paper=st.sampled_from([(210, 297), (215.9, 279.4), (297, 420), (148, 210)]),
    overlap=st.floats(3, 40), margin=st.floats(0, 8), marks=st.floats(2, 6), band=st.floats(5, 12),
)
def test_tiling_covers_any_board_on_any_paper_with_fewest_sheets(w, h, paper, overlap, margin, marks, band):
    try:
        plan = plan_tiles(w, h, *paper, overlap=overlap, printer_margin=margin, mark_space=marks, label_band=band)
    except ValueError:
        assert fewest(w, h, *paper, overlap, margin, marks, band) is None
        return
    check_plan(plan, w, h, overlap)
    assert plan.cols * plan.rows == fewest(w, h, *paper, overlap, margin, marks, band)


def test_tile_codes_and_counts():
    assert [tile_code(r, c) for r, c in ((0, 0), (1, 2), (25, 0), (26, 3))] == ["A1", "B3", "Z1", "AA4"]
    assert count_for(100, 100, 10) == 1 and count_for(101, 100, 10) == 2 and count_for(190, 100, 10) == 2
    assert count_for(191, 100, 10) == 3
    with pytest.raises(ValueError):
        count_for(500, 10, 10)


# -- the poster ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["a3", "a2", "a1"])
def test_poster_is_exactly_the_board_size_with_bleed_and_marks(proj, a3, tmp_path, size):
    folder, manifest = a3 if size == "a3" else board_build(proj, tmp_path, board_size=size)
    e = entry(manifest, "board-poster")
    assert e["path"] == f"board-poster-{size}.pdf" and e["pages"] == 1 and e["board_size"] == size
    page = PdfReader(str(folder / e["path"])).pages[0]
    want_w, want_h = BOARD_SIZES[size]
    trim, bleed, media = box_mm(page.trimbox), box_mm(page.bleedbox), box_mm(page.mediabox)
    assert len(page["/TrimBox"]) == 4 and len(page["/BleedBox"]) == 4
    assert size_mm(page.trimbox) == pytest.approx((want_w, want_h), abs=0.01)
    for t, b in zip(trim, bleed):
        assert abs(abs(t - b) - 3.0) < 0.01  # 3 mm bleed on every side
    assert media[0] < bleed[0] - 5 and media[2] > bleed[2] + 5  # room for the crop marks
    # crop marks: dark lines on the trim lines' extensions, outside the bleed
    dpi = 100
    img = render(folder / e["path"], 0, dpi=dpi)
    px = lambda v_mm: v_mm / 25.4 * dpi  # noqa: E731
    H = img.height
    for x_mm, y_mm in ((trim[0] - 3 - 4, trim[1]), (trim[2] + 3 + 4, trim[3]), (trim[0], trim[1] - 3 - 4)):
        x, y = px(x_mm), H - px(y_mm)
        window = [img.getpixel((int(x + dx), int(y + dy))) for dx in range(-2, 3) for dy in range(-2, 3)]
        assert min(sum(p) / 3 for p in window) < 130, (x_mm, y_mm)
    # the background runs into the bleed, so a print shop's cut leaves no white edge
    inside_bleed = img.getpixel((int(px(bleed[0] + 1)), int(H - px((bleed[1] + bleed[3]) / 2))))
    assert inside_bleed != (255, 255, 255)


def test_every_sector_and_route_step_is_in_the_poster_text(proj, a3):
    folder, manifest = a3
    text = pdf_text(folder / entry(manifest, "board-poster")["path"])
    kit = load_project(proj)
    for name in kit.game.groups.values():
        assert name in text
    for step in ("Vinden", "Doorverwijzen", "Trainen", "Opvolgen"):
        assert step in text
    assert kit.game.title in text
    squeezed = text.replace(" ", "")  # the rings' labels are set letter by letter along the circle
    for variable in ("bibliotheek", "taalhuis", "gemeente"):
        assert kit.game.variables[variable].replace(" ", "") in squeezed


def words_mm(path: Path) -> dict[str, tuple[float, float, float, float]]:
    """Each word's first box on page 1 (x0, y0, x1, y1 in mm from the top-left of the MediaBox)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    found = {}
    for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', xml):
        found.setdefault(m.group(5), tuple(float(v) * 25.4 / 72 for v in m.groups()[:4]))
    return found


def test_the_stall_place_is_beside_the_route_between_the_last_and_first_step(proj, a3):
    """'Hier hapert het' stands on the board, left of the rings, below step 1 and above step 4."""
    folder, manifest = a3
    path = folder / entry(manifest, "board-poster")["path"]
    assert "Hier hapert het" in pdf_text(path)
    words = words_mm(path)
    offset = 8 + 3  # the poster's mark room and bleed round the trimmed board
    stall, first, last = words["hapert"], words["Vinden"], words["Opvolgen"]
    assert first[3] < stall[1] and stall[3] < last[1]
    rings_left = 210 - 128  # centre x minus the outer ring's radius (layouts/board.yaml)
    assert stall[2] - offset < rings_left


def sizes_in(path: Path, page: int = 0) -> list[tuple[float, str]]:
    """(effective font size in pt, text) of every piece of text on a page, forms included."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            b = tm[2] * cm[0] + tm[3] * cm[2]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            found.append((size * math.hypot(b, d), text.strip()))

    PdfReader(str(path)).pages[page].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("size", ["a3", "a2"])
def test_no_board_text_below_14_pt_at_a3(proj, a3, tmp_path, size):
    folder, manifest = a3 if size == "a3" else board_build(proj, tmp_path, board_size=size)
    found = sizes_in(folder / entry(manifest, "board-poster")["path"])
    assert len(found) > 50
    smallest = min(s for s, _ in found)
    assert smallest >= 14 - 0.01, sorted(found)[:5]


def test_partners_sit_in_their_groups_sector(proj, a3):
    """Each partner's name is drawn in its group's sector: rotated to the sector's middle angle."""
    folder, manifest = a3
    kit = load_project(proj)
    text = pdf_text(folder / entry(manifest, "board-poster")["path"])
    groups = list(kit.game.groups)
    first = [c for c in kit.cards_of("rol") if c.fields["groep"] == groups[1]]
    assert first and first[0].fields["titel"] in text
    # the crowded first group shows what fits and counts the rest
    crowded = [c.fields["titel"] for c in kit.cards_of("rol") if c.fields["groep"] == groups[0]]
    shown = [t for t in crowded if t in text]
    assert shown == crowded or re.search(r"en nog \d+", text)


def test_poster_is_deterministic(proj, a3, tmp_path):
    _, again = board_build(proj, tmp_path)
    assert {p["path"]: p["sha256"] for p in again["products"]} == {p["path"]: p["sha256"] for p in a3[1]["products"]}


# -- the tiles ---------------------------------------------------------------------------------


def mean_diff(a: Image.Image, b: Image.Image) -> float:
    stat = ImageStat.Stat(ImageChops.difference(a, b))
    return sum(stat.mean) / 3


@pytest.mark.parametrize("which", ["a3", "a2_letter"])
def test_tiles_glued_as_the_map_says_give_the_poster(proj, request, which):
    """Render the poster and every tile. Each tile's cell matches the same part of the poster best where
    the plan puts it (within a pixel, 0.4 mm), and pasting the tiles row by row, later ones on top,
    leaves no gap and gives the poster back."""
    folder, manifest = request.getfixturevalue(which)
    tiles = entry(manifest, "board-tiles")
    size = tiles["board_size"]
    paper = "a4" if which == "a3" else "letter"
    plan, board = the_plan(proj, size, paper, tiles["overlap_mm"])
    assert (tiles["cols"], tiles["rows"], tiles["pages"]) == (plan.cols, plan.rows, 1 + len(plan.tiles))
    reader = PdfReader(str(folder / tiles["path"]))
    for page in reader.pages:
        assert size_mm(page.mediabox) == pytest.approx((plan.sheet_w, plan.sheet_h), abs=0.05)
    dpi = 60
    k = dpi / 25.4
    poster_path = folder / entry(manifest, "board-poster")["path"]
    page = PdfReader(str(poster_path)).pages[0]
    trim, media_h = box_mm(page.trimbox), size_mm(page.mediabox)[1]
    # the poster is CMYK for the print shop and the tiles are RGB for home printers, so the tiles are compared
    # with the same board drawn before its separation (write_poster), which has the same geometry and pages
    ctx = prepare(proj)
    full, _, _ = prepare_board(ctx, resolve(ctx.kit), size, Collector())
    rgb_poster = folder.parent / f"poster-rgb-{which}.pdf"
    rgb_poster.write_bytes(write_poster(ctx, full))
    poster = render(rgb_poster, 0, dpi)
    ox, oy = trim[0] * k, (media_h - trim[3]) * k  # the board's top-left corner in the poster image

    def from_poster(r: Rect, dx: int = 0, dy: int = 0) -> Image.Image:
        return poster.crop((round(ox + r.x0 * k) + dx, round(oy + (plan.board_h - r.y1) * k) + dy,
                            round(ox + r.x0 * k) + dx + round(r.w * k), round(oy + (plan.board_h - r.y1) * k) + dy + round(r.h * k)))

    W, H = round(plan.board_w * k), round(plan.board_h * k)
    SENTINEL = (255, 0, 255)
    glued = Image.new("RGB", (W, H), SENTINEL)
    for i, tile in enumerate(plan.tiles):
        sheet = render(folder / tiles["path"], i + 1, dpi)
        x0, y1 = tile.to_sheet(tile.cell.x0, tile.cell.y1)
        cell = sheet.crop((round(x0 * k), round((plan.sheet_h - y1) * k),
                           round(x0 * k) + round(tile.cell.w * k), round((plan.sheet_h - y1) * k) + round(tile.cell.h * k)))
        scores = {(dx, dy): mean_diff(cell, from_poster(tile.cell, dx, dy)) for dx in range(-3, 4) for dy in range(-3, 4)}
        best = min(scores, key=scores.get)
        assert abs(best[0]) <= 1 and abs(best[1]) <= 1, (tile.code, best, scores[best], scores[(0, 0)])
        assert scores[best] < 5, (tile.code, scores[best])  # anti-aliasing and the seams' crosses
        pic = tile.on_sheet
        crop = sheet.crop((round(pic.x0 * k), round((plan.sheet_h - pic.y1) * k),
                           round(pic.x0 * k) + round(pic.w * k), round((plan.sheet_h - pic.y1) * k) + round(pic.h * k)))
        glued.paste(crop, (round(tile.shown.x0 * k), round((plan.board_h - tile.shown.y1) * k)))
    assert SENTINEL not in set(glued.getdata())  # no gap anywhere
    assert mean_diff(glued.filter(ImageFilter.BoxBlur(1)), from_poster(Rect(0, 0, plan.board_w, plan.board_h))
                     .resize(glued.size).filter(ImageFilter.BoxBlur(1))) < 5


def test_tiles_have_labels_glue_strips_and_a_map(proj, a3):
    folder, manifest = a3
    tiles = entry(manifest, "board-tiles")
    plan, _ = the_plan(proj, "a3", "a4", tiles["overlap_mm"])
    path = folder / tiles["path"]
    first = pdf_text(path, 0)
    assert "Zo plak je het bord in elkaar" in first and "Plakstrook 10 mm" in first
    for tile in plan.tiles:
        assert tile.code in first
    for i, tile in enumerate(plan.tiles):
        text = pdf_text(path, i + 1)
        assert f"Vel {tile.code}" in text and f"rij {tile.code[0]}, kolom {tile.col + 1}" in text
        if tile.glue_right:
            assert f"Plak hier, onder vel {tile_code(tile.row, tile.col + 1)}" in text
        if tile.glue_below:
            assert f"Plak hier, onder vel {tile_code(tile.row + 1, tile.col)}" in text
        if not (tile.glue_right or tile.glue_below):
            assert "Plak hier" not in text
    # the glue strip is plain grey (the README's "grijze strook"), whatever the board shows under the next sheet
    t = plan.tile(0, 0)
    dpi = 40
    k = dpi / 25.4
    sheet = render(path, 1, dpi)
    x_mm, y_mm = t.to_sheet(t.cell.x1 + plan.overlap / 2, t.cell.y0 + t.cell.h * 0.8)
    strip_px = sheet.getpixel((round(x_mm * k), round((plan.sheet_h - y_mm) * k)))
    r, g, b = strip_px
    assert r == g == b and 150 <= r <= 235, strip_px


def test_overlap_option_changes_the_strips(proj, tmp_path):
    folder, manifest = board_build(proj, tmp_path, overlap=25.0)
    tiles = entry(manifest, "board-tiles")
    assert tiles["overlap_mm"] == 25.0
    plan, _ = the_plan(proj, "a3", "a4", 25.0)
    check_plan(plan, 420, 297, 25.0)
    assert "Plakstrook 25 mm" in pdf_text(folder / tiles["path"], 0)


# -- the worksheets ----------------------------------------------------------------------------


def test_afspraak_worksheet(a3):
    folder, manifest = a3
    e = entry(manifest, "worksheet-afspraak")
    page = PdfReader(str(folder / e["path"])).pages[0]
    assert e["pages"] == 1 and size_mm(page.mediabox) == pytest.approx((210, 297), abs=0.1)
    text = pdf_text(folder / e["path"])
    for piece in ("Samenwerkingsafspraak", "Partner 1", "Partner 2", "Wie (organisatie)", "Brengt", "Haalt",
                  "Contactpersoon", "Voor wie?", "wanneer kijken we samen of het werkt?", "Afwegingstabel",
                  "Past het?", "Voegt het iets toe?", "Is het haalbaar?", "ja", "twijfel", "nee"):
        assert piece in text, piece


def drawn(path: Path, page: int = 0) -> tuple[list[tuple[float, float, float, float]], list[tuple[float, float]]]:
    """The page's straight strokes (x0, y0, x1, y1, width) in mm and its squares' sides in mm, from its operators."""
    import pikepdf

    lines, squares = [], []
    width, start = 1.0, None
    with pikepdf.open(path) as pdf:
        for operands, op in pikepdf.parse_content_stream(pdf.pages[page]):
            op = str(op)
            if op == "w":
                width = float(operands[0])
            elif op == "m":
                start = tuple(float(v) for v in operands)
            elif op == "l" and start is not None:
                end = tuple(float(v) for v in operands)
                lines.append((*(v * 25.4 / 72 for v in start + end), width))
                start = end
            elif op == "re":
                w, h = (abs(float(v)) * 25.4 / 72 for v in operands[2:])
                if abs(w - h) < 0.01:
                    squares.append(w)
    return lines, squares


def writing_pitches(path: Path) -> list[float]:
    """Distances (mm) between neighbouring writing lines (thin horizontal strokes) that share a column."""
    lines, _ = drawn(path)
    columns: dict[tuple, list[float]] = {}
    for x0, y0, x1, y1, w in lines:
        if abs(y0 - y1) < 0.01 and abs(x1 - x0) > 15 and w < 0.7:
            columns.setdefault((round(x0, 1), round(x1, 1)), []).append(y0)
    pitches = []
    for ys in columns.values():
        ys = sorted(set(round(y, 2) for y in ys))
        pitches += [b - a for a, b in zip(ys, ys[1:])]
    return pitches


def test_afspraak_has_room_for_a_trio_the_balance_rule_and_pen_sized_lines_and_boxes(a3):
    folder, manifest = a3
    path = folder / entry(manifest, "worksheet-afspraak")["path"]
    text = pdf_text(path)
    for piece in ("Partner 1", "Partner 2", "Partner 3", "Balans", "minstens één", "krachtenanalyse", "Terugkijken"):
        assert piece in text, piece
    pitches = writing_pitches(path)
    assert len(pitches) > 15
    assert min(pitches) >= 8 - 0.01, sorted(pitches)[:3]
    _, squares = drawn(path)
    assert len(squares) == 3 + 3 * 3  # a balance tick per partner; ja, twijfel, nee per test
    assert min(squares) >= 4


def test_krachtenanalyse_prints_the_balance_rule_and_leaves_the_own_partner_rows_empty(proj, a3):
    folder, manifest = a3
    e = entry(manifest, "worksheet-krachtenanalyse")
    path = folder / e["path"]
    assert "minstens één" in pdf_text(path, 0)
    last = e["pages"] - 1
    words = subprocess.run(["pdftotext", "-bbox", "-f", str(last + 1), "-l", str(last + 1), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    boxes = [(float(m.group(2)), m.group(5)) for m in re.finditer(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', words)]
    heading = next(y for y, w in boxes if w == "Eigen")
    footer = max(y for y, _ in boxes)
    below = [w for y, w in boxes if heading + 5 < y < footer - 1]
    assert below == [], below  # nothing printed in the empty rows: no grey placeholder to write over


def test_cards_to_write_on_have_lines_at_least_8_mm_apart(built):
    """The cards to write on (agreement and route cards) in the print-shop deck: ruled lines, measured on the page."""
    kit = load_project(REPO)
    cards = [c for tid in ("afspraak", "stap") if tid in kit.types for c in kit.cards_of(tid)]
    assert cards
    path = built / "deck-printshop.pdf"
    reader = PdfReader(str(path))
    for card in cards:
        first = card.fields["regels"][0]
        page = next(i for i, p in enumerate(reader.pages) if first in (p.extract_text() or ""))
        lines, squares = drawn(path, page)
        ys = sorted({round(y0, 2) for x0, y0, x1, y1, w in lines  # the writing lines: 0.5 pt, card-wide
                     if abs(y0 - y1) < 0.01 and abs(x1 - x0) > 20 and 0.4 <= w <= 0.6})
        assert len(ys) == len(card.fields["regels"])
        assert min(b - a for a, b in zip(ys, ys[1:])) >= 8, ys
        assert len([q for q in squares if q >= 3]) == len(card.fields.get("toetsen", []))


def test_krachtenanalyse_lists_every_partner(proj, a3):
    folder, manifest = a3
    e = entry(manifest, "worksheet-krachtenanalyse")
    text = pdf_text(folder / e["path"])
    kit = load_project(proj)
    partners = kit.cards_of("rol")
    assert partners
    for card in partners:
        assert flat(card.fields["titel"].replace("{gemeente}", kit.game.variables["gemeente"])) in text
        for item in card.fields["brengt"] + card.fields["haalt"]:
            for name, value in kit.game.variables.items():
                item = item.replace("{" + name + "}", value)
            assert flat(item) in text, item


def test_krachtenanalyse_runs_over_pages(tmp_path):
    project = make_project(tmp_path / "p", {"vindplaats": 20, "trainer": 12, "werk": 8})
    folder, manifest = board_build(project, tmp_path / "out")
    e = entry(manifest, "worksheet-krachtenanalyse")
    reader = PdfReader(str(folder / e["path"]))
    assert e["pages"] == len(reader.pages) >= 3
    for i in range(len(reader.pages)):
        text = pdf_text(folder / e["path"], i)
        assert "Brengt" in text and "Haalt" in text  # the table head on every page
        assert f"Blad {i + 1}/{len(reader.pages)}" in text
    text = pdf_text(folder / e["path"])
    assert all(f"Testpartner {n}" in text for n in range(1, 41))


def test_every_file_has_its_fonts_embedded(a3):
    folder, manifest = a3
    for p in manifest["products"]:
        found = fonts(folder / p["path"])
        assert found and all(f["embedded"] for f in found), (p["path"], found)
        assert not any("Helvetica" in f["name"] for f in found)


# -- through kot build ---------------------------------------------------------------------------


def test_full_build_lists_the_board_products(built):
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    kinds = {p["kind"]: p for p in manifest["products"]}
    for kind in ("board-poster", "board-tiles", "worksheet-afspraak", "worksheet-krachtenanalyse"):
        assert kind in kinds
        data = (built / kinds[kind]["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == kinds[kind]["sha256"]


def kot(*args):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", *args], capture_output=True, text=True)


def test_cli_only_board_with_size_and_paper(proj, tmp_path):
    result = kot("build", "--project", str(proj), "--only", "board", "--board-size", "a2", "--paper", "letter",
                 "--overlap", "12", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "default" / "manifest.json").read_text("utf-8"))
    paths = sorted(p["path"] for p in manifest["products"])
    assert paths == ["board-poster-a2.pdf", "board-tiles-a2-letter.pdf", "worksheet-afspraak-letter.pdf",
                     "worksheet-krachtenanalyse-letter.pdf"]
    assert entry(manifest, "board-tiles")["overlap_mm"] == 12


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once and return the 1-based line where it stands."""
    text = path.read_text("utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


@pytest.mark.parametrize("file, old, new, fragment", [
    ("layouts/board.yaml", "persona: 57", "persona: 45", "does not fit in the centre circle"),
    ("layouts/board.yaml", "legend: {at: [350, 114, 62, 70]}", "legend: {at: [300, 114, 62, 70]}", "the legend overlaps"),
    ("layouts/board.yaml", "stall: {at: [8, 148, 70, 36]}", "stall: {at: [8, 100, 70, 36]}",
     "'stall' place (board.stall) overlaps route step 1"),
    ("layouts/board.yaml", "stall: {at: [8, 148, 70, 36]}", "stall: {at: [8, 130, 70, 36]}", "overlaps the title box"),
    ("cards/board.yaml", "heading: Hier hapert het", "kop: Hier hapert het", "unknown key 'kop'"),
    ("layouts/board.yaml", "    legend: 14\n", "    legend: 11\n", "below min_text"),
    ("layouts/board.yaml", "widths: [24, 29, 25, 22]", "widths: [24, 29, 25]", "3 column widths for the 4 columns"),
    ("cards/board.yaml", "type: rol ", "type: roll ", "card type 'roll' does not exist (did you mean 'rol'?)"),
    ("cards/board.yaml", "title: Zo lees je het bord", "titel: Zo lees je het bord", "unknown key 'titel'"),
    ("cards/board.yaml", "- {label: Haalt, field: haalt}", "- {label: Haalt, field: hatl}", "'hatl' is not a field"),
    ("cards/game.yaml", "vrijwilligers: Vrijwilligersorganisatie",
     "vrijwilligers: Vrijwilligersorganisatiesamenwerkingsverband", "does not fit its sector"),
])
def test_mistakes_are_located(tmp_path, file, old, new, fragment):
    project = make_project(tmp_path / "p")
    line = edit(project / file, old, new)
    with pytest.raises(ContentError) as err:
        board_build(project, tmp_path / "out")
    found = [d for d in err.value.diagnostics if fragment in d.message]
    assert found, [str(d) for d in err.value.diagnostics]
    assert found[0].pos.path == file and found[0].pos.line == line, str(found[0])
    assert not (tmp_path / "out" / "default").exists()  # nothing was written


def test_route_steps_must_match_their_places(tmp_path):
    project = make_project(tmp_path / "p")
    edit(project / "cards/board.yaml", "    - name: Opvolgen\n      text: Wie blijft in contact en vraagt hoe het gaat?\n", "")
    result = kot("build", "--project", str(project), "--only", "board", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"^cards/board\.yaml:\d+:\d+: error: the route has 3 steps but layouts/board\.yaml has 4",
                     result.stderr, re.M), result.stderr
