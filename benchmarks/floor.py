"""The floor: the least a home deck can cost with reportlab, for the same cards.

No layout engine and no shrink-to-fit: each card is a background, a coloured band with its title, and
its fields as ``Label: text`` lines wrapped once at a fixed size with ``simpleSplit``; photos with
``drawImage`` (stored once); 3 x 3 cards on A4; every backs page reuses one form per card type. The
packaged Atkinson Hyperlegible Next is embedded (subset), as in the real decks.

    python3 benchmarks/floor.py CARDS.json OUT.pdf

CARDS.json (written by run.py) holds the resolved cards: type colour, title, labelled fields, photo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).resolve().parent.parent / "src" / "kaartenoptafel" / "fonts"
REGULAR, BOLD = "Floor-Regular", "Floor-Bold"
CARD_W, CARD_H = 63 * mm, 88 * mm
PAGE_W, PAGE_H = 210 * mm, 297 * mm
COLS, ROWS = 3, 3
SIZE, LEADING = 8.5, 10.0


def main(data_path: str, target: str) -> None:
    rl_config.invariant = 1
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "AtkinsonHyperlegibleNext_400Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "AtkinsonHyperlegibleNext_700Bold.ttf")))
    data = json.loads(Path(data_path).read_text("utf-8"))
    root = Path(data["root"])
    cards = data["cards"]
    c = Canvas(target, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1, initialFontName=REGULAR)
    x0, y0 = (PAGE_W - COLS * CARD_W) / 2, (PAGE_H - ROWS * CARD_H) / 2
    per = COLS * ROWS
    backs: dict[str, str] = {}
    inner = CARD_W - 8 * mm
    for start in range(0, len(cards), per):
        chunk = cards[start : start + per]
        for i, card in enumerate(chunk):
            row, col = divmod(i, COLS)
            c.saveState()
            c.translate(x0 + col * CARD_W, y0 + (ROWS - 1 - row) * CARD_H)
            c.setFillColor(HexColor(card["colour"]))
            c.rect(0, CARD_H - 15 * mm, CARD_W, 15 * mm, stroke=0, fill=1)
            c.setFillColor(white)
            c.setFont(BOLD, 13)
            c.drawString(4 * mm, CARD_H - 10 * mm, card["title"][:30])
            y = CARD_H - 19 * mm
            if card.get("image"):
                c.drawImage(str(root / card["image"]), 4 * mm, y - 36 * mm, inner, 36 * mm, preserveAspectRatio=True)
                y -= 39 * mm
            c.setFillColorRGB(0.11, 0.11, 0.11)
            text = c.beginText(4 * mm, y)
            text.setFont(REGULAR, SIZE, LEADING)
            for label, value in card["fields"]:
                lines = value if isinstance(value, list) else [value]
                for k, line in enumerate(lines):
                    shown = (f"{label}: " if k == 0 else "• ") + line
                    for part in simpleSplit(shown, REGULAR, SIZE, inner):
                        text.textLine(part)
            c.drawText(text)
            c.restoreState()
        c.showPage()
        for i, card in enumerate(chunk):
            row, col = divmod(i, COLS)
            col = COLS - 1 - col  # flip on the long edge
            name = backs.get(card["type"])
            if name is None:
                name = backs[card["type"]] = f"back{len(backs)}"
                c.beginForm(name, 0, 0, CARD_W, CARD_H)
                c.setFillColor(HexColor(card["colour"]))
                c.rect(0, 0, CARD_W, CARD_H, stroke=0, fill=1)
                c.setFillColor(white)
                c.setFont(BOLD, 22)
                c.drawCentredString(CARD_W / 2, CARD_H / 2, card["back"])
                c.setFont(REGULAR, 9)
                c.drawCentredString(CARD_W / 2, 8 * mm, data["title"])
                c.endForm()
            c.saveState()
            c.translate(x0 + col * CARD_W, y0 + (ROWS - 1 - row) * CARD_H)
            c.doForm(name)
            c.restoreState()
        c.showPage()
    c.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
