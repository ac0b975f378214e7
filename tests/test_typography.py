"""Straight quotes in the content print as the game language's typographic quotes, and apostrophes as ’."""

from __future__ import annotations

import pytest

from kaartenoptafel.build import BuildOptions, build
from kaartenoptafel.layout.text import typographic
from pdfcheck import text


@pytest.mark.parametrize("lang, expected", [
    ("nl", "Kies één ‘brengt’. De krant: „Het klopt niet.” Zo’n partner, auto’s, ’s avonds."),
    ("en", "Kies één ‘brengt’. De krant: “Het klopt niet.” Zo’n partner, auto’s, ‘s avonds."),
])
def test_quotes_follow_the_language(lang, expected):
    source = "Kies één 'brengt'. De krant: \"Het klopt niet.\" Zo'n partner, auto's, 's avonds."
    assert typographic(source, lang) == expected


def test_typographic_quotes_are_kept():
    assert typographic("„Dit formulier had ook in gewone taal gekund.”", "nl") == "„Dit formulier had ook in gewone taal gekund.”"


def test_no_straight_quote_prints_in_any_pdf(built, tmp_path, repo):
    build(BuildOptions(project=repo, region="english", out_dir=tmp_path, quiet=True))
    for folder in (built, tmp_path / "english"):
        for pdf in sorted(folder.glob("*.pdf")):
            printed = text(pdf)
            assert "'" not in printed and '"' not in printed, (pdf.name, [l for l in printed.splitlines()
                                                                          if "'" in l or '"' in l][:3])
    import re

    written = re.findall(r" '([^\W\d_]+)'[ .,]", (repo / "cards" / "gebeurtenissen.yaml").read_text("utf-8"))
    assert written, "the event cards quote a word with straight quotes"
    dutch = text(built / "deck-printshop.pdf")
    assert f"‘{written[0]}’" in dutch
