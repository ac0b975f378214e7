"""Prepress details: font subset tags that differ per file and per subset (and stay the same build to build),
the calibration sheet's fonts embedded, print-shop fronts with bleed."""

from __future__ import annotations

import re
from collections import defaultdict

from kaartenoptafel.build import BuildOptions, build
from pdfcheck import fonts


def test_subset_tags_differ_between_files_and_subsets(built):
    owners = defaultdict(set)
    for pdf in sorted(built.glob("*.pdf")):
        for font in fonts(pdf):
            name = font["name"].lstrip("/")
            m = re.fullmatch(r"([A-Z]{6})\+(.+)", name)
            assert m, (pdf.name, name)  # a subset, tagged
            assert font["embedded"], (pdf.name, name)
            owners[m.group(1)].add((pdf.name, m.group(2)))
    assert "AAAAAA" not in owners
    shared = {tag: where for tag, where in owners.items() if len(where) > 1}
    assert not shared, shared  # a print shop merging any two of these files gets no name clash


def test_subset_tags_are_the_same_from_build_to_build(repo, tmp_path, built):
    build(BuildOptions(project=repo, out_dir=tmp_path, only=("deck",), quiet=True))
    again = {f["name"] for f in fonts(tmp_path / "default" / "deck-a4.pdf")}
    assert again == {f["name"] for f in fonts(built / "deck-a4.pdf")}


def test_calibration_sheet_embeds_its_fonts_and_its_back_carries_the_numbers(repo, tmp_path):
    import subprocess
    import sys

    from pypdf import PdfReader

    target = tmp_path / "calibrate.pdf"
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "calibrate", "--project", str(repo), "-o",
                             str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = fonts(target)
    assert found and all(f["embedded"] for f in found), found
    assert not any("Helvetica" in f["name"] for f in found)
    back = PdfReader(str(target)).pages[1].extract_text()
    for number in ("+5", "−5" if "−5" in back else "-5", "+4,5", "4,5", "0"):  # the back asks you to read a number: it is there
        assert number in back, (number, back[:200])


def test_print_shop_cards_have_a_die_line_in_a_spot_colour_that_overprints(built):
    import pikepdf

    with pikepdf.open(built / "deck-printshop.pdf") as pdf:
        for page in list(pdf.pages)[:6]:
            spaces = page.Resources.get("/ColorSpace") or {}
            assert any(list(cs)[0] == "/Separation" and str(list(cs)[1]) == "/CutContour" for cs in spaces.values())
            content = page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else b""
            states = page.Resources.get("/ExtGState") or {}
            assert any(bool(gs.get("/OP")) for gs in states.values())
            assert b"/CutContour CS" in content


def test_print_shop_fronts_run_their_colour_into_the_bleed(built):
    import pikepdf

    from pdfcheck import PT, render

    with pikepdf.open(built / "deck-printshop.pdf") as pdf:
        trim = [float(v) for v in pdf.pages[0].trimbox]
        bleed = [float(v) for v in pdf.pages[0].bleedbox]
    assert round((trim[0] - bleed[0]) * PT, 1) == 3.0
    dpi = 100
    image = render(built / "deck-printshop.pdf", 0, dpi)
    k = dpi / 72
    height = image.height
    # 1.5 mm outside the trim, at the band's top edge and its left edge: the band colour, not white paper
    outside = 1.5 / PT
    for x, y in ((trim[0] + 30 / PT, trim[3] + outside), (trim[0] - outside, trim[3] - 5 / PT)):
        r, g, b = image.getpixel((int(x * k), int(height - y * k)))
        assert (r, g, b) != (255, 255, 255) and min(r, g, b) < 200, (x, y, (r, g, b))


def test_a_back_frame_closer_to_the_cut_than_the_safe_margin_is_an_error(project):
    import subprocess
    import sys

    layout = project / "layouts" / "default.yaml"
    text = layout.read_text()
    assert "  frame_inset: 0 " in text
    layout.write_text(text.replace("  frame_inset: 0 ", "  frame_inset: 2 "))
    line = next(i for i, l in enumerate(layout.read_text().splitlines(), 1) if l.startswith("  frame_inset: 2"))
    result = subprocess.run([sys.executable, "-m", "kaartenoptafel", "validate", "--project", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"layouts/default.yaml:{line}:" in result.stderr and "safe margin" in result.stderr, result.stderr


def test_a_soft_photo_on_a_card_front_warns_at_its_card(repo, tmp_path):
    """The resolution check looks at the pictures on the cards' fronts, not only at the layout's logos: a photo card
    of the benchmark's kit (480 x 320 pixels over 54 x 36 mm, 226 dpi) warns at the card's photo field."""
    import subprocess
    import sys

    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        from synth import make_project
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    make_project(repo, tmp_path / "kit", 40)
    run = subprocess.run([sys.executable, "-m", "kaartenoptafel", "validate", "-p", str(tmp_path / "kit")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    found = re.findall(r"cards/bench-000\.yaml:(\d+):\d+: warning: image '(foto-\d\.png)' is 480 x 320 pixels: "
                       r"226 dpi at its printed size", run.stderr)
    assert found, run.stderr
    lines = (tmp_path / "kit" / "cards" / "bench-000.yaml").read_text("utf-8").splitlines()
    for line, name in found:
        assert name in lines[int(line) - 1]  # the line of the card's photo
