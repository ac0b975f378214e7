"""Text contrast by WCAG 2 (relative luminance with the sRGB gamma): `kot validate` finds a too-light text
colour at the layout line that sets it, with the ratio and a colour that passes; the shipped layouts pass."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kaartenoptafel.layout.contrast import contrast, required, suggestion
from kaartenoptafel.layout.spec import parse_colour

WHITE = parse_colour("#ffffff")


def _validate(project, *args):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", "validate", "--project", str(project), *args],
                          capture_output=True, text=True)


def test_wcag_ratios():
    assert contrast(parse_colour("#000000"), WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast(parse_colour("#e0a100"), WHITE) == pytest.approx(2.27, abs=0.01)  # the old event labels
    assert contrast(parse_colour("#d35400"), WHITE) == pytest.approx(4.17, abs=0.01)
    assert contrast(parse_colour("#00897b"), WHITE) == pytest.approx(4.32, abs=0.01)
    # a gamma-less brightness test called #767676 mid-grey; WCAG puts it at 4.54:1 on white
    assert contrast(parse_colour("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)
    assert required(10, False) == 4.5 and required(14, True) == 3.0 and required(18, False) == 3.0
    assert required(14, False) == 4.5
    fixed = parse_colour(suggestion(parse_colour("#e0a100"), WHITE, 4.5))
    assert contrast(fixed, WHITE) >= 4.5


@pytest.mark.parametrize("region", [None, "english", "drenthe", "midden-brabant", "rivierenland", "hoeksche-waard"])
def test_shipped_layouts_pass(repo, region):
    result = _validate(repo, *(["--region", region] if region else []))
    assert result.returncode == 0, result.stderr


def test_a_too_light_label_colour_is_reported_at_its_line(project):
    layout = project / "layouts" / "default.yaml"
    lines = layout.read_text().splitlines()
    n = next(i for i, line in enumerate(lines) if line.lstrip().startswith("body_dark_labels:"))
    lines[n] = lines[n].replace('label_colour: "#8a5a00"', 'label_colour: "#e0a100"')
    layout.write_text("\n".join(lines) + "\n")
    result = _validate(project)
    assert result.returncode == 1
    assert f"layouts/default.yaml:{n + 1}:" in result.stderr, result.stderr
    assert "#e0a100 on #ffffff has a contrast of 2.27:1, below the 4.5:1" in result.stderr
    assert "gebeurtenis" in result.stderr and "use #" in result.stderr
    assert "Traceback" not in result.stderr


def test_white_on_a_too_light_band_blames_the_band_colour(project):
    layout = project / "layouts" / "default.yaml"
    text = layout.read_text()
    assert '    zorg: "#b34700"' in text
    layout.write_text(text.replace('    zorg: "#b34700"', '    zorg: "#d35400"'))
    line = next(i for i, l in enumerate(layout.read_text().splitlines(), 1) if l.startswith('    zorg: "#d35400"'))
    result = _validate(project)
    assert result.returncode == 1
    assert f"layouts/default.yaml:{line}:" in result.stderr
    assert "#ffffff on #d35400 has a contrast of 4.17:1" in result.stderr, result.stderr


def test_board_text_colour_is_checked(project):
    board = project / "layouts" / "board.yaml"
    text = board.read_text()
    assert 'library_text: "#5b3600"' in text
    board.write_text(text.replace('library_text: "#5b3600"', 'library_text: "#e8b070"'))
    line = next(i for i, l in enumerate(board.read_text().splitlines(), 1) if "library_text:" in l)
    result = _validate(project)
    assert result.returncode == 1
    assert f"layouts/board.yaml:{line}:" in result.stderr and "library ring" in result.stderr, result.stderr


def test_the_guides_own_colours_pass():
    from kaartenoptafel.products import guide

    ink, muted, accent, tint = (parse_colour(c) for c in (guide.INK, guide.MUTED, guide.ACCENT, guide.TINT))
    assert contrast(muted, WHITE) >= 4.5  # footers, file names, follow-up questions
    assert contrast(ink, tint) >= 4.5 and contrast(muted, tint) >= 4.5  # the 'say' boxes, table heads
    assert contrast(accent, WHITE) >= 4.5  # headings (large, but also the checkboxes' labels)
