"""Lay out the backs of cards.

A type without ``back_frames`` has one back for all its cards, drawn once per PDF as a form and reused.
A type with ``back_frames`` gets a back per card: the type's back background (colour, frame line, game
title) with the back text moved to the top, and the card's own fields (e.g. a hidden goal) drawn over it.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from kaartenoptafel.errors import Collector, ContentError, Diagnostic
from kaartenoptafel.layout.card import CardLayout, Context, FillBox, ImageBox, LineBox, TextBox, frame_boxes
from kaartenoptafel.layout.text import Item, Overflow, fit
from kaartenoptafel.load.model import CardType
from kaartenoptafel.resolve import ResolvedCard

SMALL_PART = 40  # mm: a component smaller than this (a token) gets a plain back: colour and its back text
LOGO = 0.2  # the logo's side, as a part of the card's width: one size on every back, so the PDF stores it once


def _fit_or_fail(text: str, style, width: float, height: float, look, pos, what: str):
    """Fit one back text; when it cannot fit even at its minimum size, a located error, not a crash."""
    try:
        return fit((Item("back", None, text=text),), style, width, height, look.size, look.min_size)
    except Overflow as over:
        if over.word:
            message = (f"{what} does not fit on the back of the card: the word '{over.word}' is "
                       f"{over.overflow_pt / mm:.1f} mm too wide even at {over.size:g} pt; use a shorter word")
        else:
            message = (f"{what} does not fit on the back of the card: it runs "
                       f"{over.overflow_pt / mm:.1f} mm too long even at {over.size:g} pt; shorten it")
        raise ContentError([Diagnostic(pos, message)]) from None


def layout_back(ctx: Context, ctype: CardType) -> CardLayout:
    spec = ctx.spec_of(ctype.id)
    tl = ctx.type_layout(ctype)
    base = tl.colour
    w, h = spec.width * mm, spec.height * mm
    fill = ctx.colour(spec.back.fill, base, base)
    boxes: list = [FillBox(0, 0, w, h, fill, (True, True, True, True))]
    small_part = min(spec.width, spec.height) < SMALL_PART  # a token: its back text only, no frame, title or logo
    inset = 0.0 if small_part else spec.back.frame_inset * mm
    on = ctx.colour("on_colour", fill, fill)
    if inset:
        for x1, y1, x2, y2 in ((inset, inset, w - inset, inset), (w - inset, inset, w - inset, h - inset),
                               (w - inset, h - inset, inset, h - inset), (inset, h - inset, inset, inset)):
            boxes.append(LineBox(x1, y1, x2, y2, on, 0.8))
    inner = w * 0.8 if small_part else w - 2 * (inset + spec.safe * mm * 0.5)
    big = spec.styles["back"]
    style = ctx.text_style(big, fill, fill)
    per_card = bool(tl.back_frames)
    logo_side = LOGO * min(w, h) if per_card and spec.back.logo else 0.0  # beside the top text
    text_w = inner - 2 * (logo_side + 1 * mm) if logo_side else inner
    fitted = _fit_or_fail(ctype.back_text, style, text_w, h * (0.14 if per_card else 0.3), big, ctype.pos,
                          f"the back text of type '{ctype.id}'")
    if per_card:  # at the top, leaving the middle to the card's own fields
        top = h - inset - spec.safe * mm * 0.75
        boxes.append(TextBox((w - text_w) / 2, top, text_w, fitted))
        if logo_side:
            boxes.append(ImageBox(inset + 1 * mm, h - inset - 1 * mm - logo_side, logo_side, logo_side,
                                  spec.root / spec.back.logo))
    else:
        boxes.append(TextBox((w - inner) / 2, h / 2 + fitted.height / 2, inner, fitted))
    if spec.back.show_title and not small_part:
        small = spec.styles["back_small"]
        sstyle = ctx.text_style(small, fill, fill)
        title = _fit_or_fail(ctx.kit.game.title, sstyle, inner, h * 0.15, small, ctx.kit.game.pos,
                             "the game's title (printed on every back)")
        boxes.append(TextBox((w - inner) / 2, inset + spec.safe * mm + title.height, inner, title))
    if spec.back.logo and not per_card and not small_part:
        side = min(w, h) * LOGO
        boxes.append(ImageBox((w - side) / 2, h - inset - spec.safe * mm - side, side, side, spec.root / spec.back.logo))
    return CardLayout(f"back:{ctype.id}", w, h, fill, tuple(boxes))


def type_back(ctx: Context, ctype: CardType) -> CardLayout:
    """The type's back design, laid out once per context (per-card backs draw their fields over it)."""
    if ctype.id not in ctx.backs:
        ctx.backs[ctype.id] = layout_back(ctx, ctype)
    return ctx.backs[ctype.id]


def has_card_backs(ctx: Context, type_id: str) -> bool:
    """Does this type print a back per card (``back_frames``), or one back for the whole type?"""
    return bool(ctx.type_layout(ctx.kit.types[type_id]).back_frames)


def layout_card_back(ctx: Context, card: ResolvedCard, out: Collector) -> CardLayout | None:
    """The back of one card of a type with ``back_frames``: the type's back with the card's fields over it."""
    ctype = ctx.kit.types[card.type]
    base = type_back(ctx, ctype)
    before = len(out.diagnostics)
    boxes = frame_boxes(ctx, card, ctx.type_layout(ctype).back_frames, out)
    if len(out.diagnostics) > before:
        return None
    return CardLayout(f"back:{card.id}", base.width, base.height, base.background, base.boxes + tuple(boxes))
