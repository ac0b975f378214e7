"""The board: the network the players build, as one poster page and as tiles to print at home and glue.

The board is data: its texts come from ``cards/board.yaml`` (``board:``), its geometry, colours and font
sizes from ``layouts/board.yaml``, the sectors from the role groups in ``cards/game.yaml`` and their
colours from ``colours.groups`` in the card layout. The person in need is at the centre, the library
ring around it, the partners in one sector per role group, the wider world in the outer ring, and the
route (find, refer, train, follow up) in the corners, each step with a card-size outline, and beside it
the place where the route stalls.

The recipe: read the texts (:mod:`kaartenoptafel.load.board`) and the style
(:mod:`kaartenoptafel.layout.boardstyle`), lay the board out and check it (:mod:`kaartenoptafel.layout.board`,
:mod:`kaartenoptafel.layout.stall`), draw it (:mod:`kaartenoptafel.render.board`) on the poster page and the
tiles (:mod:`kaartenoptafel.impose.board`), with the worksheets (:mod:`kaartenoptafel.products.worksheets`).
All geometry is laid out and checked before anything is drawn; mistakes become located errors.
"""

from __future__ import annotations

from kaartenoptafel.build import Job, Product, register_check, register_product
from kaartenoptafel.errors import Collector
from kaartenoptafel.impose.board import TileSheets, tile_plan, write_poster
from kaartenoptafel.layout.board import Board
from kaartenoptafel.layout.boardstyle import Style, read_board_style, read_stall_place, read_tile_style
from kaartenoptafel.layout.card import Context
from kaartenoptafel.layout.stall import lay_out_stall
from kaartenoptafel.load.board import Content, read_board_texts, read_stall_texts, read_tile_texts
from kaartenoptafel.products import worksheets
from kaartenoptafel.resolve import ResolvedCard
from kaartenoptafel.write import printshop
from kaartenoptafel.write.atomic import write_bytes_atomic


def prepare_board(ctx: Context, cards: list[ResolvedCard], size: str, out: Collector):
    """Read and lay out the board; returns (board or None, content, style); problems go to ``out``."""
    content = Content(ctx, out)
    style = Style(ctx, out)
    board = None
    if content.data is not None and style.loc is not None:
        look = read_board_style(ctx, style, out)
        texts = read_board_texts(content, ctx.kit, len(look.slot_ref))
        board = Board(ctx, content, style, look, texts, cards, size, out)
        if board.laid_out:
            stall_texts = read_stall_texts(content)
            at = read_stall_place(style, content.pos("stall"), out) if stall_texts is not None else None
            board.stall = lay_out_stall(board, stall_texts, at) if at is not None else None
    return (None if out.diagnostics else board), content, style


def _board_product(job: Job) -> None:
    """board-poster, board-tiles and both worksheets; every problem of any of them is reported at once."""
    ctx, opts = job.ctx, job.options
    board, ts, texts, plan, sheets, problems = _laid_out(job)
    if problems or board is None or plan is None:
        job.out.extend(problems)
        return
    size, paper = opts.board_size, opts.paper
    poster = job.stage / f"board-poster-{size}.pdf"
    data, about = printshop.finish(ctx, job.cards, write_poster(ctx, board), poster.name, job.out)  # CMYK PDF/X-4
    if data is None:
        return
    write_bytes_atomic(poster, data)
    records = _records(board, plan, sheets, size, paper, about)
    job.products.append(records[0])
    job.progress.advance(1, "board poster")
    write_bytes_atomic(job.stage / records[1].path, TileSheets(ctx, board, texts, plan, ts, paper).write())
    job.products.append(records[1])
    for record, (_, data, _) in zip(records[2:], sheets):
        write_bytes_atomic(job.stage / record.path, data)
        job.products.append(record)
    job.progress.advance(1, "board tiles, worksheets")


def _records(board: Board, plan, sheets, size: str, paper: str, about: dict) -> list[Product]:
    """The manifest records of the poster, the tiles (a cover sheet and one sheet per tile) and the worksheets."""
    bleed = board.look.bleed
    records = [Product("board-poster", f"board-poster-{size}.pdf", 1,
                       f"{size.upper()} ({board.w_mm:g}x{board.h_mm:g}mm)+{bleed:g}mm bleed",
                       {"board_size": size, "trim_mm": [board.w_mm, board.h_mm], "bleed_mm": bleed, **about}),
               Product("board-tiles", f"board-tiles-{size}-{paper}.pdf", 1 + len(plan.tiles), worksheets.paper_name(paper),
                       {"board_size": size, "overlap_mm": plan.overlap, "cols": plan.cols, "rows": plan.rows,
                        "orientation": "landscape" if plan.landscape else "portrait"})]
    records += [Product(kind, f"{kind}-{paper}.pdf", pages, worksheets.paper_name(paper)) for kind, _, pages in sheets]
    return records


def _laid_out(job: Job) -> tuple:
    """(board, tile style, tile texts, tile plan, worksheets, problems): the board laid out and tiled and the
    worksheets made, nothing drawn on the board yet; once per build process (the product and its plan share it)."""
    key = ("board", job.options.board_size, job.options.paper, job.options.overlap)
    if key in job.memo:
        return job.memo[key]
    ctx, opts = job.ctx, job.options
    out = Collector()
    board, content, style = prepare_board(ctx, job.cards, opts.board_size, out)
    ts = read_tile_style(style)
    texts = read_tile_texts(content)
    plan = None
    if board is not None:
        try:
            plan = tile_plan(board, opts.paper, opts.overlap, ts)
        except ValueError as exc:
            out.error(style.pos("tiles"), f"cannot tile the board: {exc}")
    sheets = worksheets.make_worksheets(ctx, content, style, board, job.cards, opts.paper, out)
    job.memo[key] = board, ts, texts, plan, sheets, list(out.diagnostics)
    return job.memo[key]


def _plan_board(job: Job, out: Collector) -> list[Product]:
    """The board's records without drawing the board: the tiles counted by the tile plan, the worksheets laid out."""
    board, _, _, plan, sheets, problems = _laid_out(job)
    out.extend(problems)
    if problems or board is None or plan is None:
        return []
    return _records(board, plan, sheets, job.options.board_size, job.options.paper, printshop.describe(job.ctx))


def _check_board(ctx: Context, cards: list[ResolvedCard], out: Collector) -> None:
    """What `kot build` would find (`kot validate`): the board, its tiles on A4 and both worksheets."""
    from kaartenoptafel.build import BuildOptions

    board, content, style = prepare_board(ctx, cards, "a3", out)
    ts = read_tile_style(style)
    read_tile_texts(content)
    if board is not None:
        try:
            tile_plan(board, "a4", BuildOptions.overlap, ts)
        except ValueError as exc:
            out.error(style.pos("tiles"), f"cannot tile the board: {exc}")
    worksheets.make_worksheets(ctx, content, style, board, cards, "a4", out)


register_product("board", _board_product, _plan_board)
register_check("board", _check_board)
