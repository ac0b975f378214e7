"""The content model: the default kit validates, and every kind of editing mistake is reported, located, at once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kaartenoptafel.errors import ContentError
from kaartenoptafel.project import load_project
from kaartenoptafel.load.yamlfile import parse_yaml


def kot(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kaartenoptafel", *args], capture_output=True, text=True, cwd=cwd)


def write(project: Path, name: str, body: str) -> None:
    (project / "cards" / name).write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")


ROLE = """
  - id: {id}
    type: rol
    titel: Testorganisatie
    groep: werk
    missie: We testen of het spel goed werkt.
    brengt: [Tijd]
    haalt: [Hulp]
    beperking: Weinig tijd.
    belang: Goed testen.
"""


def test_default_kit_validates(repo):
    result = kot("validate", "--project", str(repo))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_list_json_counts_and_sources(repo):
    result = kot("list", "--json", "--project", str(repo))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    per_type = {}
    for row in rows:
        per_type[row["type"]] = per_type.get(row["type"], 0) + 1
        assert set(row) == {"id", "type", "title", "count", "source"}
        path, line = row["source"].rsplit(":", 1)
        assert (repo / path).is_file() and int(line) > 0
    assert per_type.get("rol", 0) >= 18
    assert per_type.get("situatie", 0) >= 12
    assert per_type.get("gebeurtenis", 0) >= 10
    assert per_type.get("vraag", 0) >= 8
    assert per_type.get("afspraak", 0) >= 1
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))


def test_every_role_group_has_role_cards(repo):
    kit = load_project(repo)
    used = {c.fields["groep"] for c in kit.cards_of("rol")}
    assert used == set(kit.game.groups)


def test_five_mistakes_in_five_files_give_five_located_lines(project):
    write(project, "a_unknown.yaml", "cards:" + ROLE.format(id="test-a") + "    brengd: [Iets]\n")
    write(project, "b_dupid.yaml", "cards:" + ROLE.format(id="test-a"))
    write(project, "c_dupkey.yaml", "cards:" + ROLE.format(id="test-c") + "    titel: Nog een titel\n")
    write(project, "d_missing.yaml", "cards:" + ROLE.format(id="test-d").replace("    missie: We testen of het spel goed werkt.\n", ""))
    write(project, "e_syntax.yaml", "cards:\n  - id: test-e\n    type: rol\n    titel: [Open lijst\n")
    result = kot("validate", "--project", str(project))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if ": error: " in l]
    assert len(lines) == 5, result.stderr
    expected = [
        "cards/a_unknown.yaml:11:5: error: card 'test-a': unknown key 'brengd' in a 'rol' card (did you mean 'brengt'?)",
        "cards/b_dupid.yaml:2:9: error: card 'test-a': duplicate id 'test-a'; it is already used at cards/a_unknown.yaml:2:9",
        "cards/c_dupkey.yaml:11:5: error: duplicate key 'titel' (first at line 4)",
        "cards/d_missing.yaml:2:5: error: card 'test-d': missing required field 'missie'",
        "cards/e_syntax.yaml:5:1: error: YAML syntax error",
    ]
    for want in expected:
        assert any(line.startswith(want) for line in lines), f"{want}\n---\n{result.stderr}"


@pytest.mark.parametrize(
    "body, message, line",
    [
        (ROLE.format(id="x1") + "    count: 0\n", "count must be a whole number of 1 or more", 11),
        (ROLE.format(id="x2").replace("Weinig tijd.", "Weinig tijd in {gemeentee}."), "unknown variable '{gemeentee}' (did you mean 'gemeente'?)", 9),
        (ROLE.format(id="x3").replace("Goed testen.", "Goed " + "testen " * 20), "field 'belang' is 144 characters; the maximum is 90", 10),
        (ROLE.format(id="x4").replace("groep: werk", "groep: wrek"), "'wrek' is not allowed (did you mean 'werk'?)", 5),
        (ROLE.format(id="x5").replace("type: rol", "type: roll"), "unknown type 'roll' (did you mean 'rol'?)", 3),
        (ROLE.format(id="X 6"), "must be lowercase letters, digits and '-'", 2),
        (ROLE.format(id="x7").replace("brengt: [Tijd]", "brengt: 12"), "field 'brengt' must be a list", 7),
        (ROLE.format(id="x8").replace("brengt: [Tijd]", "brengt: [a, b, c, d]"), "field 'brengt' has 4 items; the maximum is 3", 7),
    ],
)
def test_single_mistakes_are_located(project, body, message, line):
    write(project, "zz.yaml", "cards:" + body)
    with pytest.raises(ContentError) as err:
        load_project(project)
    found = [d for d in err.value.diagnostics if message in d.message]
    assert found, [str(d) for d in err.value.diagnostics]
    assert found[0].pos.path == "cards/zz.yaml" and found[0].pos.line == line


@pytest.mark.parametrize(
    "raw, fragment, line",
    [
        (b"a:\n\tb: 1\n", "tab used for indentation", 2),
        (b"a: \xff\xfe\n", "is not UTF-8", 1),
        (b"\x00\x01binary", "not a text file", None),
        (b"a: !!python/object/apply:os.system [ls]\n", "unsupported YAML tag", 1),
        (b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
         "alias bomb", None),
        (b"a: b: c\n", "put between quotes", 1),
    ],
)
def test_unreadable_yaml_gets_a_clear_message(raw, fragment, line):
    doc, problems = parse_yaml(raw, "cards/x.yaml")
    assert doc is None and len(problems) == 1
    assert fragment in problems[0].message
    if line is not None:
        assert problems[0].pos.line == line


def test_bom_is_accepted():
    doc, problems = parse_yaml("\ufefftitle: Kaarten op Tafel\n".encode("utf-8"), "cards/x.yaml")
    assert problems == [] and doc.data == {"title": "Kaarten op Tafel"}


def test_schema_covers_every_type_and_field(repo):
    result = kot("schema", "--project", str(repo))
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    variants = schema["properties"]["cards"]["items"]["allOf"]
    kit = load_project(repo)
    assert {v["if"]["properties"]["type"]["const"] for v in variants} == set(kit.types)
    for v in variants:
        tid = v["if"]["properties"]["type"]["const"]
        props = v["then"]["properties"]
        assert set(kit.types[tid].fields) <= set(props)
        assert v["then"]["additionalProperties"] is False


def test_version_and_help_on_every_command():
    result = kot("--version")
    assert result.returncode == 0 and "kaartenoptafel" in result.stdout
    top = kot("--help")
    assert "Exit codes" in top.stdout
    for command in ("validate", "list", "schema", "build", "calibrate"):
        result = kot(command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_usage_error_exits_2(repo):
    result = kot("build", "--paper", "a5", "--project", str(repo))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_default_kit_is_used_outside_a_project(tmp_path):
    result = kot("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
