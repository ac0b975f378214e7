"""The checks ``kot validate`` makes on the laid-out kit without building it: glyphs, contrast, backs."""

from __future__ import annotations

from kaartenoptafel.errors import Collector
from kaartenoptafel.layout.back import layout_back
from kaartenoptafel.layout.card import Context, missing_glyphs
from kaartenoptafel.layout.contrast import check_card_contrast


def check_printable(ctx: Context) -> None:
    """The checks ``kot validate`` can make without laying out every card; raises ContentError.

    Every character of every card text, back text and the game title must be in the font (else it
    would print as a box), every text colour must contrast enough with what it is printed on, and every
    type's back must fit.
    """
    out = Collector()
    game = ctx.kit.game
    for name, value in game.variables.items():  # at the variable's line (game.yaml or the overlay), not every card
        missing_glyphs(ctx, None, name, value, game.variable_pos.get(name, game.pos), out, f"variable '{name}'")
    for gid, value in game.groups.items():  # and a role group's name at its line in game.yaml
        missing_glyphs(ctx, None, gid, value, game.group_pos.get(gid, game.pos), out, f"the name of group '{gid}'")
    drawable: set = set()  # texts the font draws every character of: a text on many cards is looked at once
    for card in ctx.resolved():
        ctype = ctx.kit.types[card.type]
        for name, value in card.values.items():
            if ctype.fields[name].kind == "image":
                continue  # a file name, never drawn
            texts = value if isinstance(value, list) else (value,)
            if all(text in drawable for text in texts):
                continue
            if missing_glyphs(ctx, card.id, name, value, card.field_pos.get(name, card.pos), out, raw=card.raw.get(name)):
                continue
            drawable.update(text for text in texts if not ctx.family.missing(str(text)))
    missing_glyphs(ctx, None, "title", game.title, game.pos, out, "the game's title")
    for ctype in ctx.kit.types.values():
        missing_glyphs(ctx, None, "back", ctype.back_text, ctype.pos, out, f"the back text of type '{ctype.id}'")
    found = Collector()
    check_card_contrast(ctx, found)  # text colours against their backgrounds (WCAG 2 AA)
    for problem in dict.fromkeys(found.diagnostics):
        out.diagnostics.append(problem)
    out.raise_if_any()
    for ctype in ctx.kit.types.values():
        layout_back(ctx, ctype)  # raises a located ContentError when its text cannot fit
