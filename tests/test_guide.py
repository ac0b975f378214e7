"""The facilitator guide: validated at load time, built from the same data as the cards (A4 and A5 booklet)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def kot(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", *args], capture_output=True, text=True, cwd=cwd)


def test_rounds_that_do_not_add_up_fail_validation_at_the_rounds(project: Path):
    (project / "cards" / "gids.yaml").unlink(missing_ok=True)
    (project / "cards" / "gids.yaml").write_text(textwrap.dedent("""\
        guide:
          goal: Samen werken.
          rounds:
            - {title: Welkom, minutes: 5}
            - {title: Spelen, minutes: 60}
        """), encoding="utf-8")
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    assert "cards/gids.yaml:3:3: error: the rounds take 5 + 60 = 65 minutes, but the game lasts 75 minutes" in result.stderr
