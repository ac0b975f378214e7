"""Editing comfort: previews rendered from the real PDF, contact sheets, watch mode, card scaffolds, the schema."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader

import kits
from kaartenoptafel.build import BuildOptions, build, prepare
from kaartenoptafel.commands.cardimage import printshop_pdf
from kaartenoptafel.resolve import expand, resolve
from kaartenoptafel.cli import main
from kaartenoptafel.layout.spec import load_layout
from kaartenoptafel.load.jsonschema import card_schema
from kaartenoptafel.project import load_project
from kaartenoptafel.load.yamlfile import read_yaml

SAMPLE = """\
# Sample cards for the editing tests.
cards:
  - id: uwv
    type: rol
    titel: UWV
    groep: werk
    missie: We helpen mensen aan werk en een uitkering.
    brengt: [Werkzoekenden die slecht lezen, "Kennis van de arbeidsmarkt in {regio}"]
    haalt: [Hulp bij online solliciteren]
    beperking: Weinig tijd per klant.
    belang: Klanten sneller zelf online.

  - id: ans
    type: situatie
    count: 3
    titel: Ans, 72
    situatie: Ans woont alleen. Haar man deed altijd de post. Nu moet ze haar DigiD activeren.
    gat: digitaal
    waar: uwv
    waar_detail: aan de balie
    vraag: Hulp bij één brief.
    zegt_niet: Dat ze haar post niet opent.

  - id: ijsbreker
    type: vraag
    titel: IJsbreker
    vraag: Wat was het moeilijkste moment in jouw rol?
"""


def make_project(root: Path, repo: Path, sample: str = SAMPLE) -> Path:
    """A small project: the default game, types and labels with three sample cards."""
    return kits.make_project(root, sample, repo)


def add_type(root: Path, text: str) -> None:
    """Append a card type (YAML as it would stand under ``types:``) to the project's types.yaml."""
    types = root / "cards" / "types.yaml"
    block = textwrap.indent(textwrap.dedent(text), "  ")
    types.write_text(types.read_text("utf-8").rstrip("\n") + "\n" + block, encoding="utf-8")


@pytest.fixture
def small(tmp_path, repo) -> Path:
    return make_project(tmp_path / "proj", repo)


def kot(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    """Run the real entry point in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["kot", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def page_image(pdf_path: Path, index: int, dpi: float, box: str = "trim") -> Image.Image:
    """Render page ``index`` of a PDF on disk, cropped to its TrimBox or BleedBox, independently of kot."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[index]
        mx0, my0, mx1, my1 = page.get_mediabox()
        x0, y0, x1, y1 = page.get_trimbox() if box == "trim" else page.get_bleedbox()
        return page.render(scale=dpi / 72, crop=(x0 - mx0, y0 - my0, mx1 - x1, my1 - y1)).to_pil().convert("RGB")
    finally:
        pdf.close()


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0..255."""
    assert a.size == b.size
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


# -- kot preview ----------------------------------------------------------------------------------


def test_preview_of_a_default_card_has_the_cards_aspect_ratio(repo, tmp_path, monkeypatch, capsys):
    kit = load_project(repo)
    spec, _ = load_layout(repo)
    first = kit.cards[0].id
    monkeypatch.chdir(tmp_path)
    code, out, err = kot(monkeypatch, capsys, "preview", first, "--project", repo, "--dpi", 150)
    assert code == 0, err
    target = tmp_path / "output" / "preview" / f"{first}.png"  # the default place
    assert str(Path("output") / "preview" / f"{first}.png") in out
    with Image.open(target) as image:
        w, h = image.size
    assert w == pytest.approx(spec.width / 25.4 * 150, abs=1.5)
    assert h == pytest.approx(spec.height / 25.4 * 150, abs=1.5)
    assert w / h == pytest.approx(spec.width / spec.height, abs=1.5 / h)


def test_preview_is_the_print_shop_page_cut_at_the_trim_box(small, tmp_path, monkeypatch, capsys):
    """Pixel for pixel what the print-shop PDF of a real build shows, front and back, trim and bleed."""
    out = tmp_path / "out"
    build(BuildOptions(project=small, out_dir=out, only=("deck",), quiet=True))
    cmyk = out / "default" / "deck-printshop.pdf"
    pages = [p for p in PdfReader(str(cmyk)).pages]
    assert len(pages) == 2 * 5  # uwv, 3 x ans, ijsbreker: front and back each
    # The print-shop file is that drawing separated to CMYK (only colours change: same pages and boxes); the
    # preview shows the drawing before separation, in the screen's RGB, so it is compared with that drawing.
    ctx = prepare(small)
    shop = tmp_path / "deck-printshop-rgb.pdf"
    shop.write_bytes(printshop_pdf(ctx, expand(resolve(ctx.kit))))
    rgb_pages = PdfReader(str(shop)).pages
    assert [(list(p.trimbox), list(p.bleedbox)) for p in rgb_pages] == [(list(p.trimbox), list(p.bleedbox)) for p in pages]
    cases = [  # (options, page of the print-shop PDF, box)
        ((), 2, "trim"),  # ans: the second card, first of its three copies
        (("--back",), 3, "trim"),
        (("--bleed",), 2, "bleed"),
    ]
    for options, index, box in cases:
        png = tmp_path / f"ans{''.join(options)}.png"
        code, _, err = kot(monkeypatch, capsys, "preview", "ans", "-p", small, "--dpi", 100, "-o", png, *options)
        assert code == 0, err
        with Image.open(png) as image:
            preview = image.convert("RGB")
        expected = page_image(shop, index, 100, box)
        assert preview.size == expected.size, options
        assert difference(preview, expected) < 1.0, options  # the same drawing (font subsets differ, pixels do not)
    # ... and the three faces really differ: front vs back, trim vs bleed
    with Image.open(tmp_path / "ans.png") as front, Image.open(tmp_path / "ans--back.png") as back:
        assert difference(front.convert("RGB"), back.convert("RGB")) > 20
    with Image.open(tmp_path / "ans--bleed.png") as bled, Image.open(tmp_path / "ans.png") as trimmed:
        bw, bh = bled.size
        tw, th = trimmed.size
        assert bw - tw == pytest.approx(2 * 3 / 25.4 * 100, abs=1.5)  # 3 mm bleed on each side
        assert bh - th == pytest.approx(2 * 3 / 25.4 * 100, abs=1.5)


def test_preview_of_an_unknown_id_says_did_you_mean(small, tmp_path, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "preview", "uvw", "-p", small, "-o", tmp_path / "x.png")
    assert code == 1
    assert "no card has the id 'uvw'" in err and "did you mean 'uwv'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.png").exists()


def test_preview_of_a_region_shows_the_regions_card(small, tmp_path, monkeypatch, capsys):
    (small / "cards" / "regions").mkdir()
    (small / "cards" / "regions" / "noord.yaml").write_text(textwrap.dedent("""\
        extends: base
        name: Noord
        variables:
          regio: regio Noord
        add:
          - id: bieb-noord
            type: vraag
            titel: Noord
            vraag: Wie kent u in {regio}?
        """), encoding="utf-8")
    code, _, err = kot(monkeypatch, capsys, "preview", "bieb-noord", "-p", small, "-o", tmp_path / "n.png")
    assert code == 1 and "no card has the id 'bieb-noord'" in err  # only the region has it
    code, out, err = kot(monkeypatch, capsys, "preview", "bieb-noord", "--region", "noord", "-p", small,
                         "--dpi", 100, "-o", tmp_path / "n.png")
    assert code == 0, err
    with Image.open(tmp_path / "n.png") as image:
        assert image.width == pytest.approx(63 / 25.4 * 100, abs=1.5)
        assert image.height == pytest.approx(88 / 25.4 * 100, abs=1.5)


def test_preview_of_a_card_that_does_not_fit_reports_where(small, tmp_path, monkeypatch, capsys):
    add_type(small, """\
        lang:
          name: Lange kaart
          title_field: titel
          fields:
            titel: {kind: text, required: true, max: 40, label: Titel}
            tekst: {kind: text, required: true, max: 5000, label: Tekst}
          back:
            text: Lang
        """)
    long = " ".join(["Wat was het moeilijkste moment in jouw rol?"] * 60)
    (small / "cards" / "lang.yaml").write_text(f"cards:\n  - id: te-lang\n    type: lang\n    titel: Te lang\n"
                                               f"    tekst: {long}\n", encoding="utf-8")
    code, _, err = kot(monkeypatch, capsys, "preview", "te-lang", "-p", small, "-o", tmp_path / "x.png")
    assert code == 1
    assert re.search(r"cards/lang\.yaml:5:\d+: error: card 'te-lang': field 'tekst' does not fit", err), err
    assert not (tmp_path / "x.png").exists()


# -- kot sheet ------------------------------------------------------------------------------------


def test_contact_sheet_shows_every_distinct_front_once(small, tmp_path, monkeypatch, capsys):
    sheet = tmp_path / "sheet.png"
    code, out, err = kot(monkeypatch, capsys, "sheet", "-p", small, "-o", sheet, "--columns", 2, "--dpi", 60)
    assert code == 0, err
    assert "3 cards" in out  # ans is printed three times but shown once
    single = tmp_path / "uwv.png"
    assert kot(monkeypatch, capsys, "preview", "uwv", "-p", small, "--dpi", 60, "-o", single)[0] == 0
    with Image.open(single) as card:
        cw, ch = card.size
        card = card.convert("RGB")
    with Image.open(sheet) as image:
        image = image.convert("RGB")
    # two columns, two rows (3 cards): the sheet is a little over two cards wide and two cards (plus ids) high
    assert 2 * cw < image.width < 2.4 * cw
    assert 2 * ch < image.height < 2.8 * ch
    # the first cell is uwv's front exactly (find it at the top-left, inside the margin)
    found = None
    for x in range(0, 20):
        for y in range(0, 20):
            if difference(image.crop((x, y, x + cw, y + ch)), card) < 1.0:
                found = (x, y)
                break
        if found:
            break
    assert found, "uwv's front is not in the sheet's first cell"
    x, y = found
    # under it, the id: dark text pixels in the label strip, none in the gap beside the card
    strip = image.crop((x, y + ch + 2, x + cw, y + ch + 14)).convert("L")
    assert strip.getextrema()[0] < 90
    # the fourth cell (row 2, column 2) is empty background
    empty = image.crop((x + cw + 20, y + ch + 40, x + 2 * cw, y + 2 * ch)).convert("L")
    low, high = empty.getextrema()
    assert high - low < 3


def test_contact_sheet_of_one_type_and_an_unknown_type(small, tmp_path, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "sheet", "-p", small, "--type", "situatie", "-o", tmp_path / "s.png")
    assert code == 0, err
    assert "1 cards" in out
    code, out, err = kot(monkeypatch, capsys, "sheet", "-p", small, "--type", "situatei", "-o", tmp_path / "t.png")
    assert code == 1
    assert "did you mean 'situatie'" in err


def test_contact_sheet_continues_on_a_second_image(small, tmp_path, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "sheet", "-p", small, "-o", tmp_path / "s.png", "--per-sheet", 2,
                         "--dpi", 30)
    assert code == 0, err
    assert (tmp_path / "s.png").exists() and (tmp_path / "s-2.png").exists()
    assert not (tmp_path / "s-3.png").exists()


# -- kot watch ------------------------------------------------------------------------------------


class Lines:
    """Lines of a child process's output, read on a thread so the test can wait for one with a timeout."""

    def __init__(self, stream):
        self.queue: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        while True:
            try:
                line = self.queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} within {timeout} s; saw:\n" + "\n".join(self.seen))
            if line is None:
                raise AssertionError(f"output ended before {pattern!r}; saw:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if re.search(pattern, line):
                return line


def test_watch_survives_a_broken_save_and_rebuilds_on_the_next_good_one(small, tmp_path, repo):
    out = tmp_path / "out"
    card_file = small / "cards" / "sample.yaml"
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "kaartenoptafel", "watch", "--project", str(small), "--out", str(out),
         "--only", "deck", "--interval", "0.05", "--debounce", "0.1", "--max-builds", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path,
    )
    try:
        lines = Lines(child.stdout)
        # 1. the good project builds at once
        lines.wait_for(r"ok: built .*deck-a4\.pdf")
        lines.wait_for(r"watching")
        shop = out / "default" / "deck-printshop.pdf"
        good_bytes = shop.read_bytes()
        # 2. a broken save: the error with its file, line and column; the output stays as it was
        card_file.write_text(SAMPLE.replace("    type: rol\n", "    type: rool\n"), encoding="utf-8")
        lines.wait_for(r"changed: cards/sample\.yaml")
        error = lines.wait_for(r"error:")
        assert re.match(r"cards/sample\.yaml:4:11: error: card 'uwv': unknown type 'rool' \(did you mean 'rol'\?\)",
                        error), error
        lines.wait_for(r"1 problem found; the last good output is unchanged")
        assert shop.read_bytes() == good_bytes
        # 3. the fixed save rebuilds, and refreshes the preview of the card that changed (and only that one)
        card_file.write_text(SAMPLE.replace("Weinig tijd per klant.", "Heel weinig tijd per klant."), encoding="utf-8")
        lines.wait_for(r"ok: built")
        preview_line = lines.wait_for(r"preview: ")
        assert "card 'uwv'" in preview_line
        assert child.wait(timeout=60) == 0  # --max-builds 3: the good, the broken and the fixed save
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert [line for line in lines.seen if "preview:" in line] == [preview_line]
    assert "Heel weinig tijd per klant." in "".join(p.extract_text() for p in PdfReader(str(shop)).pages)
    preview = out / "preview" / "uwv.png"
    with Image.open(preview) as image:
        w, h = image.size
    assert w / h == pytest.approx(63 / 88, abs=2 / h)


def test_watch_once_exits_1_on_problems_and_0_when_good(small, tmp_path, monkeypatch, capsys):
    card_file = small / "cards" / "sample.yaml"
    card_file.write_text(SAMPLE.replace("gat: digitaal", "gat: digitaaal"), encoding="utf-8")
    code, out, err = kot(monkeypatch, capsys, "watch", "-p", small, "--out", tmp_path / "o", "--only", "deck", "--once")
    assert code == 1
    assert re.search(r"cards/sample\.yaml:\d+:\d+: error: card 'ans': field 'gat'", err), err
    assert "watching" not in out
    card_file.write_text(SAMPLE, encoding="utf-8")
    code, out, err = kot(monkeypatch, capsys, "watch", "-p", small, "--out", tmp_path / "o", "--only", "deck", "--once")
    assert code == 0, err
    assert "ok: built" in out
    assert (tmp_path / "o" / "default" / "deck-a4.pdf").exists()


def test_watch_with_an_unknown_product_is_a_usage_error(small, tmp_path, monkeypatch, capsys):
    code, _, err = kot(monkeypatch, capsys, "watch", "-p", small, "--out", tmp_path / "o", "--only", "dek", "--once")
    assert code == 2 and "'dek' is not a product" in err
    assert not (tmp_path / "o").exists()


def test_watch_loop_debounces_and_counts_builds(small, tmp_path):
    """The loop itself, driven by a fake clock: a save in two steps builds once, an unrelated file not at all."""
    from kaartenoptafel.commands.watch import Watcher, run

    printed: list[str] = []
    watcher = Watcher(small, tmp_path / "o", None, "default.yaml", ("deck",), previews=False,
                      echo=lambda text="", err=False: printed.append(text))
    card_file = small / "cards" / "sample.yaml"

    def save(text):
        card_file.write_text(text, encoding="utf-8")
        _touch_later(card_file)

    steps = iter([
        lambda: None,  # poll: nothing changed
        lambda: (small / "cards" / "notes.txt").write_text("not watched"),  # poll: not a watched file
        lambda: save(SAMPLE.replace("titel: UWV", "titel: U")),  # poll: a change, then wait for it to settle
        lambda: save(SAMPLE.replace("titel: UWV", "titel: UWV Noord")),  # debounce: saved again
        lambda: None,  # debounce: settled -> build 2
    ])

    def sleep(seconds):
        next(steps)()

    ok = run(watcher, interval=1, debounce=1, max_builds=2, sleep=sleep)
    assert ok
    assert sum("ok: built" in line for line in printed) == 2
    assert sum("changed: cards/sample.yaml" in line for line in printed) == 1
    assert "UWV Noord" in "".join(p.extract_text() for p in PdfReader(str(tmp_path / "o" / "default" / "deck-a4.pdf")).pages)


def _touch_later(path: Path) -> None:
    """Move the mtime on, so a change is seen even on file systems with coarse timestamps."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


# -- kot new card ---------------------------------------------------------------------------------


def test_new_card_of_every_default_type_validates_and_previews(project, tmp_path, monkeypatch, capsys):
    kit = load_project(project)
    before = {p: p.read_text("utf-8") for p in (project / "cards").glob("*.yaml")}
    added = {}
    for type_id in kit.types:
        code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", type_id, "-p", project)
        assert code == 0, err
        where, card_id = re.match(r"(cards/[\w.-]+\.yaml):\d+: added card '([\w-]+)'", out).groups()
        added[card_id] = (type_id, where)
        holders = {c.pos.path for c in kit.cards_of(type_id)}
        assert where in holders or (not holders and where == f"cards/{type_id}.yaml")
    code, out, err = kot(monkeypatch, capsys, "validate", "-p", project)
    assert code == 0, err
    after = load_project(project)
    for card_id, (type_id, where) in added.items():
        card = next(c for c in after.cards if c.id == card_id)
        assert card.type == type_id and card.pos.path == where
        assert set(card.fields) >= {n for n, s in after.types[type_id].fields.items() if s.required}
        code, _, err = kot(monkeypatch, capsys, "preview", card_id, "-p", project, "--dpi", 40,
                           "-o", tmp_path / f"{card_id}.png")
        assert code == 0, err  # it also lays out: every placeholder fits its frame
    # every file kept its text: the scaffolds were only inserted, nothing re-dumped
    for path, old in before.items():
        new = path.read_text("utf-8")
        kept = iter(new.splitlines())
        assert all(line in kept for line in old.splitlines()), path.name
    # and the editor's schema accepts the files with their scaffolds
    schema = card_schema(after)
    for path in card_files(project):
        assert schema_errors(schema, yaml_data(path)) == [], path.name


def test_new_card_scaffold_lists_every_field_and_marks_required_ones(small, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "rol", "-p", small)
    assert code == 0, err
    line = len(SAMPLE.splitlines()) + 2  # appended to the list, after the blank line the file puts between cards
    assert f"cards/sample.yaml:{line}: added card 'rol-2'" in out
    text = (small / "cards" / "sample.yaml").read_text("utf-8")
    assert text.startswith(SAMPLE)  # appended: the file's own text is untouched
    assert text.splitlines()[line - 1].startswith("  - id: rol-2 ")
    block = text.split("  - id: rol-2", 1)[1]
    kit = load_project(small)
    for name, spec in kit.types["rol"].fields.items():
        line = next(x for x in block.splitlines() if x.strip().startswith(f"{name}:"))
        assert ("# required" in line) == spec.required, line
    assert "\n\n  - id: rol-2" in text  # the file's blank line between cards is kept up
    card = next(c for c in kit.cards if c.id == "rol-2")
    assert card.fields["groep"] in kit.game.groups
    assert all(len(v) <= kit.types["rol"].fields["brengt"].max for v in card.fields["brengt"])


def test_new_card_ids_and_mistakes(small, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "rol", "--id", "uwv", "-p", small)
    assert code == 1
    assert re.search(r"cards/sample\.yaml:3:9: error: card 'uwv': the id 'uwv' is already used", err), err
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "rol", "--id", "Mijn Rol", "-p", small)
    assert code == 2
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "rool", "-p", small)
    assert code == 1 and "did you mean 'rol'" in err
    assert (small / "cards" / "sample.yaml").read_text("utf-8") == SAMPLE  # nothing written by any of these
    for expected in ("rol-2", "rol-3"):
        code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "rol", "-p", small)
        assert f"added card '{expected}'" in out
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "rol", "--id", "bibliotheek", "-p", small)
    assert code == 0 and "added card 'bibliotheek'" in out
    assert [c.id for c in load_project(small).cards_of("rol")] == ["uwv", "rol-2", "rol-3", "bibliotheek"]


def test_new_card_goes_before_the_next_section_and_keeps_crlf(tmp_path, repo, monkeypatch, capsys):
    sample = textwrap.dedent("""\
        # Vragen, with a labels section after the cards.
        cards:
        - id: ijsbreker
          type: vraag
          titel: IJsbreker   # keep this comment
          vraag: Wat was het moeilijkste moment?
          # doorvraag: nog niet

        # labels below
        labels:
          extra: "Iets"
        """).replace("\n", "\r\n")
    root = make_project(tmp_path / "p", repo)
    (root / "cards" / "sample.yaml").unlink()
    (root / "cards" / "labels.yaml").unlink()  # this file has the labels section
    (root / "cards" / "vragen.yaml").write_bytes(sample.encode("utf-8"))
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "vraag", "-p", root)
    assert code == 0, err
    raw = (root / "cards" / "vragen.yaml").read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # still CRLF only
    text = raw.decode("utf-8").replace("\r\n", "\n")
    assert text.index("# doorvraag: nog niet") < text.index("- id: vraag-2") < text.index("# labels below")
    assert text.count("titel: IJsbreker   # keep this comment") == 1
    assert re.search(r"\n- id: vraag-2 +#", text)  # the list's own indentation (items at column 0)
    kit = load_project(root)
    assert [c.id for c in kit.cards] == ["ijsbreker", "vraag-2"]
    assert kit.sections["labels"].data["extra"] == "Iets"


def test_new_card_of_a_type_without_cards_starts_its_own_file(small, monkeypatch, capsys):
    (small / "cards" / "schema.json").write_text("{}", encoding="utf-8")
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "afspraak", "--id", "mijn-afspraak", "-p", small)
    assert code == 0, err
    path = small / "cards" / "afspraak.yaml"
    assert out.startswith("cards/afspraak.yaml:")
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=./schema.json\ncards:\n  - id: mijn-afspraak")
    assert [c.id for c in load_project(small).cards_of("afspraak")] == ["mijn-afspraak"]


def test_new_card_dry_run_changes_nothing(small, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "vraag", "--dry-run", "-p", small)
    assert code == 0, err
    assert "would be added to cards/sample.yaml" in out and "- id: vraag-2" in out
    assert (small / "cards" / "sample.yaml").read_text("utf-8") == SAMPLE


def test_new_card_placeholders_respect_limits_and_quoting(tmp_path, repo, monkeypatch, capsys):
    """A type whose labels are longer than its limits, with yes/no-like choices and a number field."""
    root = make_project(tmp_path / "p", repo)
    add_type(root, """\
        quiz:
          name: Quizkaart
          title_field: titel
          fields:
            titel:  {kind: text, required: true, max: 5, label: "Een heel lange titel: met dubbele punt"}
            antwoord: {kind: choice, choices: ["yes", "no"], required: true, label: Antwoord}
            punten: {kind: number, min: 2, max: 9, label: Punten}
            regels: {kind: list, max: 3, max_items: 2, required: true, label: "# Regels"}
            beeld:  {kind: image, label: Beeld}
          back:
            text: Quiz
        """)
    code, out, err = kot(monkeypatch, capsys, "new", "card", "--type", "quiz", "-p", root)
    assert code == 0, err
    card = next(c for c in load_project(root).cards if c.id == "quiz-1")
    assert card.fields == {"titel": "Een h", "antwoord": "yes", "punten": 2, "regels": ["# R"]}
    assert "# beeld:" in (root / "cards" / "quiz.yaml").read_text("utf-8")  # optional image: listed, commented out


# -- the JSON Schema for editors -----------------------------------------------------------------

KEYWORDS = {"$schema", "title", "description", "type", "properties", "required", "additionalProperties", "items",
            "allOf", "if", "then", "const", "enum", "pattern", "maxLength", "maxItems", "minimum", "maximum"}
JSON_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool}


def schema_errors(schema: dict, value, where: str = "") -> list[str]:
    """A small draft-07 validator for exactly the keywords card_schema uses (it fails on any other)."""
    unknown = set(schema) - KEYWORDS
    assert not unknown, f"the schema uses {unknown}: extend this validator"
    if "type" in schema:
        expected = JSON_TYPES[schema["type"]]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            return [f"{where}: not {schema['type']}"]
    errors = []
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if len(value) > schema.get("maxLength", len(value)):
            errors.append(f"{where}: longer than {schema['maxLength']}")
    if isinstance(value, int) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            errors.append(f"{where}: {value} out of range")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{where}: '{k}' is required" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            if key in props:
                errors += schema_errors(props[key], item, f"{where}/{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: '{key}' is not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(schema["additionalProperties"], item, f"{where}/{key}")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{where}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            if "items" in schema:
                errors += schema_errors(schema["items"], item, f"{where}/{i}")
    for sub in schema.get("allOf", []):
        errors += schema_errors(sub, value, where)
    if "if" in schema and not schema_errors(schema["if"], value, where):
        errors += schema_errors(schema.get("then", {}), value, where)
    return errors


def card_files(root: Path) -> list[Path]:
    return [p for p in sorted((root / "cards").glob("*.yaml")) if p.name not in ("game.yaml", "types.yaml")]


def yaml_data(path: Path):
    doc, problems = read_yaml(path)
    assert not problems, problems
    return doc.data


def test_schema_validates_every_default_card_file(repo):
    schema = card_schema(load_project(repo))
    files = card_files(repo)
    assert any("cards" in (yaml_data(p) or {}) for p in files)
    for path in files:
        assert schema_errors(schema, yaml_data(path)) == [], path.name


def test_schema_rejects_what_kot_validate_rejects(repo):
    schema = card_schema(load_project(repo))
    good = {"id": "uwv", "type": "rol", "titel": "UWV", "groep": "werk", "missie": "m", "brengt": ["b"],
            "haalt": ["h"], "beperking": "x", "belang": "y"}
    assert schema_errors(schema, {"cards": [good]}) == []
    wrong = [
        {**good, "groep": "wrek"},  # not a choice
        {**good, "missie": "m" * 91},  # too long
        {**good, "brengt": ["a", "b", "c", "d"]},  # too many lines
        {k: v for k, v in good.items() if k != "belang"},  # a required field missing
        {**good, "kleur": "rood"},  # not a field of the type
        {**good, "type": "rool"},  # not a type
        {**good, "id": "UWV Noord"},  # not an id
    ]
    for card in wrong:
        assert schema_errors(schema, {"cards": [card]}), card
    assert schema_errors(schema, {"kaarten": []})  # an unknown top-level key


def test_schema_agrees_with_the_jsonschema_package(small, repo, monkeypatch, capsys):
    """The same checks with the jsonschema package, when it is installed: default cards and a scaffold."""
    jsonschema = pytest.importorskip("jsonschema")
    assert kot(monkeypatch, capsys, "new", "card", "--type", "rol", "-p", small)[0] == 0
    schema = card_schema(load_project(repo))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for path in card_files(repo) + card_files(small):
        data = yaml_data(path)
        assert [e.message for e in validator.iter_errors(data)] == [], path.name
        assert schema_errors(schema, data) == [], path.name
    bad = {"cards": [{"id": "x", "type": "vraag", "titel": "t", "vraag": "v" * 151}]}
    assert list(validator.iter_errors(bad)) and schema_errors(schema, bad)


def test_schema_file_written_by_kot_schema_is_json(repo, tmp_path, monkeypatch, capsys):
    target = tmp_path / "schema.json"
    code, _, err = kot(monkeypatch, capsys, "schema", "-p", repo, "-o", target)
    assert code == 0, err
    assert json.loads(target.read_text("utf-8")) == card_schema(load_project(repo))
