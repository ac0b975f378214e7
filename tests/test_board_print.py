"""The board as printed: glue strips the plain grey the README and the map describe, partners drawn inside
their own group's sector (by angle from the board's centre, measured on the rendered poster)."""

from __future__ import annotations

import math

import pytest
from PIL import ImageStat
from pypdf import PdfReader

from kaartenoptafel.build import BuildOptions, build, prepare
from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.board import tile_plan
from kaartenoptafel.layout.boardstyle import read_tile_style
from kaartenoptafel.products.board import prepare_board
from kaartenoptafel.render.ink import strip_grey
from kaartenoptafel.resolve import resolve
from pdfcheck import box_mm, find_text, render, size_mm


@pytest.fixture(scope="module")
def boards(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("board")
    build(BuildOptions(project=repo, out_dir=out, only=("board",), quiet=True))
    ctx = prepare(repo)
    collector = Collector()
    board, content, style = prepare_board(ctx, resolve(ctx.kit), "a3", collector)
    assert board is not None, collector.diagnostics
    plan = tile_plan(board, "a4", 10.0, read_tile_style(style))
    return out / "default", board, plan, read_tile_style(style)


def test_glue_strips_are_plain_grey(boards):
    folder, board, plan, ts = boards
    dpi = 60
    k = dpi / 25.4
    grey = round(strip_grey(ts.shade) * 255)
    assert 150 <= grey <= 235  # visibly grey, not white and not a faded picture
    checked = 0
    for i, tile in enumerate(plan.tiles):
        sheet = render(folder / "board-tiles-a3-a4.pdf", i + 1, dpi)
        strips = []
        if tile.glue_right:  # a band 2 mm wide just inside the strip's outer edge: no label runs there
            x0, y0 = tile.to_sheet(tile.shown.x1 - 2.5, tile.cell.y0 + 5)
            x1, y1 = tile.to_sheet(tile.shown.x1 - 0.5, tile.cell.y1 - 5)
            strips.append((x0, y0, x1, y1))
        if tile.glue_below:
            x0, y0 = tile.to_sheet(tile.cell.x0 + 5, tile.shown.y0 + 0.5)
            x1, y1 = tile.to_sheet(tile.cell.x1 - 5, tile.shown.y0 + 2.5)
            strips.append((x0, y0, x1, y1))
        for x0, y0, x1, y1 in strips:
            box = (round(x0 * k), round((plan.sheet_h - y1) * k), round(x1 * k), round((plan.sheet_h - y0) * k))
            stat = ImageStat.Stat(sheet.crop(box))
            assert all(abs(m - grey) < 3 for m in stat.mean), (tile.code, stat.mean, grey)
            assert max(stat.stddev) < 3, (tile.code, stat.stddev)  # one flat grey, no board showing through
            checked += 1
    assert checked >= 2


def test_partners_are_drawn_inside_their_groups_sector(boards):
    folder, board, plan, ts = boards
    poster = folder / "board-poster-a3.pdf"
    page = PdfReader(str(poster)).pages[0]
    trim = box_mm(page.trimbox)
    pt = 25.4 / 72
    cx, cy = trim[0] + board.cx * pt, trim[1] + board.cy * pt  # the rings' centre, mm on the page
    checked = 0
    for sector in board.sectors:
        for line in sector.lines:
            words = [w for w in line.text.replace("·", " ").split() if len(w) >= 5 and w.isalpha()]
            for word in words[:2]:
                hits = find_text(poster, 0, word)
                assert hits, (sector.group, word)
                inside = []
                for x, y in hits:
                    angle = math.degrees(math.atan2(y - cy, x - cx)) % 360
                    lo, hi = sector.end % 360, sector.start % 360
                    inside.append(lo <= angle <= hi if lo <= hi else (angle >= lo or angle <= hi))
                assert any(inside), (sector.group, word, hits)
                checked += 1
    assert checked >= 10


def test_wrapped_partner_names_read_unambiguously_in_english(repo, tmp_path):
    """A line that ends where a name ends carries the separator; one that does not continues the name. Read back
    that way, every sector's lines give exactly the partners' names (and 'plus N')."""
    from kaartenoptafel.project import load_project

    kit = load_project(repo, "english")
    ctx = prepare(repo, "english")
    collector = Collector()
    cards = resolve(ctx.kit)
    board, _, _ = prepare_board(ctx, cards, "a3", collector)
    assert board is not None, collector.diagnostics
    names = {str(c.values.get(board.texts.name_field, c.title)) for c in cards if c.type == board.texts.partner_type}
    wrapped = 0
    for sector in board.sectors:
        partner_lines = [line.text for line in sector.lines if line.font == board.regular]
        read, current = [], ""
        for i, text in enumerate(partner_lines):
            current = f"{current} {text}".strip() if current else text
            if text.endswith(" ·") or i == len(partner_lines) - 1:
                read.extend(part.strip() for part in current.rstrip(" ·").split(" · "))
                current = ""
            else:
                wrapped += 1
        for name in read:
            assert name in names or name.startswith(board.texts.more), (sector.group, name, partner_lines)
    assert wrapped >= 1  # the English names are long: some do wrap, and they read back whole
    assert kit.game.language == "en"
