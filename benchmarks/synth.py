"""Synthetic projects for the benchmark: the default kit's content, scaled to N cards.

A synthetic project is a copy of the repository's ``cards/`` and ``layouts/`` whose card lists are
replaced by ``n`` card entries, each with its own id and ``count: 1`` (so ``n`` cards are printed):

* card ``i`` copies default card ``i mod B`` (B = the number of cards in ``cards/``) at one of three
  text lengths (all words, three quarters, half of the words of every text field and list) so that
  the fitter shrinks some texts and not others;
* every tenth card is an image card of an extra type ``beeld`` (title, photo, caption): the photo is
  one of eight small PNGs drawn with Pillow, placed by an image frame added to the layout.

``variety="unique"`` is the worst case instead: every text field and list item of every card gets a
different length (cut at a word chosen per card), so almost no paragraph repeats across cards.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import yaml

IMAGE_TYPE = "beeld"
IMAGES = 8
LEVELS = (1.0, 0.75, 0.5)
CARDS_PER_FILE = 500  # the loader refuses files over 2 MiB


def _card_files(cards_dir: Path) -> list[Path]:
    return sorted(p for p in cards_dir.glob("*.y*ml") if p.name not in ("game.yaml", "types.yaml"))


def base_cards(repo: Path) -> tuple[list[dict], dict]:
    """The default kit's card entries (in file order) and its types."""
    cards = []
    for path in _card_files(repo / "cards"):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        if isinstance(data, dict) and isinstance(data.get("cards"), list):
            cards.extend(c for c in data["cards"] if isinstance(c, dict) and "id" in c and "type" in c)
    types = yaml.safe_load((repo / "cards" / "types.yaml").read_text("utf-8"))["types"]
    return cards, types


def _shorten(text: str, fraction: float) -> str:
    """The first ``fraction`` of the words (at least two); markup stars are dropped from cut texts."""
    if fraction >= 1.0:
        return text
    words = text.split()
    keep = max(2, round(len(words) * fraction))
    if keep >= len(words):
        return text
    return " ".join(words[:keep]).replace("*", "").rstrip(",;:") + "."


def _vary(card: dict, types: dict, pick) -> dict:
    ctype = types[card["type"]]
    title = ctype.get("title_field")
    out = {}
    for key, value in card.items():
        spec = ctype["fields"].get(key) if key not in ("id", "type", "count", "tags") else None
        if spec is None or key == title:
            out[key] = value
        elif spec.get("kind") == "text" and isinstance(value, str):
            out[key] = _shorten(value, pick())
        elif spec.get("kind") == "list" and isinstance(value, list) and value:
            if spec.get("required") or key in ("regels", "toetsen"):
                keep = max(1, round(len(value) * pick()))
            else:
                keep = round(len(value) * pick())
            out[key] = [_shorten(str(v), pick()) for v in value[: max(keep, 1)]]
        else:
            out[key] = value
    return out


def _images(root: Path) -> list[str]:
    from PIL import Image, ImageDraw

    folder = root / "images"
    folder.mkdir(exist_ok=True)
    names = []
    rng = random.Random(7)
    for k in range(IMAGES):
        im = Image.new("RGB", (480, 320), (235 - 12 * k, 226, 205 + 6 * k))
        draw = ImageDraw.Draw(im)
        for _ in range(14):
            x, y = rng.randrange(0, 440), rng.randrange(0, 280)
            r = rng.randrange(20, 90)
            colour = tuple(rng.randrange(40, 220) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        name = f"images/foto-{k + 1}.png"
        im.save(root / name, optimize=True)
        names.append(name)
    return names


def _add_image_type(root: Path) -> None:
    """An extra card type with a photo, and its frames in the layout."""
    types_path = root / "cards" / "types.yaml"
    data = yaml.safe_load(types_path.read_text("utf-8"))
    data["types"][IMAGE_TYPE] = {
        "name": "Beeldkaart",
        "plural": "Beeldkaarten",
        "title_field": "titel",
        "fields": {
            "titel": {"kind": "text", "required": True, "max": 40, "label": "Titel"},
            "foto": {"kind": "image", "required": True, "label": "Foto"},
            "tekst": {"kind": "text", "required": True, "max": 150, "label": "Bij de foto"},
        },
        "back": {"text": "Beeld"},
    }
    types_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    layout_path = root / "layouts" / "default.yaml"
    layout = yaml.safe_load(layout_path.read_text("utf-8"))
    layout["types"][IMAGE_TYPE] = {
        "colour": "#6a5acd",
        "frames": [
            {"kind": "band", "at": [0, 0, "fill", 15], "fill": "accent"},
            {"kind": "text", "field": "titel", "at": [4, 4, "fill", 9], "style": "title"},
            {"kind": "image", "field": "foto", "at": [4, 18, "fill", 36]},
            {"kind": "stack", "fields": ["tekst"], "at": [4, 57, "fill", "fill"], "style": "body"},
        ],
    }
    layout_path.write_text(yaml.safe_dump(layout, allow_unicode=True, sort_keys=False), "utf-8")


def make_project(repo: Path, dest: Path, n: int, variety: str = "faces", images: bool = True, seed: int = 1) -> dict:
    """Write a synthetic project of ``n`` printed cards into ``dest``; returns a summary."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(repo / "cards", dest / "cards")
    shutil.copytree(repo / "layouts", dest / "layouts")
    base, types = base_cards(repo)
    for path in _card_files(dest / "cards"):  # drop the default cards, keep everything else
        data = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(data, dict) and "cards" in data:
            del data["cards"]
            if data:
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
            else:
                path.unlink()
    photos = []
    if images:
        _add_image_type(dest)
        photos = _images(dest)
    texts = [c for c in base if c["type"] != "afspraak"]  # captions for the photos
    rng = random.Random(seed)
    cards = []
    faces = set()
    for i in range(n):
        if images and i % 10 == 9:
            source = texts[(i // 10) % len(texts)]
            level = LEVELS[(i // 10) % len(LEVELS)] if variety == "faces" else rng.random() * 0.6 + 0.4
            text = next((v for k, v in source.items() if isinstance(v, str) and len(v) > 60 and k not in ("id", "type")),
                        source.get("titel", "Foto"))
            card = {"id": f"beeld-{i:05d}", "type": IMAGE_TYPE, "titel": str(source.get("titel", "Foto"))[:40],
                    "foto": photos[i % len(photos)], "tekst": _shorten(str(text), level)[:150]}
        else:
            source = base[i % len(base)]
            if variety == "faces":
                level = LEVELS[(i // len(base)) % len(LEVELS)]
                card = _vary(source, types, lambda: level)
            else:
                card = _vary(source, types, lambda: rng.random() * 0.6 + 0.4)
            card["id"] = f"{source['id']}-{i:05d}"
        card["count"] = 1
        faces.add(yaml.safe_dump({k: v for k, v in card.items() if k != "id"}, allow_unicode=True, sort_keys=True))
        cards.append(card)
    _relink(cards, types)
    for k in range(0, n, CARDS_PER_FILE):
        chunk = cards[k : k + CARDS_PER_FILE]
        (dest / "cards" / f"bench-{k // CARDS_PER_FILE:03d}.yaml").write_text(
            yaml.safe_dump({"cards": chunk}, allow_unicode=True, sort_keys=False, width=1000), "utf-8")
    _floor_input(dest, cards)
    return {"cards": n, "faces": len(faces), "image_cards": sum(1 for c in cards if c["type"] == IMAGE_TYPE)}


def _relink(cards: list[dict], types: dict) -> None:
    """Point every ``ref`` field at a card of this project: the copy of the card it named, else any of that type."""
    copies: dict[str, str] = {}
    first: dict[str, str] = {}
    for card in cards:
        copies.setdefault(card["id"].rsplit("-", 1)[0], card["id"])
        first.setdefault(card["type"], card["id"])
    for card in cards:
        fields = types.get(card["type"], {}).get("fields", {})
        for key, spec in fields.items():
            if spec.get("kind") == "ref" and isinstance(card.get(key), str):
                card[key] = copies.get(card[key]) or first.get(spec.get("to"), card[key])


def _floor_input(dest: Path, cards: list[dict]) -> None:
    """``floor.json``: the same cards, resolved just enough for benchmarks/floor.py to draw them."""
    game = yaml.safe_load((dest / "cards" / "game.yaml").read_text("utf-8"))
    types = yaml.safe_load((dest / "cards" / "types.yaml").read_text("utf-8"))["types"]
    layout = yaml.safe_load((dest / "layouts" / "default.yaml").read_text("utf-8"))
    variables = game.get("variables", {})
    groups = game.get("groups", {})
    group_colours = layout.get("colours", {}).get("groups", {})

    def fill(text):
        text = str(text)
        for key, value in variables.items():
            text = text.replace("{" + key + "}", str(value))
        return text

    out = []
    for card in cards:
        ctype = types[card["type"]]
        tl = layout["types"].get(card["type"], {})
        colour = tl.get("colour", "#455a64")
        fields, image = [], None
        for name, spec in ctype["fields"].items():
            if name not in card or name == ctype.get("title_field"):
                continue
            value = card[name]
            if spec.get("kind") == "image":
                image = value
            elif spec.get("kind") == "choice":
                colour = group_colours.get(value, colour) if name == "groep" else colour
                fields.append([spec.get("label", name), fill(groups.get(value, value))])
            elif isinstance(value, list):
                fields.append([spec.get("label", name), [fill(v) for v in value]])
            else:
                fields.append([spec.get("label", name), fill(value)])
        out.append({"type": card["type"], "colour": colour, "title": fill(card.get(ctype.get("title_field"), card["id"])),
                    "fields": fields, "image": image, "back": ctype.get("back", {}).get("text", "")})
    data = {"root": str(dest), "title": game.get("title", ""), "cards": out}
    (dest / "floor.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
