"""Per-card backs: a type's ``back_frames`` print the card's own fields on its back, behind its front."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from kaartenoptafel.build import BuildOptions, build, prepare
from kaartenoptafel.impose.grid import make_grid
from kaartenoptafel.resolve import resolve

from pdfcheck import PT, find_text, page_text, squeeze

HIDDEN = {"rol": ("belang",), "situatie": ("zegt_niet",)}


def _start(text: str) -> str:
    """The first words of a text: they sit on the first line, so a search finds them whatever the wrapping."""
    return " ".join(text.split()[:2])


def _cell(grid, x_mm: float, y_mm: float) -> tuple[int, int]:
    col = int((x_mm / PT - grid.x0) // grid.card_w)
    row = grid.rows - 1 - int((y_mm / PT - grid.y0) // grid.card_h)
    return row, col


@pytest.fixture(scope="module")
def home(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("backs")
    build(BuildOptions(project=repo, out_dir=out, only=("deck",), quiet=True))
    return out / "default" / "deck-a4.pdf"


def test_hidden_fields_are_on_no_fronts_page(repo, home):
    ctx = prepare(repo)
    pages = len(PdfReader(str(home)).pages)
    fronts = [page_text(home, p) for p in range(0, pages, 2)]
    backs = "".join(page_text(home, p) for p in range(1, pages, 2))
    checked = 0
    for card in resolve(ctx.kit):
        for name in HIDDEN.get(card.type, ()):
            text = squeeze(str(card.values[name]))
            assert all(text not in page for page in fronts), (card.id, name)
            assert text in backs, (card.id, name)
            checked += 1
    assert checked >= 40
    for label in ("Verborgenbelang:", "Zegtniet:"):  # the labels (a question card is titled "Verborgen belang")
        assert all(label not in page for page in fronts)


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_each_hidden_field_is_behind_its_own_front(repo, home, tmp_path, duplex):
    """Find each role/situation title in a fronts cell; its hidden text is in the mirrored cell of the next page."""
    pdf = home
    if duplex == "short":
        build(BuildOptions(project=repo, out_dir=tmp_path, only=("deck",), duplex="short", quiet=True))
        pdf = tmp_path / "default" / "deck-a4.pdf"
    ctx = prepare(repo)
    grid = make_grid("a4", ctx.spec.width, ctx.spec.height)
    pages = len(PdfReader(str(pdf)).pages)
    cards = {c.title: c for c in resolve(ctx.kit) if c.type in HIDDEN}
    found = 0
    for front in range(0, pages, 2):
        for title, card in cards.items():
            for x, y in find_text(pdf, front, title):
                row, col = _cell(grid, x, y)
                cell_top = grid.y0 + (grid.rows - row) * grid.card_h
                if cell_top * PT - y > 15:
                    continue  # the name in another card's text, not a title in its band
                want = grid.back_cell(row * grid.cols + col, duplex)
                for name in HIDDEN[card.type]:
                    spots = {_cell(grid, bx, by) for bx, by in find_text(pdf, front + 1, _start(card.values[name]))}
                    assert want in spots, (card.id, name, front, (row, col), want, spots)
                    found += 1
    assert found >= 40


def test_fronts_sheets_hold_one_type_each_in_the_order_of_types_yaml(repo, home):
    """The caption names each sheet's type; every card title on a sheet is a card of that type."""
    ctx = prepare(repo)
    kit = ctx.kit
    grid = make_grid("a4", ctx.spec.width, ctx.spec.height)
    plural = {squeeze(t.plural): tid for tid, t in kit.types.items()}
    pages = len(PdfReader(str(home)).pages)
    order = []
    titles = {}
    for card in resolve(kit):
        titles.setdefault(card.title, set()).add(card.type)
    for front in range(0, pages, 2):
        text = page_text(home, front)
        named = [tid for name, tid in plural.items() if f"·{name}·" in text]
        assert len(named) == 1, (front, named)
        order.append(named[0])
        found = 0
        for title, tids in titles.items():
            for x, y in find_text(home, front, title):
                row, _ = _cell(grid, x, y)
                if (grid.y0 + (grid.rows - row) * grid.card_h) * PT - y <= 15:  # a title in its band
                    assert named[0] in tids, (front, title, named[0])
                    found += 1
        assert found >= 1
    rank = list(kit.types)
    assert order == sorted(order, key=rank.index)  # sheets follow types.yaml
    assert set(order) == {c.type for c in kit.cards}
    # each back text is the name the guide uses for the type (Rol: Rolkaart, Vraag: Vraagkaart)
    for ctype in kit.types.values():
        assert ctype.back_text.lower() in ctype.name.lower(), ctype.id
