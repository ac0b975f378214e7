"""`kot preview ID` (one card as PNG) and `kot sheet` (a contact sheet of card fronts).

Both render the real print-shop PDF (see :mod:`kaartenoptafel.commands.cardimage`), so a preview
can never disagree with what prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from kaartenoptafel.commands.cardimage import (
    DEFAULT_DPI,
    MAX_DPI,
    card_image,
    check_type,
    find_card,
    preview_path,
    printshop_pdf,
    render_pages,
    write_png,
)
from kaartenoptafel.commands.project import project_root
from kaartenoptafel.options import output_file

SIZE_CACHE = Path("output") / ".cache" / "sizes"  # beside output/preview/ (see layout.sizecache)

project_option = click.option(
    "--project", "-p", metavar="DIR", default=None,
    help="Project folder with cards/ and layouts/ (default: the current folder, else the built-in kit).",
)
region_option = click.option("--region", "-r", metavar="NAME", default=None, help="Use a region's overlay.")
layout_option = click.option("--layout", default="default.yaml", show_default=True, help="Layout file in layouts/.")


@click.command()
@click.argument("card_id", metavar="ID")
@project_option
@region_option
@layout_option
@click.option("-o", "--output", default=None,
              help="PNG file to write (a folder gets ID.png inside it) [default: output/preview/ID.png].")
@click.option("--back", is_flag=True, help="Show the back instead of the front.")
@click.option("--dpi", type=click.IntRange(20, MAX_DPI), default=DEFAULT_DPI, show_default=True)
@click.option("--bleed", is_flag=True, help="Include the print shop's bleed (crop to the BleedBox, not the TrimBox).")
def preview(card_id, project, region, layout, output, back, dpi, bleed) -> None:
    """Render one card as PNG, exactly as the print-shop PDF prints it (cut to the card's edge)."""
    from kaartenoptafel.build import prepare

    ctx = prepare(project_root(project), region, layout)
    ctx.size_cache = SIZE_CACHE  # the one text size of the card's type, without wrapping every card of the type
    card = find_card(ctx.kit, card_id)
    image = card_image(ctx, card, back=back, dpi=dpi, bleed=bleed)
    target = (output_file(output, preview_path(Path("."), card.id, back, bleed).name) if output is not None
              else preview_path(Path("output"), card.id, back, bleed))
    write_png(target, image)
    click.echo(f"{target}  ({image.width} x {image.height} px, {dpi} dpi)")


# -- contact sheet ------------------------------------------------------------------------------

SHEET_DPI = 90
SHEET_BACKGROUND = (226, 226, 226)
SHEET_INK = (29, 29, 27)


def _sheet_font(ctx, size_px: int):
    """The layout's regular font at ``size_px`` for the ids under the cards (PIL's own font as a fallback)."""
    from PIL import ImageFont

    from kaartenoptafel.render.fonts import FONT_DIR, PACKAGED

    candidates = []
    fonts = ctx.spec.fonts
    if "family" in fonts and str(fonts["family"]) in PACKAGED:
        candidates.append(FONT_DIR / PACKAGED[str(fonts["family"])]["regular"])
    elif "regular" in fonts:
        candidates.append(ctx.spec.root / str(fonts["regular"]))
    for path in candidates:
        try:
            return ImageFont.truetype(str(path), size_px)
        except OSError:
            continue
    return ImageFont.load_default(size_px)


def contact_sheets(ctx, cards, columns: int, dpi: float, per_sheet: int):
    """Contact sheet images: every card's front cut to the TrimBox, its id centred under it."""
    from PIL import Image, ImageDraw

    pdf = printshop_pdf(ctx, cards)
    fronts = render_pages(pdf, range(0, 2 * len(cards), 2), dpi)
    gap = max(6, round(dpi / 8))
    label_h = max(12, round(dpi / 5))
    font = _sheet_font(ctx, max(9, round(label_h * 0.8)))
    sheets = []
    for start in range(0, len(cards), per_sheet):
        chunk = cards[start : start + per_sheet]
        images = [next(fronts) for _ in chunk]
        cw = max(i.width for i in images)
        ch = max(i.height for i in images)
        cols = min(columns, len(chunk))
        rows = (len(chunk) + cols - 1) // cols
        sheet = Image.new("RGB", (gap + cols * (cw + gap), gap + rows * (ch + label_h + gap)), SHEET_BACKGROUND)
        draw = ImageDraw.Draw(sheet)
        for i, (card, image) in enumerate(zip(chunk, images)):
            row, col = divmod(i, cols)
            x = gap + col * (cw + gap)
            y = gap + row * (ch + label_h + gap)
            sheet.paste(image, (x, y))
            draw.rectangle((x - 1, y - 1, x + image.width, y + image.height), outline=(150, 150, 150))
            text = card.id
            while draw.textlength(text, font=font) > cw and len(text) > 4:
                text = text[:-2] + "…"
            draw.text((x + cw / 2, y + ch + label_h * 0.55), text, fill=SHEET_INK, font=font, anchor="mm")
        sheets.append(sheet)
    return sheets


def sheet_paths(target: Path, count: int) -> list[Path]:
    """sheet.png, then sheet-2.png, sheet-3.png, ... when the cards need more than one image."""
    return [target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


@click.command()
@project_option
@region_option
@layout_option
@click.option("--type", "type_id", metavar="T", default=None, help="Only cards of this type.")
@click.option("-o", "--output", default="output/preview/sheet.png", show_default=True,
              help="PNG file to write (a folder gets sheet.png inside it).")
@click.option("--columns", type=click.IntRange(1, 40), default=8, show_default=True)
@click.option("--dpi", type=click.IntRange(20, 300), default=SHEET_DPI, show_default=True)
@click.option("--per-sheet", type=click.IntRange(1, 2000), default=120, show_default=True,
              help="Cards per image; more cards continue in sheet-2.png, sheet-3.png, ...")
def sheet(project, region, layout, type_id, output, columns, dpi, per_sheet) -> None:
    """A contact sheet of every card's front (one per distinct card, its id under it), for review at a glance."""
    from kaartenoptafel.build import prepare
    from kaartenoptafel.resolve import resolve

    ctx = prepare(project_root(project), region, layout)
    if type_id is not None:
        check_type(ctx.kit, type_id)
    cards = [c for c in resolve(ctx.kit) if type_id is None or c.type == type_id]
    if not cards:
        what = f"of type '{type_id}' " if type_id else ""
        raise click.UsageError(f"there are no cards {what}to show")
    images = contact_sheets(ctx, cards, columns, dpi, per_sheet)
    for path, image in zip(sheet_paths(output_file(output, "sheet.png"), len(images)), images):
        write_png(path, image)
        click.echo(f"{path}  ({image.width} x {image.height} px)")
    click.echo(f"{len(cards)} cards")
