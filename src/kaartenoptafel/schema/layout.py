"""layouts/*.yaml (but board.yaml): the card layout (default.yaml) and the region layouts that extend it.

Every key is optional: a region layout (``extends: default.yaml``) sets only what differs, and the default layout
falls back to built-in values.
"""

from __future__ import annotations

from kaartenoptafel.schema.common import colour, size
from kaartenoptafel.schema.nodes import AnyOf, Bool, Choice, Field, ListOf, Mapping, Null, Number, Text

FRAME_KINDS = ("band", "text", "stack", "form", "image")
ALIGNS = ("left", "center", "right", "justify")
SHAPES = ("rect", "round")
SAME_SIZE = ("type", "card")


def _name(description: str, examples: tuple = ()) -> Text:
    return Text(description, examples, numbers=False)


def _optional_name(description: str, examples: tuple = ()) -> AnyOf:
    """A name, or nothing (``key:`` with no value), which the loader reads as not set."""
    return AnyOf(description, examples, options=(Text(numbers=False), Null()))


FRAME = Mapping(
    "a frame on the card: where (at) and what (kind, field, style)",
    ({"kind": "text", "field": "titel", "style": "title", "at": [4, 4, "fill", 9]},), what="a frame",
    fields={
        "kind": Field(Choice("band: a coloured strip; text: one field; stack: several fields with labels; form: "
                             "write-in lines; image: a picture", choices=FRAME_KINDS), required=True),
        "at": Field(ListOf("[x, y, width, height] in mm from the card's top-left corner; width and height may be "
                           "'fill'", ([4, 4, "fill", 9],),
                           item=AnyOf(options=(Number(minimum=0), Choice(choices=("fill",)))),
                           min_items=4, max_items=4), required=True),
        "field": Field(_optional_name("the field it shows", ("titel",))),
        "fields": Field(ListOf("the fields a stack shows, in order", item=Text(numbers=False))),
        "style": Field(_name("the text style (under styles:)", ("body",))),
        "fill": Field(_optional_name("the band's colour: '#rrggbb', a colour name or accent/colour/on_accent/"
                                     "on_colour")),
        "checks": Field(_optional_name("a choice field whose value ticks a box")),
        "file": Field(_optional_name("an image file in the project (kind: image)", ("images/logo.png",))),
    },
)

STYLE = Mapping(
    "a text style", ({"size": 10, "bold": True, "colour": "ink", "align": "left"},), what="style '{name}'",
    fields={
        "size": Field(Number("the text size", minimum=4, maximum=200, unit="pt")),
        "min_size": Field(Number("the smallest size a long text shrinks to", minimum=4, maximum=200, unit="pt")),
        "bold": Field(Bool("bold")),
        "italic": Field(Bool("italic")),
        "colour": Field(_name("the text colour: '#rrggbb', a colour name or accent/colour/on_accent/on_colour")),
        "leading": Field(Number("line height, times the size", minimum=0.8, maximum=3, unit="x")),
        "align": Field(Choice("alignment", choices=ALIGNS)),
        "label_colour": Field(_name("the colour of the field labels of a stack")),
    },
)

FRAMES = AnyOf("the frames, drawn in order", options=(ListOf(item=FRAME), Null()))

TYPE_LAYOUT = Mapping(
    "the layout of one card type", what="the layout of '{tid}'",
    fields={
        "colour": Field(colour("the type's colour")),
        "accent": Field(Mapping("an accent colour per card from a field's value: {by: field, from: colour table}",
                                ({"by": "groep", "from": "groups"},), nullable=True,
                                fields={"by": Field(_name("the field"), required=True),
                                        "from": Field(_name("the colour table under colours:"), required=True)},
                                extra=True)),
        "frames": Field(FRAMES),
        "back_frames": Field(FRAMES),
        "size": Field(size("the size of this type's cards, if not the layout's", 10, 300)),
        "shape": Field(Choice("rect, or round (tokens)", choices=SHAPES)),
    },
)

LAYOUT = Mapping(
    "a card layout: card size, fonts, colours, text styles and the frames of each card type", what="the layout",
    fields={
        "extends": Field(_optional_name("the layout this one changes (region layouts: default.yaml)",
                                        ("default.yaml",))),
        "card": Field(Mapping("the card", what="card", nullable=True, fields={
            "size": Field(size("poker, a7, tarot, square, token, bridge, mini or [width, height] in mm", 20, 300)),
            "bleed": Field(Number("the print runs this far past the cut", minimum=0, maximum=10, unit="mm")),
            "safe": Field(Number("texts keep this far inside the cut", minimum=0, maximum=30, unit="mm")),
            "corner_radius": Field(Number("the rounded corners", minimum=0, maximum=20, unit="mm")),
        })),
        "fonts": Field(Mapping("a font family name, or a .ttf file per face", ({"family": "AtkinsonHyperlegibleNext"},),
                               what="fonts", min_properties=1,
                               fields={face: Field(Text(f"the {face.replace('_', ' ')} face", min_length=1,
                                                        pattern=r"\S", numbers=False))
                                       for face in ("family", "regular", "bold", "italic", "bold_italic")})),
        "min_font_size": Field(Number("no card text is smaller", minimum=5, maximum=40, unit="pt")),
        "text": Field(Mapping("text fitting", what="text", nullable=True, fields={
            "same_size": Field(Choice("type: one size per style for all cards of a type; card: each card on its own",
                                      choices=SAME_SIZE)),
            "hyphenate": Field(Bool("break long words at the end of a line")),
        })),
        "colours": Field(Mapping("name: colour, or name: {value: colour} (a colour table, such as groups)",
                                 extra=AnyOf(options=(colour(), Mapping(extra=colour()))), nullable=True)),
        "styles": Field(Mapping("name: text style", extra=STYLE, nullable=True)),
        "types": Field(Mapping("card type: its layout", extra=TYPE_LAYOUT, nullable=True)),
        "back": Field(Mapping("the backs", what="back", nullable=True, fields={
            "fill": Field(_name("the back's colour (default: the type's colour)")),
            "frame_inset": Field(Number("a thin frame this far inside the cut (0: none)", minimum=0, maximum=30,
                                        unit="mm")),
            "show_title": Field(Bool("print the type's back text")),
            "logo": Field(AnyOf("an image file in the project (nothing: no logo)", ("layouts/logos/bibliotheek.png",),
                                options=(Text(numbers=False), Null()))),
        })),
        "print": Field(Mapping("the print profile and its limits", fields={
            "profile": Field(Text("'builtin' or an .icc file in the project", ("builtin",), min_length=1,
                                  numbers=False)),
            "condition": Field(Text("the printing condition", ("FOGRA39",), min_length=1, numbers=False)),
            "max_ink": Field(Number("total ink coverage limit", minimum=100, maximum=400, unit="%")),
            "min_dpi": Field(Number("the lowest image resolution", minimum=50, maximum=1200, unit="dpi")),
        })),
    },
)
