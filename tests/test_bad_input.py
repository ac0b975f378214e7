"""Hostile and broken input: a clear located error and a non-zero exit code, never a traceback or a hang,
nothing read outside the project, and the last good output left exactly as it was.

Every case of tests/bad_inputs/cases.yaml breaks a copy of the default kit whose output/ holds a previous good
build, runs the real CLI (``kaartenoptafel.cli.main``, in-process) and checks the exit code, the message and its
``file:line:col``, and that output/ is byte-identical afterwards. The other tests cover what is not a content
file: exit codes, Ctrl-C and crashes in the middle of a build, an output folder that cannot be written.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from PIL import Image

from kaartenoptafel import build as build_module
from kaartenoptafel.cli import main
from kaartenoptafel.errors import EXIT_CONTENT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad_inputs"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text("utf-8"))


# -- running the CLI -----------------------------------------------------------------------------


def kot(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    """``kot ARGS`` in-process, through main(): the same mapping of errors to exit codes as the installed command."""
    monkeypatch.setattr(sys, "argv", ["kot", *map(str, args)])
    monkeypatch.delenv("KOT_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (0 if code is None else code), captured.out, captured.err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_output_unchanged(root: Path, previous: dict[str, bytes]) -> None:
    output = root / "output"
    assert sorted(p.name for p in output.iterdir()) == ["default"], "a staging folder or a half-written file remains"
    now = snapshot(output / "default")
    assert sorted(now) == sorted(previous), "files were added to or removed from the previous output"
    for name, data in previous.items():
        assert now[name] == data, f"output/default/{name} changed"


@pytest.fixture(scope="session")
def previous(built) -> dict[str, bytes]:
    """The previous good build (the session's full build of the default kit) that every failed run must keep."""
    return snapshot(built)


def kit_copy(tmp_path: Path, repo: Path, built: Path) -> Path:
    root = tmp_path / "kit"
    for name in ("cards", "layouts"):
        shutil.copytree(repo / name, root / name)
    shutil.copytree(built, root / "output" / "default")
    return root


# -- files the cases need that are not text: made here, never committed --------------------------


def png_bytes(size=(8, 8), colour=(200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return buf.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A PNG header claiming width x height pixels (a decompression bomb), a few bytes in all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit greyscale
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _generate(root: Path, outside: Path, spec: dict) -> None:
    target = root / spec["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = spec["kind"]
    text = spec.get("text", "")
    if kind == "binary":
        target.write_bytes(png_bytes())
    elif kind == "latin1":
        target.write_bytes(text.encode("latin-1"))
    elif kind == "utf16":
        target.write_bytes(text.encode("utf-16"))
    elif kind == "bom":
        target.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif kind == "big":  # a valid YAML file of spec['mib'] MiB (comments)
        line = "# " + "x" * 98 + "\n"
        target.write_text(text + line * int(spec["mib"] * 1048576 / len(line) + 1), encoding="utf-8")
    elif kind == "deep":
        target.write_text(text + "[" * spec["depth"] + "]" * spec["depth"] + "\n", encoding="utf-8")
    elif kind == "big-number":
        target.write_text("cards:\n  - id: getal\n    type: vraag\n    count: " + "9" * 5000
                          + "\n    titel: Getal\n    vraag: Hoeveel?\n", encoding="utf-8")
    elif kind == "png":
        target.write_bytes(png_bytes())
    elif kind in ("gif", "bmp", "tiff"):
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), (10, 120, 60)).save(buf, format=kind.upper())
        target.write_bytes(buf.getvalue())
    elif kind == "corrupt-png":  # a real PNG header, then damaged data
        good = png_bytes((64, 64))
        target.write_bytes(good[:40] + b"\x00garbage" * 20)
    elif kind == "not-an-image":
        target.write_text("dit is geen plaatje\n", encoding="utf-8")
    elif kind == "bomb-png":
        target.write_bytes(bomb_png(spec.get("width", 100_000), spec.get("height", 100_000)))
    elif kind == "symlink-out":  # a link inside the project to a file outside it
        outside.mkdir(exist_ok=True)
        secret = outside / spec["target"]
        if secret.suffix == ".png":
            secret.write_bytes(png_bytes())
        else:
            secret.write_text(spec.get("target_text", "geheim: 1\n"), encoding="utf-8")
        target.symlink_to(secret)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind in ("truncated-font", "font-upem0", "font-no-cmap", "font-upem-huge", "font-ascent-negative",
                  "font-wide-letters"):
        data = bytearray((HERE.parent / "src/kaartenoptafel/fonts/AtkinsonHyperlegibleNext_400Regular.ttf").read_bytes())
        tables = {bytes(data[12 + 16 * i:16 + 16 * i]): 12 + 16 * i for i in range(struct.unpack(">H", data[4:6])[0])}
        if kind == "truncated-font":  # a download that stopped inside the glyph table
            glyf = struct.unpack(">I", data[tables[b"glyf"] + 8:tables[b"glyf"] + 12])[0]
            data = data[: glyf + spec.get("keep", 200)]
        elif kind == "font-upem0":  # unitsPerEm (head + 18) set to 0
            head = struct.unpack(">I", data[tables[b"head"] + 8:tables[b"head"] + 12])[0]
            data[head + 18:head + 20] = b"\0\0"
        elif kind == "font-upem-huge":  # 65535 units per em: every letter tiny (the spec allows 16 to 16384)
            head = struct.unpack(">I", data[tables[b"head"] + 8:tables[b"head"] + 12])[0]
            data[head + 18:head + 20] = b"\xff\xff"
        elif kind == "font-ascent-negative":  # the letters' height above the baseline below it (hhea and OS/2)
            hhea = struct.unpack(">I", data[tables[b"hhea"] + 8:tables[b"hhea"] + 12])[0]
            os2 = struct.unpack(">I", data[tables[b"OS/2"] + 8:tables[b"OS/2"] + 12])[0]
            data[hhea + 4:hhea + 6] = data[os2 + 68:os2 + 70] = struct.pack(">h", -32000)
            data[os2 + 74:os2 + 76] = b"\0\0"
        elif kind == "font-wide-letters":  # every advance width 65535 units: letters 65 em wide
            hmtx, length = struct.unpack(">II", data[tables[b"hmtx"] + 8:tables[b"hmtx"] + 16])
            for at in range(hmtx, hmtx + length - 3, 4):
                data[at:at + 2] = b"\xff\xff"
        else:  # the cmap table renamed: the font has no character map
            data[tables[b"cmap"]:tables[b"cmap"] + 4] = b"cmaq"
        target.write_bytes(bytes(data))
    elif kind == "truncated-jpeg":
        buf = io.BytesIO()
        Image.effect_noise((256, 256), 60).convert("RGB").save(buf, format="JPEG", quality=90)
        target.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    elif kind == "symlink-loop":
        target.symlink_to(target.name)
    elif kind == "long-paragraph":  # a paragraph of spec['chars'] characters inserted after spec['after']
        words = " ".join(f"woord{i % 97}" for i in range(spec["chars"] // 7))
        text = target.read_text("utf-8")
        assert spec["after"] in text
        target.write_text(text.replace(spec["after"], spec["after"] + spec.get("indent", "    ") + words + "\n\n", 1),
                          encoding="utf-8")
    elif kind == "nested-variables":  # variables that each use the one before twice: v_n is 10 * 2**n characters
        lines = [spec.get("text", "variables:"), '  v0: "xxxxxxxxxx"']
        lines += [f'  v{i}: "{{v{i - 1}}}{{v{i - 1}}}"' for i in range(1, spec["levels"] + 1)]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "folder":
        target.mkdir()
    else:
        raise AssertionError(f"unknown generator {kind!r}")


def apply_case(root: Path, outside: Path, case: dict) -> None:
    if case.get("copy"):
        shutil.copytree(BAD / case["copy"], root, dirs_exist_ok=True)
    for rel, text in (case.get("write") or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for patch in case.get("replace") or []:
        path = root / patch["file"]
        text = path.read_text("utf-8")
        assert patch["old"] in text, f"case {case['name']}: {patch['old']!r} is no longer in {patch['file']}"
        path.write_text(text.replace(patch["old"], patch["new"], 1), encoding="utf-8")
    for spec in case.get("generate") or []:
        _generate(root, outside, spec)


def expected_prefix(root: Path, expect: dict) -> str:
    """``file:line:col`` (or ``file``) the message must start with; ``at`` locates a text in the broken file."""
    where = expect["file"]
    line, col = expect.get("line"), expect.get("col")
    if "at" in expect:
        text = (root / expect["file"]).read_bytes().decode("utf-8-sig")
        index = text.index(expect["at"])
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1 + expect.get("col_offset", 0)
    if line is not None:
        where += f":{line}:{col}"
    return f"{where}: error: "


# -- the corpus ----------------------------------------------------------------------------------


def test_corpus_is_large_and_well_formed():
    names = [case["name"] for case in CASES]
    assert len(names) >= 30 and len(set(names)) == len(names)
    for case in CASES:
        assert case.get("expect", {}).get("message"), case["name"]
        assert set(case) <= {"name", "about", "write", "replace", "generate", "copy", "args", "exit", "expect",
                             "validate"}, case["name"]


DAMAGED = ("corrupt-png", "not-an-image", "bomb-png", "truncated-jpeg", "gif", "bmp", "tiff", "png")


def test_every_damaged_font_and_image_case_is_also_run_through_validate():
    """`kot validate` must fail on every damaged font and image that `kot build` fails on: each such case of the
    corpus runs both (``validate: true``), so a new one cannot skip it."""
    for case in CASES:
        kinds = [spec["kind"] for spec in case.get("generate") or []]
        if any(kind in DAMAGED or "font" in kind for kind in kinds):
            assert case.get("validate"), f"case {case['name']} damages a font or an image: add validate: true"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_bad_input(case, tmp_path, repo, built, previous, monkeypatch, capsys):
    root = kit_copy(tmp_path, repo, built)
    outside = tmp_path / "outside"
    apply_case(root, outside, case)
    args = ["build", "--project", root, "--out", root / "output", "-q", *case.get("args", [])]
    started = time.monotonic()
    code, out, err = kot(monkeypatch, capsys, *args)
    elapsed = time.monotonic() - started
    expect = case["expect"]
    assert code == case.get("exit", EXIT_CONTENT), err
    assert "Traceback" not in err + out
    prefix = expected_prefix(root, expect)
    lines = [line for line in err.splitlines() if line.startswith(prefix)]
    assert any(expect["message"] in line for line in lines), f"expected {prefix}...{expect['message']!r}; got:\n{err}"
    assert elapsed < 20, f"took {elapsed:.1f} s"
    assert_output_unchanged(root, previous)
    if case.get("validate"):  # `kot validate` finds the same problem at the same place
        code, out, verr = kot(monkeypatch, capsys, "validate", "--project", root, *case.get("args", []))
        assert code == case.get("exit", EXIT_CONTENT) and "Traceback" not in verr
        assert any(line.startswith(prefix) and expect["message"] in line for line in verr.splitlines()), verr
    if outside.exists():  # nothing outside the project was ever shown
        for secret in outside.iterdir():
            if secret.suffix != ".png":
                assert secret.read_text("utf-8").strip() not in err


def test_bom_files_simply_work(tmp_path, repo, monkeypatch, capsys):
    """A UTF-8 byte order mark (Windows editors) is no problem, and positions after it stay right."""
    root = tmp_path / "kit"
    for name in ("cards", "layouts"):
        shutil.copytree(repo / name, root / name)
    for path in [root / "cards" / "game.yaml", root / "cards" / "vragen.yaml", root / "layouts" / "default.yaml"]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = kot(monkeypatch, capsys, "validate", "--project", root)
    assert code == 0 and out.startswith("ok:"), err
    assert out == kot(monkeypatch, capsys, "validate", "--project", repo)[1]
    vragen = root / "cards" / "vragen.yaml"
    vragen.write_bytes(vragen.read_bytes().replace(b"type: vraag", b"type: vraagg", 1))
    code, _, err = kot(monkeypatch, capsys, "validate", "--project", root)
    text = vragen.read_bytes()[3:].decode("utf-8")
    index = text.index("vraagg")
    line, col = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    assert code == EXIT_CONTENT and f"cards/vragen.yaml:{line}:{col}: error: " in err, err


# -- exit codes ----------------------------------------------------------------------------------


def test_help_documents_the_exit_codes(monkeypatch, capsys):
    code, out, _ = kot(monkeypatch, capsys, "--help")
    assert code == 0
    for number in ("0", "1", "2", "70", "130"):
        assert re.search(rf"^\s+{number}\s+\w", out, re.M), out
    code, out, _ = kot(monkeypatch, capsys, "build", "--help")
    assert code == 0 and "130" in out and "70" in out


def test_readme_documents_the_exit_codes_and_limits(repo):
    readme = (repo / "README.md").read_text("utf-8")
    for row in ("| 0 |", "| 1 |", "| 2 |", "| 70 |", "| 130 |"):
        assert row in readme
    section = readme.split("## Limits and bad input", 1)[1].split("\n## ", 1)[0]
    from kaartenoptafel.load.kit import MAX_CARDS
    from kaartenoptafel.load.yamlfile import MAX_FILE_BYTES
    from kaartenoptafel.render.images import MAX_PIXELS

    assert f"{MAX_FILE_BYTES // 1048576} MiB" in section
    assert f"{MAX_CARDS:,}" in section
    assert f"{MAX_PIXELS:,}" in section
    from kaartenoptafel.load.checks import MAX_TEXT_CHARS
    from kaartenoptafel.load.guide import MAX_PARAGRAPH_CHARS

    assert f"{MAX_TEXT_CHARS:,} characters" in section and f"{MAX_PARAGRAPH_CHARS:,} characters" in section
    assert readme.index("## Limits and bad input") < readme.index("## Exit codes")


def test_usage_error_exits_2(monkeypatch, capsys, repo):
    code, _, err = kot(monkeypatch, capsys, "build", "--project", repo, "--paper", "a5")
    assert code == EXIT_USAGE and "a5" in err and "Traceback" not in err
    code, _, err = kot(monkeypatch, capsys, "frobnicate")
    assert code == EXIT_USAGE and "Traceback" not in err
    code, _, err = kot(monkeypatch, capsys, "build", "--back-offset", "links")
    assert code == EXIT_USAGE and "DX,DY" in err


def test_content_error_exits_1_and_names_the_place(monkeypatch, capsys, tmp_path, repo, built, previous):
    root = kit_copy(tmp_path, repo, built)
    (root / "cards" / "fout.yaml").write_text("cards:\n  - id: fout\n    type: vraag\n", encoding="utf-8")
    code, _, err = kot(monkeypatch, capsys, "build", "--project", root, "--out", root / "output")
    assert code == EXIT_CONTENT
    assert "cards/fout.yaml:2:5: error: card 'fout': missing required field 'titel'" in err
    assert err.rstrip().endswith("nothing was written")
    assert_output_unchanged(root, previous)


@pytest.fixture
def small_kit(tmp_path, repo) -> Path:
    """A kit of two cards: builds quickly, so a build can be interrupted in the middle."""
    root = tmp_path / "small"
    shutil.copytree(repo / "layouts", root / "layouts")
    (root / "cards").mkdir()
    for name in ("game.yaml", "types.yaml", "labels.yaml"):
        shutil.copy(repo / "cards" / name, root / "cards" / name)
    (root / "cards" / "vragen.yaml").write_text(
        "cards:\n"
        "  - {id: een, type: vraag, titel: Een, vraag: Wat ging goed}\n"
        "  - {id: twee, type: vraag, titel: Twee, vraag: Wat kan beter, count: 3}\n",
        encoding="utf-8",
    )
    return root


def _build_good(monkeypatch, capsys, root: Path) -> dict[str, bytes]:
    code, _, err = kot(monkeypatch, capsys, "build", "--project", root, "--out", root / "output", "--only", "deck", "-q")
    assert code == 0, err
    return snapshot(root / "output" / "default")


def _second_product(name: str, exc: BaseException):
    """A product that writes half a file into the staging folder, then fails."""

    def product(job) -> None:
        (job.stage / f"{name}.pdf").write_bytes(b"%PDF-1.4 half a file")
        (job.stage / "deck-a4.pdf").write_bytes(b"overwritten in the stage")
        raise exc

    return product


@pytest.mark.parametrize(
    "exc, code",
    [(KeyboardInterrupt(), EXIT_INTERRUPTED), (RuntimeError("boom"), EXIT_INTERNAL), (MemoryError(), EXIT_INTERNAL)],
    ids=["ctrl-c", "bug", "out-of-memory"],
)
def test_a_build_that_stops_halfway_leaves_the_previous_output(exc, code, monkeypatch, capsys, small_kit):
    before = _build_good(monkeypatch, capsys, small_kit)
    monkeypatch.setitem(build_module.PRODUCTS, "zzz-halfway", _second_product("zzz", exc))
    code_now, out, err = kot(monkeypatch, capsys, "build", "--project", small_kit, "--out", small_kit / "output",
                             "--only", "deck", "--only", "zzz-halfway")
    assert code_now == code
    assert "Traceback" not in err
    if code == EXIT_INTERRUPTED:
        assert "interrupted; the previous output is unchanged" in err
    else:
        assert f"internal error in kaartenoptafel" in err and "This is a bug" in err
        assert len(err.strip().splitlines()) <= 4, err  # a short report
    assert sorted(p.name for p in (small_kit / "output").iterdir()) == ["default"]
    assert snapshot(small_kit / "output" / "default") == before


def test_kot_debug_shows_the_traceback_of_an_internal_error(monkeypatch, capsys, small_kit):
    monkeypatch.setitem(build_module.PRODUCTS, "boom", _second_product("boom", RuntimeError("boom")))
    monkeypatch.setattr(sys, "argv", ["kot", "build", "--project", str(small_kit), "--out",
                                      str(small_kit / "output"), "--only", "boom"])
    monkeypatch.setenv("KOT_DEBUG", "1")
    with pytest.raises(SystemExit) as exit_info:
        main()
    err = capsys.readouterr().err
    assert exit_info.value.code == EXIT_INTERNAL
    assert "Traceback" in err and "RuntimeError: boom" in err


SLOW_BUILD = """
import sys, time
from kaartenoptafel import build
def slow(job):
    (job.stage / "slow.pdf").write_bytes(b"%PDF half")
    print("started", flush=True)
    time.sleep(60)
build.register_product("slow", slow)
from kaartenoptafel.cli import main
main()
"""


def test_ctrl_c_in_a_real_process_exits_130_and_keeps_the_output(small_kit, monkeypatch, capsys):
    """SIGINT to a running `kot build`: exit 130, the previous output byte for byte, no staging folder left."""
    before = _build_good(monkeypatch, capsys, small_kit)
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    env.pop("KOT_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, "build", "--project", str(small_kit), "--out", str(small_kit / "output"),
         "--only", "deck", "--only", "slow"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert proc.stdout.readline().strip() == "started"  # the deck is in the stage, the slow product is running
        assert any(p.name.startswith(".default.staging-") for p in (small_kit / "output").iterdir())
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert "Traceback" not in err and "interrupted" in err
    assert sorted(p.name for p in (small_kit / "output").iterdir()) == ["default"]
    assert snapshot(small_kit / "output" / "default") == before


def test_internal_error_in_a_real_process_exits_70_without_traceback(small_kit):
    script = ("from kaartenoptafel import build\n"
              "def boom(job):\n    raise ZeroDivisionError('division by zero')\n"
              "build.register_product('boom', boom)\nfrom kaartenoptafel.cli import main\nmain()\n")
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    env.pop("KOT_DEBUG", None)
    args = [sys.executable, "-c", script, "build", "--project", str(small_kit), "--out", str(small_kit / "output"),
            "--only", "boom"]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == EXIT_INTERNAL
    assert "Traceback" not in result.stderr and "ZeroDivisionError" in result.stderr
    result = subprocess.run(args, capture_output=True, text=True, env=dict(env, KOT_DEBUG="1"), timeout=60)
    assert result.returncode == EXIT_INTERNAL and "Traceback" in result.stderr


# -- an output folder that cannot be written -----------------------------------------------------


@contextmanager
def read_only(folder: Path):
    """Make ``folder`` unwritable: chmod for a normal user; root ignores modes, so the immutable flag then."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: cannot make a folder unwritable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("locked", ["output", "output/default"])
def test_output_folder_not_writable(locked, small_kit, monkeypatch, capsys):
    before = _build_good(monkeypatch, capsys, small_kit)
    with read_only(small_kit / locked):
        code, out, err = kot(monkeypatch, capsys, "build", "--project", small_kit, "--out", small_kit / "output",
                             "--only", "deck")
        listing = sorted(p.name for p in (small_kit / "output").iterdir())
    assert code == EXIT_CONTENT, err
    assert "Traceback" not in err
    assert "cannot write" in err and "output" in err and "--out" in err, err
    assert listing == ["default"], "a staging folder was left behind"
    assert snapshot(small_kit / "output" / "default") == before


# -- limits and markup, tested directly ----------------------------------------------------------


def test_number_of_card_entries_is_limited(monkeypatch, repo):
    """MAX_CARDS also bounds the card entries themselves (the default kit has more than 50)."""
    from kaartenoptafel.errors import ContentError
    from kaartenoptafel.load import kit as kit_module
    from kaartenoptafel.project import load_project

    monkeypatch.setattr(kit_module, "MAX_CARDS", 50)
    with pytest.raises(ContentError) as info:
        load_project(repo)
    messages = [str(d) for d in info.value.diagnostics]
    assert any(": error: " in m and "cards; the limit is 50 cards per kit" in m for m in messages), messages
    assert all(d.pos is not None and d.pos.line for d in info.value.diagnostics)


NASTY_MARKUP = ["**a *b** c*", "*a **b* c**", "****a****", "******", "***beide***", "**", "*", "<b>x", "&amp; &x;"]


def test_markup_that_does_not_nest_still_prints(small_kit, monkeypatch, capsys):
    """Bold and italic markers that cross each other used to give reportlab a paragraph it cannot parse (a crash)."""
    from kaartenoptafel.layout.text import to_markup

    for text in NASTY_MARKUP:
        markup = to_markup(text)
        stack = []
        for tag in re.findall(r"</?[bi]>", markup):
            if tag.startswith("</"):
                assert stack and stack.pop() == tag[2], (text, markup)
            else:
                stack.append(tag[1])
        assert not stack, (text, markup)
    cards = "".join(f"  - {{id: opmaak-{i}, type: vraag, titel: 'Opmaak {i}', vraag: {yaml.safe_dump(t).split(chr(10))[0]!s}}}\n"
                    for i, t in enumerate(NASTY_MARKUP))
    (small_kit / "cards" / "opmaak.yaml").write_text("cards:\n" + cards, encoding="utf-8")
    (small_kit / "cards" / "afspraak.yaml").write_text(
        "cards:\n  - {id: leeg, type: afspraak, titel: Leeg, regels: ['**', '*', '***'], toetsen: ['**']}\n",
        encoding="utf-8")
    code, _, err = kot(monkeypatch, capsys, "build", "--project", small_kit, "--out", small_kit / "output",
                       "--only", "deck", "-q")
    assert code == 0, err
