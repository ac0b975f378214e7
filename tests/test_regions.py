"""Region and language overlays, `kot regions`, `kot diff`, `kot build --all` and `kot init`.

Most checks read the real PDFs of one `kot build --all` (every variant, built in parallel processes):
each region's names on the cards, the board and the guide; a removed card gone from the deck, the
catalogue and the checklist's counts. Editing mistakes in an overlay are reported at the overlay's own
file, line and column.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from kaartenoptafel.errors import ContentError
from kaartenoptafel.load.checks import walk_strings
from kaartenoptafel.build import prepare
from kaartenoptafel.project import load_project
from kaartenoptafel.resolve.overlay import list_regions

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"

# What each shipped region adds and removes (their overlays in cards/regions/ say so too).
REGIONS = {
    "drenthe": {"added": ["bondgenootschap-drenthe"], "removed": ["rechtswinkel"], "accent": "#2e6b3a"},
    "midden-brabant": {"added": ["rechtwijzer-spreekuur", "raad-voor-rechtsbijstand"], "removed": ["sociaal-raadslieden"],
                       "accent": "#a4343a"},
    "rivierenland": {"added": ["samenwel", "ziekenhuis-rivierenland"], "removed": ["hogeschool"], "accent": "#1f5f99"},
    "hoeksche-waard": {"added": ["belastingspreekuur", "lokale-krant"], "removed": [], "accent": "#9a5b00"},
}


def kot(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def norm(text: str) -> str:
    """Text without spaces, line breaks and hyphens: robust against wrapping, hyphenation and ring text."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def layout_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def write_overlay(project: Path, name: str, body: str) -> None:
    folder = project / "cards" / "regions"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")


def problems(project: Path, region: str) -> list[str]:
    with pytest.raises(ContentError) as err:
        load_project(project, region)
    return [str(d) for d in err.value.diagnostics]


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> Path:
    """`kot build --all`: the base kit and every region, each in its own folder."""
    out = tmp_path_factory.mktemp("all")
    result = kot("build", "--all", "--project", str(REPO), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def texts(everything) -> dict:
    """Extracted text per (variant, product file), read once."""
    cache: dict = {}

    def get(variant: str, name: str) -> str:
        if (variant, name) not in cache:
            cache[(variant, name)] = pdf_text(everything / variant / name)
        return cache[(variant, name)]

    return get


# -- the shipped regions -----------------------------------------------------------------------------


def test_regions_lists_every_overlay():
    result = kot("regions", "--json", "--project", str(REPO))
    assert result.returncode == 0, result.stderr
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(REGIONS) | {"english"} <= set(rows)
    for name in REGIONS:
        assert rows[name]["ok"] and rows[name]["extends"] == "base" and rows[name]["layout"] == f"{name}.yaml"


def test_build_all_writes_one_folder_per_variant(everything):
    variants = ["default", *list_regions(REPO)]
    assert sorted(p.name for p in everything.iterdir() if not p.name.startswith(".")) == sorted(variants)
    for variant in variants:
        manifest = json.loads((everything / variant / "manifest.json").read_text("utf-8"))
        assert manifest["variant"] == variant
        kinds = {p["kind"] for p in manifest["products"]}
        assert {"deck-home", "deck-printshop", "board-poster", "guide-a4"} <= kinds, variant


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_each_region_shows_its_own_names_on_cards_board_and_guide(region, texts):
    kit = load_project(REPO, region)
    names = kit.game.variables
    deck, board, guide = (norm(texts(region, f)) for f in ("deck-printshop.pdf", "board-poster-a3.pdf", "guide-a4.pdf"))
    assert norm(names["bibliotheek"]) in deck  # card texts use {bibliotheek}
    assert norm(names["gemeente"]) in deck
    for key in ("bibliotheek", "taalhuis", "gemeente"):
        assert norm(names[key]) in board, key
    for key in ("bibliotheek", "taalhuis", "gemeente", "steunfunctie"):
        assert norm(names[key]) in guide, key
    for card in REGIONS[region]["added"]:
        title = next(c for c in kit.cards if c.id == card).title(kit.types)
        assert norm(title) in deck and norm(title) in guide  # the guide's region page names the partners
        assert norm(card) in guide  # the catalogue prints each card's id
    # the base kit's placeholder names are gone everywhere
    for pdf in (deck, board, guide):
        assert "Middenstad" not in pdf and "MiddenStad" not in pdf


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_a_removed_card_is_gone_from_deck_catalogue_and_counts(region, everything, texts):
    base, kit = load_project(REPO), load_project(REPO, region)
    for card_id in REGIONS[region]["removed"]:
        card = next(c for c in base.cards if c.id == card_id)
        mission = norm(card.fields["missie"])
        assert mission in norm(texts("default", "deck-printshop.pdf"))  # the control: the base prints it
        assert mission not in norm(texts(region, "deck-printshop.pdf"))
        assert card_id in texts("default", "guide-a4.pdf").split()
        assert card_id not in texts(region, "guide-a4.pdf").split()
    manifest = json.loads((everything / region / "manifest.json").read_text("utf-8"))
    roles = len(base.cards_of("rol")) - len(REGIONS[region]["removed"]) + len(REGIONS[region]["added"])
    assert len(kit.cards_of("rol")) == roles
    assert manifest["cards_per_type"]["rol"] == sum(c.count for c in kit.cards_of("rol"))
    # the guide's checklist and catalogue count the region's cards
    plural = kit.types["rol"].plural
    guide = layout_text(everything / region / "guide-a4.pdf")
    if kit.types["rol"].per == "session":  # one role deck for the whole session: '–' per table, the count once
        total = int(re.search(rf"{plural}:[^\n]*?–\s+(\d+)", guide).group(1))
        assert total == manifest["cards_per_type"]["rol"]
    else:
        per_table, total = map(int, re.search(rf"{plural}\s+(\d+)\s+(\d+)", guide).groups())
        assert per_table == manifest["cards_per_type"]["rol"] and total == per_table * kit.game.tables
    assert f"{plural} ({roles})" in guide


def _colour_share(path: Path, hex_colour: str, page: int = 0) -> float:
    target = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page].render(scale=60 / 72).to_pil().convert("RGB")
    finally:
        pdf.close()
    data = image.tobytes()
    r0, g0, b0 = target
    close = sum(1 for i in range(0, len(data), 3)
                if abs(data[i] - r0) <= 12 and abs(data[i + 1] - g0) <= 12 and abs(data[i + 2] - b0) <= 12)
    return close / (len(data) // 3)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_region_layout_sets_the_guide_accent(region, everything):
    accent = REGIONS[region]["accent"]
    assert _colour_share(everything / region / "guide-a4.pdf", accent) > 0.002
    assert _colour_share(everything / "default" / "guide-a4.pdf", accent) < 0.0005


def _images_on_backs(path: Path) -> int:
    reader = PdfReader(str(path))
    found = 0

    def visit(resources):
        nonlocal found
        for _, ref in ((resources or {}).get("/XObject") or {}).items():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Image":
                found += 1
            elif xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    visit(reader.pages[1].get("/Resources"))  # page 2 of the print-shop deck: the first card's back
    return found


def test_drenthe_backs_carry_the_logo_of_its_layout(everything):
    assert _images_on_backs(everything / "drenthe" / "deck-printshop.pdf") >= 1
    assert _images_on_backs(everything / "default" / "deck-printshop.pdf") == 0


def test_diff_lists_added_changed_and_removed_cards():
    result = kot("diff", "--region", "drenthe", "--json", "--project", str(REPO))
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert [r["id"] for r in diff["added"]] == ["bondgenootschap-drenthe"]
    assert [r["id"] for r in diff["removed"]] == ["rechtswinkel"]
    # agnieszka-loon came in at the removed Rechtswinkel: the overlay points her 'waar' elsewhere
    assert {r["id"]: r["fields"] for r in diff["changed"]} == {"steunfunctie": ["missie", "titel"], "agnieszka-loon": ["waar"]}
    assert diff["variables"]["gemeente"] == "Assen" and diff["sections"] == ["board"]
    text = kot("diff", "--region", "drenthe", "--project", str(REPO)).stdout
    assert "added" in text and "removed" in text and "rechtswinkel" in text


# -- the English overlay -------------------------------------------------------------------------------

# Dutch words that never occur in English text (as whole words); card ids such as 'werk-en-inkomen' in the
# guide's catalogue are codes, not text, and are left out.
DUTCH_WORDS = {"de", "het", "een", "en", "niet", "voor", "naar", "wij", "jullie", "zijn", "wordt", "ook", "maar",
               "bij", "dit", "deze", "dat", "je", "jij", "kaart", "kaarten", "vel", "ronde", "tafel", "tafels",
               "minuten", "spelers", "inwoner", "bibliotheek", "gemeente", "wie", "wat", "hoe", "samen"}


# Label words that are the same in both languages.
SHARED = {"Partner", "Ring", "in mm", "print", "kot build --back-offset DX", "min", "Start", "Check-in"}  # the same word in both


def _fragments(text: str) -> set[str]:
    """The literal words of a label without its {placeholders} and punctuation, in pieces of 3+ letters."""
    parts = re.split(r"\{[^{}]*\}|[·:;()\[\],.?!'\"„”“%]|\d+", str(text))
    return {" ".join(p.split()) for p in parts if len("".join(p.split())) >= 3}


def _labels(kit) -> set[str]:
    """Every label the base prints around the content: type names, field labels, backs, labels, board texts."""
    texts = list(kit.game.groups.values()) + [kit.game.title, kit.game.subtitle]
    for ctype in kit.types.values():
        texts += [ctype.name, ctype.plural, ctype.back_text, *(f.label for f in ctype.fields.values())]
        for spec in ctype.fields.values():
            if spec.choices and spec.choices != tuple(kit.game.groups):
                texts += list(spec.choices)
    texts += [str(v) for v in kit.sections["labels"].data.values()]
    texts += [t for key, t in walk_strings(kit.sections["board"].data) if key[0] != "partners" and key[-1] != "field"]
    return set().union(*(_fragments(t) for t in texts))


def _all_text(folder: Path, extra: Path) -> str:
    return "\n".join(pdf_text(p) for p in sorted(folder.glob("*.pdf")) + [extra])


@pytest.fixture(scope="module")
def calibration(tmp_path_factory) -> dict:
    """The calibration sheet (not part of `kot build`) of the base and of the English overlay."""
    folder = tmp_path_factory.mktemp("cal")
    paths = {}
    for variant in ("default", "english"):
        paths[variant] = folder / f"{variant}.pdf"
        args = ["calibrate", "-o", str(paths[variant]), "--project", str(REPO)]
        result = kot(*args, *(["--region", variant] if variant != "default" else []))
        assert result.returncode == 0, result.stderr
    return paths


def test_english_build_has_no_dutch_label_of_the_base(everything, calibration):
    base = load_project(REPO)
    dutch = _labels(base) - SHARED
    assert len(dutch) > 200
    texts = {v: _all_text(everything / v, calibration[v]) for v in ("default", "english")}
    for card_id in sorted((c.id for c in base.cards), key=len, reverse=True):  # the catalogue's codes are not text
        texts = {v: t.replace(card_id, " ") for v, t in texts.items()}
    spaced = {v: " ".join(t.replace("-\n", "").split()) for v, t in texts.items()}
    squashed = {v: norm(t) for v, t in texts.items()}

    def found(fragment: str, variant: str) -> bool:
        if len(norm(fragment)) >= 6:  # long enough to look for without spaces (ring text, hyphenation)
            return norm(fragment) in squashed[variant]
        return re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", spaced[variant]) is not None

    in_base = {f for f in dutch if found(f, "default")}
    assert len(in_base) > 0.8 * len(dutch), sorted(dutch - in_base)  # the control: the base prints them
    left = sorted(f for f in dutch if found(f, "english"))
    assert left == [], left


def test_english_build_reads_as_english(everything, calibration):
    words = []
    ids = {c.id for c in load_project(REPO, "english").cards}
    for path in sorted((everything / "english").glob("*.pdf")) + [calibration["english"]]:
        for token in pdf_text(path).split():
            if "-" not in token and token not in ids:  # card ids in the catalogue are codes
                words.append(token.strip(".,:;?!()[]'\"„”“‘’…·").lower())
    dutch = sorted({w for w in words if w in DUTCH_WORDS})
    assert dutch == [], dutch
    assert {"the", "and", "resident", "partner", "library"} <= set(words)


def test_english_overlay_translates_every_card_label_and_text():
    base, english = load_project(REPO), load_project(REPO, "english")
    assert english.sections["labels"].data.keys() == base.sections["labels"].data.keys()
    assert [c.id for c in english.cards] == [c.id for c in base.cards]  # the same game: same cards and counts
    assert [c.count for c in english.cards] == [c.count for c in base.cards]
    old = {c.id: c for c in base.cards}
    spec = prepare(REPO, "english").spec
    printed = {tid: {f for fr in tl.frames + tl.back_frames for f in ((fr.field,) if fr.field else ()) + fr.fields}
               for tid, tl in spec.types.items()}  # a field no frame prints (a token's 'soort' picks a colour) is data
    for card in english.cards:
        fields = english.types[card.type].fields  # ids of refs (printed as titles), numbers (tijd, geld) and the
        # role group are the same in any language
        same = [n for n, v in card.fields.items()
                if v == old[card.id].fields.get(n) and n != "groep" and fields[n].kind not in ("ref", "number")
                and n in printed.get(card.type, fields)
                and re.search(r"[^\W\d_]", str(v))]  # a value without letters (a token's "1" or "€") is no text
        title = english.types[card.type].title_field
        assert set(same) <= {title}, (card.id, same)  # only names stay (Riet, 78; SeniorWeb)
    for tid, ctype in english.types.items():
        for name, spec in ctype.fields.items():
            assert spec.label != base.types[tid].fields[name].label or spec.label == "Partner", (tid, name)
    assert english.game.language == "en" and english.game.title == "Cards on the Table"


def _shape(value):
    """What a section is made of without its words: the keys, the list lengths and every number."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return "text" if isinstance(value, str) else value


@pytest.mark.parametrize("section", ["guide", "table_card", "board", "labels"])
def test_english_overlay_has_the_shape_of_the_dutch_base(section):
    """The same game in both languages: every key, list item and number (minutes, lines) of the Dutch guide,
    table card, board and labels is in the English, and nothing else. An English list of an older game (other
    rounds, steps or rules) replaces the Dutch list whole, so it would show up here as another shape."""
    base, english = load_project(REPO), load_project(REPO, "english")
    assert _shape(english.sections[section].data) == _shape(base.sections[section].data)


def test_english_guide_and_table_card_print_the_same_rounds(everything):
    """In the printed English kit: each table-card round title is a round heading of the guide, in order."""
    english = load_project(REPO, "english")
    titles = [r["title"] for r in english.sections["table_card"].data["rounds"]]
    guide, card = (" ".join(pdf_text(everything / "english" / f).split()) for f in ("guide-a4.pdf", "table-card-a4.pdf"))
    heading = english.sections["labels"].data["guide_round"]
    at = [guide.find(heading.format(n=n, title=t)) for n, t in enumerate(titles, 1)]
    assert -1 not in at and at == sorted(at), list(zip(titles, at))
    assert [card.find(t) for t in titles] == sorted(card.find(t) for t in titles) and all(t in card for t in titles)


# -- the mechanism, on a writable copy of the kit ---------------------------------------------------


def test_overlay_changes_cards_variables_types_and_sections(project):
    write_overlay(project, "proef", """
        extends: base
        variables:
          gemeente: Proefstad
          bibliotheek: "Bibliotheek {gemeente}"
        types:
          rol:
            name: Rol
            back: {text: Partner}
            fields:
              brengt: {label: Geeft}
              haalt: Krijgt
          situatie:
            fields:
              gat: {choices: {taal: lezen en schrijven}}
        change:
          uwv:
            missie: Mensen in {gemeente} aan werk helpen.
            uitspraak: null
          ricardo-schulden:
            waar: schuldhulpverlening  # he came in at the food bank, which this region removes
        counts:
          uwv: 3
        remove: [voedselbank]
        labels:
          guide_title: Handleiding voor de spelleider in {gemeente}
        board:
          centre:
            heading: Onze inwoner
        guide:
          tips: null
    """)
    base, kit = load_project(project), load_project(project, "proef")
    assert kit.game.variables["bibliotheek"] == "Bibliotheek Proefstad"  # variables may use variables
    uwv = next(c for c in kit.cards if c.id == "uwv")
    assert uwv.fields["missie"] == "Mensen in {gemeente} aan werk helpen." and "uitspraak" not in uwv.fields
    assert uwv.count == 3
    pos = uwv.field_pos["missie"]
    assert (pos.path, pos.line) == ("cards/regions/proef.yaml", 17)  # the patched field keeps the overlay's position
    assert uwv.field_pos["titel"].path == "cards/rollen.yaml"
    assert "voedselbank" not in {c.id for c in kit.cards}
    rol = kit.types["rol"]
    assert (rol.name, rol.back_text, rol.fields["brengt"].label, rol.fields["haalt"].label) == ("Rol", "Partner", "Geeft", "Krijgt")
    assert base.types["rol"].fields["brengt"].label == "Brengt"  # the base is untouched
    gat = kit.types["situatie"].fields["gat"]
    assert "lezen en schrijven" in gat.choices and "taal" not in gat.choices
    old = {c.id: c.fields["gat"] for c in base.cards_of("situatie")}
    new = {c.id: c.fields["gat"] for c in kit.cards_of("situatie")}
    assert new == {k: "lezen en schrijven" if v == "taal" else v for k, v in old.items()}  # the cards' values follow
    board = kit.sections["board"]
    assert board.data["centre"]["heading"] == "Onze inwoner"
    assert board.data["centre"]["text"] == base.sections["board"].data["centre"]["text"]  # merged, not replaced
    assert board.doc.pos("centre", "heading").path == "cards/regions/proef.yaml"
    assert board.doc.pos("centre", "text").path == "cards/board.yaml"
    assert "tips" not in kit.sections["guide"].data and "rounds" in kit.sections["guide"].data


def test_overlay_extends_another_overlay(project):
    write_overlay(project, "ouder", """
        variables: {gemeente: Ouderstad, regio: regio Ouder}
        remove: [voedselbank, uwv]
        change: {ricardo-schulden: {waar: schuldhulpverlening}}  # a removed card may not stay named
    """)
    write_overlay(project, "kind", """
        extends: ouder
        variables: {gemeente: Kindstad}
        add:
          - id: uwv
            type: rol
            titel: UWV Kindstad
            groep: werk
            missie: Werk.
            brengt: [Werkcoaches]
            haalt: [Klanten]
            beperking: Weinig tijd.
            belang: Werk.
    """)
    kit = load_project(project, "kind")
    ids = [c.id for c in kit.cards]
    assert kit.game.variables["gemeente"] == "Kindstad" and kit.game.variables["regio"] == "regio Ouder"
    assert "voedselbank" not in ids and next(c for c in kit.cards if c.id == "uwv").fields["titel"] == "UWV Kindstad"
    at = [i for i, c in enumerate(kit.cards) if c.type == "rol"]
    assert at == list(range(at[0], at[0] + len(at)))  # an added card sits with the cards of its type


@pytest.mark.parametrize(
    "body, where, message",
    [
        ("change:\n  uwvv: {missie: Werk.}\n", "2:3", "there is no card 'uwvv' to change (did you mean 'uwv'?)"),
        ("remove: [voedselbank, voedselbnk]\n", "1:23", "there is no card 'voedselbnk' to remove (did you mean 'voedselbank'?)"),
        ("counts:\n  roc: 2\n  rocc: 2\n", "3:3", "there is no card 'rocc' to count"),
        ("change:\n  uwv:\n    missie: Werk.\n    misie: Werk.\n", "4:5", "a 'rol' card has no field 'misie' (did you mean 'missie'?)"),
        ("change:\n  uwv:\n    type: vraag\n", "3:5", "a card's 'type' cannot be changed"),
        ("change:\n  uwv:\n    missie: Werk in {gemeentee}.\n", "3:13", "unknown variable '{gemeentee}' (did you mean 'gemeente'?)"),
        ("change:\n  uwv:\n    missie: " + "lang " * 30 + "\n", "3:13", "field 'missie' is 149 characters; the maximum is 90"),
        ("counts:\n  uwv: nul\n", "2:8", "count must be a whole number"),
        ("variables:\n  bibliotheek: Bibliotheek {plaats}\n", "2:16", "variable 'bibliotheek' uses '{plaats}', which is not set"),
        ("variables:\n  a: '{b}'\n  b: '{a}'\n", "3:6", "variable 'b' uses itself through a -> b -> a"),
        ("labels:\n  sheet_frnt: Vel\n", "2:3", "there is no label 'sheet_frnt' to change (did you mean 'sheet_front'?)"),
        ("labels:\n  sheet_front: '{title} vel {n} van {totaal}'\n", "2:16", "unknown placeholder '{totaal}' (did you mean 'total'?)"),
        ("board:\n  centre:\n    heading: 'In {gemeentte}'\n", "3:14", "unknown variable '{gemeentte}'"),
        ("guide:\n  intro: 'In {bieb}'\n", "2:10", "unknown variable '{bieb}'"),
        ("types:\n  rol:\n    fields:\n      brengd: {label: Geeft}\n", "4:7", "type 'rol' has no field 'brengd' (did you mean 'brengt'?)"),
        ("types:\n  roll: {name: Rol}\n", "2:3", "there is no card type 'roll' (did you mean 'rol'?)"),
        ("types:\n  situatie:\n    fields:\n      gat: {choices: {tall: language}}\n", "4:23", "'tall' is not a choice of 'gat' (did you mean 'taal'?)"),
        ("layout: nergens.yaml\n", "1:9", "layout file 'layouts/nergens.yaml' not found"),
        ("add:\n  - id: uwv\n    type: rol\n", "2:9", "card 'uwv' already exists (cards/rollen.yaml:"),
        ("extends: bsae\n", "1:10", "region 'bsae' not found"),
        ("kleuren: {a: b}\n", "1:1", "unknown key 'kleuren' in region overlay 'fout'"),
    ],
)
def test_overlay_mistakes_point_at_the_overlay(project, body, where, message):
    write_overlay(project, "fout", body)
    found = [p for p in problems(project, "fout") if message in p]
    assert found, problems(project, "fout")
    assert found[0].startswith(f"cards/regions/fout.yaml:{where}: error: "), found[0]


def test_a_cycle_of_extends_is_one_located_error(project):
    write_overlay(project, "een", "extends: twee\n")
    write_overlay(project, "twee", "variables: {gemeente: Twee}\nextends: een\n")
    assert problems(project, "een") == [
        "cards/regions/twee.yaml:2:10: error: overlays extend each other in a circle: een -> twee -> een; "
        "one of them must extend 'base'"
    ]


def test_every_mistake_is_listed_at_once_and_the_cli_exits_1(project):
    write_overlay(project, "fout", """
        change:
          uwvv: {missie: Werk.}
        remove: [nergens]
        variables:
          gemeente: "{plaats}"
    """)
    result = kot("validate", "--project", str(project), "--region", "fout")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if ": error: " in l]
    assert [l.split(": error:")[0] for l in lines] == [
        "cards/regions/fout.yaml:2:3", "cards/regions/fout.yaml:3:10", "cards/regions/fout.yaml:5:13"]
    unknown = kot("build", "--project", str(project), "--region", "nergens", "--out", str(project / "out"))
    assert unknown.returncode == 1 and "region 'nergens' not found" in unknown.stderr
    assert "known regions: 'drenthe', 'english', 'fout'" in unknown.stderr and not (project / "out").exists()


def test_build_all_and_region_together_is_a_usage_error(project):
    result = kot("build", "--all", "--region", "drenthe", "--project", str(project))
    assert result.returncode == 2 and "either --all or --region" in result.stderr


# -- kot init ----------------------------------------------------------------------------------------


def test_init_creates_a_project_with_a_starter_overlay(tmp_path):
    target = tmp_path / "mijn-spel"
    result = kot("init", str(target), "--region", "mijnstad", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (target / "cards" / "game.yaml").is_file() and (target / "layouts" / "default.yaml").is_file()
    assert set(REGIONS) <= set(list_regions(target))
    base, kit = load_project(target), load_project(target, "mijnstad")
    assert [c.id for c in kit.cards] == [c.id for c in base.cards]  # the starter changes nothing yet
    assert kit.game.variables == base.game.variables
    listed = kot("regions", cwd=target)
    assert "mijnstad" in listed.stdout
    again = kot("init", str(target), cwd=tmp_path)
    assert again.returncode == 2 and "not an empty folder" in again.stderr
    bad = kot("init", str(tmp_path / "x"), "--region", "Mijn Stad", cwd=tmp_path)
    assert bad.returncode == 2 and not (tmp_path / "x").exists()


def test_init_and_build_after_a_plain_install(tmp_path):
    """SLOW (~15-30 s): install kaartenoptafel non-editably into a folder, then `kot init` + `kot build` elsewhere.

    With hatchling installed the wheel is built offline (pip wheel --no-build-isolation); without it pip
    installs with --target and fetches the build backend itself (skipped when that is impossible).
    """
    site, wheels = tmp_path / "site", tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    try:
        import hatchling  # noqa: F401
        built = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)],
                               capture_output=True, text=True, timeout=60)
        source = str(next(wheels.glob("*.whl"))) if built.returncode == 0 else None
    except ImportError:
        source = str(REPO)
    if source is None:
        pytest.fail("building the wheel failed")
    install = subprocess.run([*pip, "install", "--no-deps", "--target", str(site), source],
                             capture_output=True, text=True, timeout=90)
    if install.returncode != 0:
        pytest.skip(f"cannot install without network or hatchling: {install.stderr.strip()[-300:]}")
    assert (site / "kaartenoptafel" / "kit" / "cards" / "regions" / "drenthe.yaml").is_file()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("PYTHONHOME", None)
    outside = tmp_path / "elders"
    outside.mkdir()
    where = subprocess.run([sys.executable, "-c", "import kaartenoptafel.load.kit as k; print(k.__file__); "
                                                  "print(k.default_kit_root())"],
                           capture_output=True, text=True, cwd=outside, env=env)
    module, kit_root = where.stdout.split()
    assert module.startswith(str(site)) and kit_root == str(site / "kaartenoptafel" / "kit")
    made = kot("init", "project", "--region", "mijnstad", cwd=outside, env=env)
    assert made.returncode == 0, made.stderr
    project = outside / "project"
    for args in (("build", "-q"), ("build", "--region", "mijnstad", "-q", "--only", "deck")):
        result = kot(*args, cwd=project, env=env)
        assert result.returncode == 0, result.stderr
    assert (project / "output" / "default" / "guide-a4.pdf").is_file()
    assert (project / "output" / "mijnstad" / "deck-a4.pdf").is_file()
