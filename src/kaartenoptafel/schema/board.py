"""The board and the worksheets: their texts (``board:`` in cards/board.yaml) and their geometry, colours and font
sizes (layouts/board.yaml). ``kot schema`` writes them; load/board.py, load/worksheets.py and layout/boardstyle.py
take the keys a mapping allows, the least items of a list and each number's range and unit from them."""

from __future__ import annotations

from kaartenoptafel.schema.common import colour
from kaartenoptafel.schema.nodes import Field, Int, ListOf, Mapping, Number, Text


def _text(description: str, examples: tuple = ()) -> Field:
    return Field(Text(description, examples, min_length=1), required=True)


def _texts(description: str, least: int = 1, most: int | None = None) -> Field:
    return Field(ListOf(description, item=Text(min_length=1), min_items=least, max_items=most), required=True)


def _lines(description: str) -> Field:
    return Field(ListOf(description, min_items=1, item=Mapping(fields={
        "label": _text("the question or heading"),
        "lines": Field(Int("writing lines for it", minimum=1, maximum=12), required=True),
    })), required=True)


AFSPRAAK = Mapping("the agreement worksheet (samenwerkingsafspraak)", fields={
    "title": _text("the sheet's title"),
    "intro": _text("a line under the title"),
    "partners": _texts("the column heads, one per partner (2 or 3)", least=2, most=3),
    "per_partner": _lines("what each partner fills in"),
    "balance": Field(Mapping("the balance check", fields={
        "title": _text("its heading"), "rule": _text("the rule"), "check": _text("the tick box text")})),
    "together": _lines("what the partners fill in together"),
    "tests": Field(Mapping("the table of tests", fields={
        "title": _text("its heading"),
        "columns": _texts("the column heads", least=2),
        "rows": Field(ListOf(item=Mapping(fields={"label": _text("the test"), "text": _text("its question")}),
                             min_items=1), required=True),
        "lines": Field(Int("writing lines for 'Waarom?' per test (default 2)", minimum=1, maximum=4)),
    }), required=True),
    "sign": _text("the line to sign"),
})

KRACHTENANALYSE = Mapping("the strengths worksheet (krachtenanalyse): a table of the partner cards", fields={
    "title": _text("the sheet's title"),
    "intro": _text("a line under the title"),
    "rule": Field(Text("a rule under the intro", min_length=1)),
    "columns": Field(ListOf("the columns: a heading and the partner card's field it shows (none: empty)",
                            min_items=1, item=Mapping(fields={
                                "label": _text("the column head"),
                                "field": Field(Text("a field of the partner cards", numbers=False))})),
                     required=True),
    "extra": _text("the heading above the empty rows"),
    "page": _text("the word before the page number"),
})

BOARD = Mapping(
    "the board's and the worksheets' texts; {variables} of game.yaml may be used", extra=True,
    fields={
        "partners": Field(Mapping("which cards are the partners", ({"type": "rol", "name": "titel", "group": "groep"},),
                                  fields={"type": Field(Text("the partner cards' type")),
                                          "name": Field(Text("the field with the organisation's name")),
                                          "group": Field(Text("the field with the role group"))}), required=True),
        "subtitle": _text("the line under the game's title"),
        "centre": Field(Mapping("the middle, where the situation card lies", fields={
            "heading": _text("its heading"), "text": _text("its text")}), required=True),
        "library": _text("the ring round the middle"),
        "more": _text("under a sector's partners when not all fit (en nog 2)"),
        "world": _texts("the outer ring, from the top, clockwise"),
        "route": Field(ListOf("the route's steps, one per place in layouts/board.yaml", min_items=1,
                              item=Mapping(fields={"name": _text("the step"), "text": _text("its text")})),
                       required=True),
        "stall": Field(Mapping("the place where a stalled route is marked", fields={
            "heading": _text("its heading"), "text": _text("its text")})),
        "legend": Field(Mapping("the legend", fields={
            "title": _text("its heading"),
            **{k: Field(Text(f"the line about the {k}", min_length=1))
               for k in ("centre", "library", "sectors", "world", "route")}}), required=True),
        "tiles": Field(Mapping("the texts of the tiled board (A4 sheets to glue together)", fields={
            "title": _text("the assembly map's title"),
            "steps": _texts("how to glue the sheets"),
            "tile": _text("before a sheet's code (Vel B2)"),
            "row": _text("the word row"),
            "column": _text("the word column"),
            "glue": _text("in the glue strip"),
            "strip": _text("the glue strip, on the map"),
            "full_size": _text("print at 100 %"),
        }), required=True),
        "worksheets": Field(Mapping("the worksheets' texts", extra=True, fields={
            "afspraak": Field(AFSPRAAK, required=True),
            "krachtenanalyse": Field(KRACHTENANALYSE, required=True),
        }), required=True),
    },
)

BOARD_FILE = Mapping("cards/board.yaml: the board's texts", fields={"board": Field(BOARD, required=True)})


def _mm(description: str, low: float, high: float, unit: str = "mm", required: bool = True) -> Field:
    return Field(Number(description, minimum=low, maximum=high, unit=unit), required=required)


def _point(description: str, count: int) -> Field:
    return Field(ListOf(description, item=Number(minimum=0, maximum=420, unit="mm"), min_items=count, max_items=count),
                 required=True)


def _box(description: str, required: bool = True) -> Field:
    return Field(Mapping(description, extra=True, fields={
        "at": _point("[x, y, width, height] in mm", 4)}), required=required)


TEXT_SIZES = ("title", "subtitle", "sector", "partner", "ring", "step", "slot", "legend")
COLOUR_NAMES = ("background", "ink", "persona", "library", "library_text", "world_text", "route", "outline",
                "fallback")

BOARD_STYLE = Mapping("the board, on the reference A3 board (420 x 297 mm); A2 and A1 scale it up", fields={
    "bleed": _mm("the background runs this far past the cut", 0, 10),
    "margin": _mm("texts and card outlines stay this far inside the cut", 0, 40),
    "centre": _point("[x, y] of the middle of the rings", 2),
    "rings": Field(Mapping("the outer radius of each ring, each more than 5 mm larger than the one inside", fields={
        k: _mm(f"the {k} ring", 5, 300) for k in ("persona", "library", "sectors", "world")}), required=True),
    "gap": _mm("white line between rings and sectors", 0, 10),
    "band": _mm("the strip of full group colour along each sector", 0, 30),
    "sector_start": _mm("where the first sector starts (90: straight up)", -360, 360, "degrees"),
    "world_start": _mm("where the first part of the outer ring starts", -360, 360, "degrees"),
    "padding": _mm("texts keep this far from the edges of their sector", 0, 20),
    "tint": _mm("sectors are filled with their group colour at this strength", 0, 1, ""),
    "library_repeat": _mm("how often the library's name goes round", 1, 4, "times"),
    "corner_radius": _mm("the card outlines' corners", 0, 10),
    "route": Field(Mapping("the route in the corners", fields={
        "slots": Field(ListOf("the middle of each step's card outline, [x, y]", min_items=1, item=ListOf(
            item=Number(minimum=0, maximum=420, unit="mm"), min_items=2, max_items=2)), required=True),
        "header": _mm("room above an outline for the step's name", 5, 40),
        "radius": _mm("the arrows run round the board at this radius", 10, 300),
        "width": _mm("the arrows' line width", 0.3, 10),
    }), required=True),
    "title": _box("the game's title and subtitle"),
    "stall": Field(Mapping("the place for a stalled route", fields={"at": _point("[x, y, width, height] in mm", 4)})),
    "legend": _box("the legend"),
    "min_text": _mm("no board text is smaller (at A3)", 6, 40, "pt"),
    "text": Field(Mapping("font sizes at A3", fields={k: _mm(f"the {k} text", 4, 120, "pt") for k in TEXT_SIZES}),
                  required=True),
    "colours": Field(Mapping("the board's colours", fields={
        **{k: Field(colour(f"the {k.replace('_', ' ')} colour"), required=True) for k in COLOUR_NAMES},
        "world": Field(ListOf("one colour per part of the outer ring", item=colour(), min_items=1), required=True),
    }), required=True),
})

TILES_STYLE = Mapping("the tiled board (A4 sheets)", fields={
    "printer_margin": _mm("home printers cannot print closer to the edge", 0, 20),
    "mark_space": _mm("room round a sheet's picture for the cut marks", 2, 20),
    "label_band": _mm("room at the foot of a sheet for its label", 5, 30),
    "label_size": _mm("the label's size", 6, 20, "pt"),
    "shade": _mm("how dark the glue strip is", 0, 1, ""),
    "cross": _mm("the arm of an alignment cross", 1, 10),
    "map_text": _mm("the assembly map's text", 7, 20, "pt"),
})

MIN_PITCH = 8  # mm: writing lines closer than this are too tight to write on with a pen

SHEETS_STYLE = Mapping("the worksheets", fields={
    "margin": _mm("from the paper edge", 6, 40),
    "header": _mm("the coloured title band", 10, 60),
    "colour": Field(colour("the title band and headings"), required=True),
    "tint": _mm("table headings and shaded cells", 0, 1, ""),
    "line_pitch": _mm("writing lines, this far apart", MIN_PITCH, 20),
    "text": Field(Mapping("font sizes", fields={k: _mm(f"the {k} text", 6, 40, "pt")
                                                for k in ("title", "intro", "label", "body", "small")}),
                  required=True),
    "krachtenanalyse": Field(Mapping("the strengths worksheet", fields={
        "widths": Field(ListOf("column widths in percent, one per column", item=Number(minimum=1, maximum=100, unit="%"),
                               min_items=1), required=True),
        "extra_rows": _mm("empty rows for the team's own partners", 0, 30, "rows"),
        "min_row": _mm("the lowest a row may be", 5, 80),
    }), required=True),
})

BOARD_LAYOUT = Mapping(
    "layouts/board.yaml: the board's and worksheets' geometry, colours and font sizes", what="layouts/board.yaml",
    fields={
        "extends": Field(Text("another layout file this one changes", numbers=False)),
        "board": Field(BOARD_STYLE, required=True),
        "tiles": Field(TILES_STYLE, required=True),
        "worksheets": Field(SHEETS_STYLE, required=True),
    },
)
