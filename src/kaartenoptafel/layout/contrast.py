"""Text contrast by WCAG 2: every text colour against what it is printed on, found before anything prints.

WCAG 2 AA asks for a contrast ratio of 4.5:1, or 3:1 for large text (18 pt and up, or 14 pt and up in
bold). The ratio uses relative luminance: the sRGB channels linearised (the "gamma") and weighted.
A pair that fails is a located error at the layout line that sets the colour to change, with the
ratio and a colour that would pass.
"""

from __future__ import annotations

from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.layout.spec import Colour, Frame

AA = 4.5
AA_LARGE = 3.0


def relative_luminance(colour: Colour) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour.as_rgb()
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: Colour, b: Colour) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def required(size: float, bold: bool) -> float:
    """The ratio AA asks for text of ``size`` points."""
    return AA_LARGE if size >= 18 or (bold and size >= 14) else AA


def readable_on(under: Colour, ink: Colour, paper: Colour) -> Colour:
    """Of the kit's ink and paper, the one that contrasts more with ``under`` (for 'on_accent' text)."""
    return ink if contrast(ink, under) >= contrast(paper, under) else paper


def suggestion(change: Colour, other: Colour, need: float) -> str:
    """``change`` darkened (or lightened, on a dark ``other``) just enough to reach ``need``, as '#rrggbb'."""
    r, g, b = change.as_rgb()
    towards = 0.0 if relative_luminance(other) > 0.18 else 1.0
    for step in range(1, 101):
        t = step / 100
        trial = Colour(rgb=tuple(c + (towards - c) * t for c in (r, g, b)))
        if contrast(trial, other) >= need + 0.05:
            return trial.hex()
    return "#000000" if towards == 0.0 else "#ffffff"


def check_pair(out: Collector, text: Colour, under: Colour, size: float, bold: bool, pos: Pos | None, what: str,
               change_text: bool = True, fallback: Pos | None = None) -> None:
    """Report ``text`` on ``under`` when it is below AA; the suggestion changes the colour ``pos`` sets."""
    ratio = contrast(text, under)
    need = required(size, bold)
    if ratio + 1e-9 >= need:
        return
    kind = "large text" if need == AA_LARGE else f"text of {size:g} pt"
    change, other = (text, under) if change_text else (under, text)
    out.error(pos or fallback, f"{what}: {text.hex()} on {under.hex()} has a contrast of {ratio:.2f}:1, below the {need:g}:1 "
                   f"that WCAG 2 AA asks for {kind}; use {suggestion(change, other, need)} instead of {change.hex()}")


def check_card_contrast(ctx, out: Collector) -> None:
    """Every text style on every card type's front and back against the band or paper under it, and the
    guide's heading colour against the page."""
    spec = ctx.spec
    paper = spec.colours["paper"]
    if "guide" in spec.colours:  # the guide's headings (14 pt bold and larger) on white paper
        check_pair(out, spec.colours["guide"], paper, 14, True, spec.positions.get(("colours", "guide")),
                   "the guide's headings (colours.guide)")
    for tid, ctype in ctx.kit.types.items():
        tl = ctx.type_layout(ctype)
        accents = [(tl.colour, spec.positions.get(("types", tid, "colour")))]
        if tl.accent_by and tl.accent_from:
            accents = [(c, spec.positions.get(("colours", tl.accent_from, k)))
                       for k, c in spec.tables.get(tl.accent_from, {}).items()]
        base = tl.colour
        back = ctx.colour(spec.back.fill, base, base)
        for accent, accent_pos in accents:
            for side, frames, ground in (("front", tl.frames, paper), ("back", tl.back_frames, back)):
                for frame in frames:
                    if frame.kind not in ("text", "stack", "form"):
                        continue
                    band = _band_under(frame, frames)
                    under = ctx.colour(band.fill, accent, base) if band else ground
                    under_pos = (band.pos if band and band.fill not in ("accent", "colour")
                                 else accent_pos if band and band.fill == "accent"
                                 else spec.positions.get(("types", tid, "colour")) if band else None)
                    _check_style(ctx, out, tid, side, frame.style, accent, base, under, under_pos, accent_pos)
        back_pos = spec.positions.get(("types", tid, "colour"))
        for name in ("back", "back_small"):
            _check_style(ctx, out, tid, "back", name, back, back, back, back_pos, back_pos)


def _band_under(frame: Frame, frames) -> Frame | None:
    """The last band listed before ``frame`` that holds the frame's top-left corner."""
    found = None
    for other in frames:
        if other is frame:
            break
        if other.kind == "band":
            w = other.w if other.w is not None else 1e9
            h = other.h if other.h is not None else 1e9
            if other.x <= frame.x < other.x + w and other.y <= frame.y < other.y + h:
                found = other
    return found


def _check_style(ctx, out, tid, side, name, accent, base, under, under_pos, accent_pos) -> None:
    spec = ctx.spec
    style = spec.styles[name]
    size = style.min_size
    for key, bold in (("colour", style.bold), ("label_colour", True)):
        token = getattr(style, key)
        if key == "label_colour" and name not in _labelled_styles(ctx, tid):
            continue
        text = ctx.colour(token, accent, base)
        if token in ("on_accent", "on_colour"):
            pos, change_text = under_pos, False  # the text follows its background: change the background
        elif token == "accent":
            pos, change_text = accent_pos, True
        elif token == "colour":
            pos, change_text = spec.positions.get(("types", tid, "colour")), True
        else:
            pos, change_text = spec.positions.get(("styles", name, key)), True
        what = f"the {'labels' if key == 'label_colour' else 'text'} of style '{name}' on the {side} of '{tid}' cards"
        check_pair(out, text, under, size, bold, pos, what, change_text, spec.positions.get(("file",)))


def _labelled_styles(ctx, tid: str) -> set[str]:
    """Styles that print field labels on this type: those of its stack frames (labels in label_colour)."""
    tl = ctx.type_layout(ctx.kit.types[tid])
    return {f.style for f in tl.frames + tl.back_frames if f.kind in ("stack", "form")}
