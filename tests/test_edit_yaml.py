"""The editor's YAML writer: every kit file round-trips byte for byte, one field changes one line, values read
back through kot's own loader exactly as typed (YAML 1.1 traps included), CRLF/BOM/mode kept, conflicts refused."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

import editserver

editserver.need("ruamel.yaml")

from kaartenoptafel.edit.yamlio import Conflict, Editor, Refused, read_source, write  # noqa: E402
from kaartenoptafel.project import load_project  # noqa: E402
from kaartenoptafel.load.yamlfile import parse_yaml, read_yaml  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CARD_FILES = sorted(p for p in (REPO / "cards").glob("*.yaml") if p.name != "types.yaml") + \
    sorted((REPO / "cards" / "regions").glob("*.yaml"))
TRAPS = ["no", "on", "yes", "off", "12:30", "010", "0x1F", "1e3", "1_000", "~", "null", "true", ".5", "- a",
         "a: b", "# not a comment", "'quoted'", '"dq"', "{gemeente}", "[list]", " leading space", "trailing ",
         "Ans, 72", "„Dat kunt u allemaal online regelen.”", "@at", "`tick", "%pct", "!bang", "&amp", "*star",
         "ja\\nee", "tab\there"]


def changed_lines(old: bytes, new: bytes) -> list[str]:
    return [line for line in difflib.unified_diff(old.decode("utf-8-sig").splitlines(),
                                                  new.decode("utf-8-sig").splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def source(path: Path):
    return read_source(path, path.name)


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda p: p.name)
def test_every_kit_file_round_trips_byte_for_byte(path):
    src = source(path)
    assert Editor(src).result() == path.read_bytes()


@pytest.mark.parametrize("path", [p for p in CARD_FILES if "\ncards:" in "\n" + p.read_text("utf-8")],
                         ids=lambda p: p.name)
def test_changing_one_field_of_any_card_changes_exactly_its_line(path):
    """For every card of the kit: a new text in its first text field is a one-line diff, read back exactly."""
    data = read_yaml(path)[0].data
    cards = data.get("cards") if isinstance(data, dict) else None
    assert cards
    for i, card in enumerate(cards):
        name = next(k for k, v in card.items() if k not in ("id", "type") and isinstance(v, str))
        src = source(path)
        ed = Editor(src)
        ed.set(("cards", i, name), card[name] + " no: 12:30")
        new = ed.result()
        diff = changed_lines(path.read_bytes(), new)
        assert len(diff) == 2 and diff[0].startswith("-") and diff[1].startswith("+"), (card["id"], diff)
        assert parse_yaml(new, "x")[0].data["cards"][i][name] == card[name] + " no: 12:30"


@pytest.mark.parametrize("value", TRAPS)
def test_values_read_back_through_kots_loader_exactly_as_typed(tmp_path, value):
    path = tmp_path / "c.yaml"
    path.write_text("cards:\n  - id: a\n    type: rol\n    titel: Oud\n    brengt: [x, y]\n    haalt:\n      - p\n",
                    encoding="utf-8")
    src = source(path)
    ed = Editor(src)
    ed.set(("cards", 0, "titel"), value)
    ed.set(("cards", 0, "brengt"), [value, "z"])
    ed.set(("cards", 0, "haalt"), [value])
    write(src, ed.result())
    card = read_yaml(path)[0].data["cards"][0]
    assert card["titel"] == value and card["brengt"] == [value, "z"] and card["haalt"] == [value]
    assert "brengt: [" in path.read_text("utf-8")  # the flow list stays a flow list


def test_crlf_bom_and_mode_are_kept(tmp_path):
    path = tmp_path / "c.yaml"
    text = "# kaarten\r\ncards:\r\n  - id: a\r\n    type: rol\r\n    titel: Oud  # een opmerking\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    os.chmod(path, 0o640)
    src = source(path)
    ed = Editor(src)
    ed.set(("cards", 0, "titel"), "Nieuw")
    write(src, ed.result())
    raw = path.read_bytes()
    assert raw == b"\xef\xbb\xbf" + text.replace("Oud", "Nieuw").encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name != "c.yaml"]  # no temporary file left behind


def test_a_file_changed_on_disk_after_reading_is_not_overwritten(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("cards:\n  - id: a\n    titel: Oud\n", encoding="utf-8")
    src = source(path)
    ed = Editor(src)
    ed.set(("cards", 0, "titel"), "Van mij")
    path.write_text("cards:\n  - id: a\n    titel: Van iemand anders\n", encoding="utf-8")
    with pytest.raises(Conflict):
        write(src, ed.result())
    assert "iemand anders" in path.read_text("utf-8")


def test_a_layout_the_writer_cannot_keep_is_refused(tmp_path):
    path = tmp_path / "types.yaml"
    path.write_bytes((REPO / "cards" / "types.yaml").read_bytes())  # aligned flow mappings
    with pytest.raises(Refused) as info:
        source(path)
    assert "cannot keep" in info.value.message


def test_comments_stay_where_they_belong(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "cards:\n  - id: a\n    type: rol\n    titel: A  # eigen\n    belang: weg\n\n  # --- groep twee ---\n"
        "  - id: b\n    type: rol\n    titel: B\n    brengt:\n      - x\n      - y\n    # na b\n\n  # --- drie ---\n"
        "  - id: c\n    type: rol\n    titel: C\n", encoding="utf-8")
    before = path.read_text("utf-8")
    src = source(path)
    ed = Editor(src)
    ed.delete(("cards", 0, "belang"))  # the last key of a card, before a section comment
    ed.set(("cards", 0, "missie"), "Nieuw", after=["id", "type", "titel"])
    ed.set(("cards", 1, "brengt"), ["x"])  # a shorter list whose last line carries the next comments
    write(src, ed.result())
    after = path.read_text("utf-8")
    for comment in ("# eigen", "# --- groep twee ---", "# na b", "# --- drie ---"):
        assert after.count(comment) == 1
    assert after.index("missie: Nieuw") < after.index("# --- groep twee ---")
    assert after.index("      - x\n") < after.index("# na b")
    assert len(changed_lines(before.encode(), after.encode())) == 3  # -belang, +missie, -y


def test_deleting_a_card_keeps_the_next_cards_comment(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("cards:\n  - id: a\n    titel: A\n\n  # --- b ---\n  - id: b\n    titel: B\n\n  - id: c\n"
                    "    titel: C\n", encoding="utf-8")
    src = source(path)
    ed = Editor(src)
    ed.delete(("cards", 0))
    write(src, ed.result())
    text = path.read_text("utf-8")
    assert "# --- b ---" in text and "id: a" not in text
    assert [c["id"] for c in read_yaml(path)[0].data["cards"]] == ["b", "c"]


def test_the_kit_still_loads_after_edits(tmp_path, project):
    path = project / "cards" / "rollen.yaml"
    src = read_source(path, "cards/rollen.yaml")
    ed = Editor(src)
    ed.set(("cards", 0, "missie"), "Een nieuwe missie voor {gemeente}.")
    write(src, ed.result())
    first = read_yaml(path)[0].data["cards"][0]["id"]
    card = next(c for c in load_project(project).cards if c.id == first)
    assert card.fields["missie"] == "Een nieuwe missie voor {gemeente}."
