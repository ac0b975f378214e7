"""One schema per file kind (src/kaartenoptafel/schema/): its JSON Schema accepts every file of the default kit and
of every region, and rejects what ``kot validate`` rejects in each kind; ``kot schema --kind`` writes it."""

from __future__ import annotations

import copy
import fnmatch
import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from kaartenoptafel.build import check_all, prepare
from kaartenoptafel.cli import main
from kaartenoptafel.errors import ContentError
from kaartenoptafel.project import load_project
from kaartenoptafel.load.yamlfile import read_yaml
from kaartenoptafel.schema import KINDS

jsonschema = pytest.importorskip("jsonschema")


def schema_of(kind: str, root: Path) -> dict:
    return KINDS[kind].schema(load_project(root) if kind == "cards" else None)


def kind_of(rel: str) -> list[str]:
    return [k.name for k in KINDS.values() if any(fnmatch.fnmatch(rel, pattern) for pattern in k.files)]


def yaml_files(root: Path) -> list[str]:
    found = [*(root / "cards").glob("*.yaml"), *(root / "cards" / "regions").glob("*.yaml"),
             *(root / "layouts").glob("*.yaml")]
    return sorted(str(p.relative_to(root)) for p in found)


def data_of(path: Path):
    doc, problems = read_yaml(path)
    assert not problems, problems
    return doc.data


def errors(schema: dict, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in jsonschema.Draft7Validator(schema).iter_errors(data)]


def test_every_kind_is_a_valid_draft7_schema(repo):
    for kind in KINDS:
        jsonschema.Draft7Validator.check_schema(schema_of(kind, repo))


def test_every_file_of_the_kit_and_the_regions_has_exactly_one_kind(repo):
    files = yaml_files(repo)
    assert len(files) >= 20
    for rel in files:
        assert len(kind_of(rel)) == 1, (rel, kind_of(rel))
    assert {kind for rel in files for kind in kind_of(rel)} == set(KINDS)  # and every kind describes a file


def test_every_file_of_the_kit_and_the_regions_validates_against_its_kind(repo):
    schemas = {kind: schema_of(kind, repo) for kind in KINDS}
    for rel in yaml_files(repo):
        (kind,) = kind_of(rel)
        assert errors(schemas[kind], data_of(repo / rel)) == [], rel


# -- what kot validate rejects, the JSON Schema rejects too ----------------------------------------------------

def at(data, *key):
    for k in key:
        data = data[k]
    return data


def setting(*key, value=None, delete=False):
    """A change to a file's data: set ``key`` to ``value`` (or delete it)."""
    def change(data):
        parent = at(data, *key[:-1])
        if delete:
            del parent[key[-1]]
        else:
            parent[key[-1]] = value
    return change


# (file, region for kot validate, what is wrong, the change)
BROKEN = [
    ("cards/game.yaml", None, "unknown key", setting("titel", value="x")),
    ("cards/game.yaml", None, "wrong type", setting("tables", value="vier")),
    ("cards/game.yaml", None, "out of range", setting("duration", value=0)),
    ("cards/game.yaml", None, "required key missing", setting("language", delete=True)),
    ("cards/types.yaml", None, "unknown key", setting("types", "rol", "kleur", value="rood")),
    ("cards/types.yaml", None, "bad choice", setting("types", "rol", "fields", "titel", "kind", value="tekst")),
    ("cards/types.yaml", None, "out of range", setting("types", "rol", "fields", "titel", "max", value=0)),
    ("cards/types.yaml", None, "wrong type", setting("types", "rol", "fields", "titel", "required", value="ja")),
    ("cards/types.yaml", None, "bad choice", setting("types", "rol", "per", value="tafel")),
    ("cards/rollen.yaml", None, "unknown key", setting("cards", 0, "kleur", value="rood")),
    ("cards/rollen.yaml", None, "bad choice", setting("cards", 0, "groep", value="wrek")),
    ("cards/rollen.yaml", None, "out of range", setting("cards", 0, "count", value=0)),
    ("cards/rollen.yaml", None, "wrong type", setting("cards", 0, "missie", value=["a", "b"])),
    ("cards/gids.yaml", None, "unknown key", setting("guide", "intros", value="x")),
    ("cards/gids.yaml", None, "out of range", setting("guide", "rounds", 0, "minutes", value=0)),
    ("cards/gids.yaml", None, "wrong type", setting("guide", "rounds", 0, "minutes", value="tien")),
    ("cards/gids.yaml", None, "bad choice", setting("guide", "copies", value={"werkblad": "paren"})),
    ("cards/gids.yaml", None, "required key missing", setting("guide", "rounds", delete=True)),
    ("cards/tafel.yaml", None, "unknown key", setting("table_card", "roles", 0, "naam", value="x")),
    ("cards/tafel.yaml", None, "out of range", setting("table_card", "rounds", 0, "minutes", value=-5)),
    ("cards/tafel.yaml", None, "wrong type", setting("table_card", "roles", value={"name": "x"})),
    ("cards/tafel.yaml", None, "required key missing", setting("table_card", "success", delete=True)),
    ("cards/labels.yaml", "english", "wrong type", setting("labels", "sheet_front", value=["a", "b"])),
    ("cards/board.yaml", None, "unknown key", setting("board", "partners", "kleur", value="x")),
    ("cards/board.yaml", None, "wrong type", setting("board", "route", value="x")),
    ("cards/board.yaml", None, "out of range", setting("board", "world", value=[])),  # at least one part
    ("cards/board.yaml", None, "required key missing", setting("board", "legend", "title", delete=True)),
    ("layouts/board.yaml", None, "unknown key", setting("board", "gapp", value=1)),
    ("layouts/board.yaml", None, "out of range", setting("board", "gap", value=50)),
    ("layouts/board.yaml", None, "wrong type", setting("board", "tint", value="veel")),
    ("layouts/board.yaml", None, "out of range", setting("board", "library_repeat", value=9)),
    ("layouts/board.yaml", None, "wrong type", setting("board", "colours", "world", value="#ffffff")),
    ("layouts/default.yaml", None, "unknown key", setting("colors", value={})),
    ("layouts/default.yaml", None, "bad choice", setting("styles", "body", "align", value="middle")),
    ("layouts/default.yaml", None, "out of range", setting("card", "bleed", value=20)),
    ("layouts/default.yaml", None, "wrong type", setting("back", "show_title", value="ja")),
    ("layouts/default.yaml", None, "bad choice", setting("card", "size", value="huge")),
    ("layouts/drenthe.yaml", "drenthe", "unknown key", setting("kleuren", value={})),
    ("cards/regions/drenthe.yaml", "drenthe", "unknown key", setting("verwijder", value=["uwv"])),
    ("cards/regions/drenthe.yaml", "drenthe", "out of range", setting("game", value={"tables": 0})),
    ("cards/regions/drenthe.yaml", "drenthe", "wrong type", setting("variables", value={"gemeente": ["a"]})),
    ("cards/regions/english.yaml", "english", "out of range", setting("types", "rol", "fields", "titel",
                                                                      value={"max": 0})),
]


def rejected_by_kot_validate(root: Path, region: str | None) -> list[str]:
    """What ``kot validate [--region R]`` reports (the same two calls as the command)."""
    try:
        check_all(prepare(root, region))
    except ContentError as error:
        return [str(d) for d in error.diagnostics]
    return []


@pytest.mark.parametrize("rel,region,about,change", BROKEN, ids=[f"{b[0]}-{b[2]}-{i}" for i, b in enumerate(BROKEN)])
def test_the_schema_rejects_what_kot_validate_rejects(repo, tmp_path, rel, region, about, change):
    for name in ("cards", "layouts"):
        shutil.copytree(repo / name, tmp_path / name)
    data = copy.deepcopy(data_of(repo / rel))
    change(data)
    (tmp_path / rel).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    assert rejected_by_kot_validate(tmp_path, region), f"kot validate accepts {about} in {rel}"
    (kind,) = kind_of(rel)
    assert errors(schema_of(kind, repo), data), f"the '{kind}' schema accepts {about} in {rel}"


def test_each_kind_has_broken_variants_of_each_sort():
    sorts = {}
    for rel, _, about, _ in BROKEN:
        sorts.setdefault(kind_of(rel)[0], set()).add(about)
    assert set(sorts) == set(KINDS)
    for kind in ("game", "types", "cards", "guide", "table-card", "board-layout", "layout"):
        assert {"unknown key", "wrong type", "out of range"} <= sorts[kind], kind


# -- kot schema --kind -----------------------------------------------------------------------------------------

def kot(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["kot", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return (exit_info.value.code or 0), captured.out, captured.err


def test_kot_schema_writes_each_kind(repo, tmp_path, monkeypatch, capsys):
    code, out, err = kot(monkeypatch, capsys, "schema", "--kinds", "-p", repo)
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()] == list(KINDS)
    for kind in ("game", "overlay", "board-layout"):
        code, out, err = kot(monkeypatch, capsys, "schema", "--kind", kind, "-p", repo)
        assert code == 0, err
        assert json.loads(out) == schema_of(kind, repo)
    code, out, _ = kot(monkeypatch, capsys, "schema", "-p", repo)
    assert json.loads(out) == schema_of("cards", repo)  # without --kind: the card files, as before
    code, _, err = kot(monkeypatch, capsys, "schema", "--kind", "all", "-p", repo, "-o", tmp_path / "schemas")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    code, _, err = kot(monkeypatch, capsys, "schema", "--kind", "gam", "-p", repo)
    assert code == 2 and "unknown kind 'gam' (did you mean 'game'?)" in err
