"""Faults around a build rather than in the content: builds racing for one output folder, a build killed with
SIGKILL, links and undeletable files in the previous output, options that are not finite numbers, file modes,
project discovery, messages with terminal escapes. Each test failed before the fix it guards.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kaartenoptafel
from kaartenoptafel.cli import main
from kaartenoptafel.errors import EXIT_CONTENT, EXIT_USAGE

HERE = Path(__file__).resolve().parent
SRC = Path(kaartenoptafel.__file__).resolve().parent.parent  # the code under test, also in subprocesses


def kot(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["kot", *map(str, args)])
    monkeypatch.delenv("KOT_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (0 if code is None else code), captured.out, captured.err


def env() -> dict:
    e = dict(os.environ, PYTHONPATH=str(SRC))
    e.pop("KOT_DEBUG", None)
    return e


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def small(tmp_path, repo) -> Path:
    root = tmp_path / "small"
    shutil.copytree(repo / "layouts", root / "layouts")
    (root / "cards").mkdir()
    for name in ("game.yaml", "types.yaml", "labels.yaml"):
        shutil.copy(repo / "cards" / name, root / "cards" / name)
    (root / "cards" / "vragen.yaml").write_text(
        "cards:\n  - {id: een, type: vraag, titel: Een, vraag: Wat ging goed}\n"
        "  - {id: twee, type: vraag, titel: Twee, vraag: Wat kan beter, count: 3}\n", encoding="utf-8")
    return root


def build_cmd(root: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kaartenoptafel", "build", "--project", str(root), "--out", str(out),
            "--only", "deck", "-q", *extra]


# -- class 8: builds at the same moment, killed builds ---------------------------------------------------------


def test_three_builds_at_once_all_succeed_with_one_complete_output(small, tmp_path):
    reference = tmp_path / "reference"
    subprocess.run(build_cmd(small, reference), env=env(), check=True, timeout=120)
    out = tmp_path / "out"
    subprocess.run(build_cmd(small, out), env=env(), check=True, timeout=120)  # a previous output to replace
    for attempt in range(2):
        procs = [subprocess.Popen(build_cmd(small, out), env=env(), stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
        results = [(p.wait(timeout=180), p.stderr.read()) for p in procs]
        for code, err in results:
            assert code == 0 or "another build" in err, err
            assert "Traceback" not in err and "Directory not empty" not in err, err
        assert sorted(p.name for p in out.iterdir()) == ["default"], list(out.iterdir())
        assert digests(out / "default") == digests(reference / "default")


SLOW = """
import sys, time
from kaartenoptafel import build
def slow(job):
    (job.stage / "slow.pdf").write_bytes(b"%PDF half")
    print("started", flush=True)
    time.sleep(120)
build.register_product("slow", slow)
from kaartenoptafel.cli import main
main()
"""


def test_a_killed_build_leaves_nothing_once_the_next_build_ran(small, tmp_path):
    out = tmp_path / "out"
    subprocess.run(build_cmd(small, out), env=env(), check=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "-c", SLOW, "build", "--project", str(small), "--out", str(out),
                             "--only", "deck", "--only", "slow"], stdout=subprocess.PIPE, env=env(), text=True)
    try:
        assert proc.stdout.readline().strip() == "started"
        assert any(".staging-" in p.name for p in out.iterdir())
        # a build while the slow one runs leaves its staging folder alone
        subprocess.run(build_cmd(small, out), env=env(), check=True, timeout=120)
        assert any(".staging-" in p.name for p in out.iterdir())
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert any(".staging-" in p.name for p in out.iterdir())  # SIGKILL cannot clean up
    subprocess.run(build_cmd(small, out), env=env(), check=True, timeout=120)
    assert sorted(p.name for p in out.iterdir()) == ["default"]


def chattr(path: Path, flag: str) -> bool:
    return shutil.which("chattr") is not None and subprocess.run(["chattr", flag, str(path)],
                                                                 capture_output=True).returncode == 0


def test_an_undeletable_file_in_the_old_output_is_named_and_never_blocks_later_builds(small, tmp_path, monkeypatch,
                                                                                      capsys):
    out = tmp_path / "out"
    assert kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")[0] == 0
    stuck = out / "default" / "vast.txt"
    stuck.write_text("vast\n")
    if os.geteuid() == 0:
        if not chattr(stuck, "+i"):
            pytest.skip("root on a file system without chattr +i")
    else:
        (out / "default").chmod(0o555)  # its entries cannot be removed; the folder itself can still be renamed
    try:
        for _ in range(3):
            code, _, err = kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")
            assert code == 0, err
            assert "vast.txt" in err and "cannot be removed" in err or "cannot remove" in err, err
            assert "vast.txt" not in [p.name for p in (out / "default").iterdir()]
    finally:
        for p in out.rglob("vast.txt"):
            if os.geteuid() == 0:
                chattr(p, "-i")
            else:
                p.parent.chmod(0o755)
    assert kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["default"]


# -- class 7: links in the previous output -------------------------------------------------------------------


def test_links_in_the_previous_output_are_never_followed(project, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert kot(monkeypatch, capsys, "build", "--project", project, "--out", out, "-q")[0] == 0
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim wachtwoord\n")
    (out / "default" / "geheim.pdf").symlink_to(secret)
    # a product of the previous build replaced by a link to a file elsewhere
    board = next(p for p in (out / "default").iterdir() if p.name.startswith("board-poster"))
    board.unlink()
    board.symlink_to(secret)
    code, _, err = kot(monkeypatch, capsys, "build", "--project", project, "--out", out, "--only", "deck", "-q")
    assert code == 0, err
    for path in (out / "default").iterdir():
        assert not path.is_symlink()
        assert b"geheim wachtwoord" not in path.read_bytes(), path.name
    names = [p.name for p in (out / "default").iterdir()]
    assert "geheim.pdf" not in names and board.name not in names
    manifest = json.loads((out / "default" / "manifest.json").read_text())
    assert sorted(p["path"] for p in manifest["products"]) == sorted(n for n in names if n != "manifest.json")



def test_a_file_or_link_named_like_an_old_output_is_never_made_the_output(small, tmp_path, monkeypatch, capsys):
    """A build restores an old output folder that a crash left between the two renames of a swap; a file or a link
    with that name made every later build fail ('not a folder the build made') or put a folder elsewhere in place."""
    out = tmp_path / "out"
    out.mkdir()
    (out / ".default.old-x1").write_text("rommel\n")
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "geheim.pdf").write_text("geheim\n")
    (out / ".default.old-x2").symlink_to(elsewhere)
    for _ in range(2):
        code, _, err = kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")
        assert code == 0, err
        assert (out / "default").is_dir() and not (out / "default").is_symlink()
        assert "geheim.pdf" not in [p.name for p in (out / "default").iterdir()]
    assert (elsewhere / "geheim.pdf").read_text() == "geheim\n"

# -- file modes, atomic writes ----------------------------------------------------------------------------------


def test_a_replaced_file_keeps_its_mode(tmp_path):
    from kaartenoptafel.write.atomic import write_bytes_atomic

    target = tmp_path / "types.yaml"
    target.write_text("oud\n")
    target.chmod(0o664)
    write_bytes_atomic(target, b"nieuw\n")
    assert target.read_bytes() == b"nieuw\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664



@pytest.mark.parametrize("command", [["calibrate"], ["schema"], ["preview", "vraag-je-rol"], ["sheet"]],
                         ids=lambda c: c[0])
def test_an_output_that_is_a_device_or_a_pipe_is_never_replaced_by_a_file(command, repo, tmp_path, monkeypatch,
                                                                           capsys):
    """`-o /dev/null` (or /dev/full, or a pipe) was replaced by a regular file through the atomic rename: as root,
    the device node itself was gone. A pipe stands in for the device here."""
    pipe = tmp_path / "pijp"
    os.mkfifo(pipe)
    code, _, err = kot(monkeypatch, capsys, *command, "--project", repo, "-o", pipe)
    assert code == EXIT_USAGE, err
    assert "'-o' / '--output'" in err and "is not a regular file" in err and "Traceback" not in err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pijp"]  # no temporary file left beside it


@pytest.mark.parametrize("command, target", [(["schema"], "cards/types.yaml"),
                                             (["preview", "vraag-je-rol"], "cards/game.yaml"),
                                             (["calibrate"], "layouts/default.yaml")], ids=["schema", "preview", "calibrate"])
def test_an_output_never_replaces_a_file_of_another_kind(command, target, project, monkeypatch, capsys):
    """`kot schema -o cards/types.yaml` wrote JSON over the card types (exit 0; every later command failed)."""
    before = (project / target).read_bytes()
    code, _, err = kot(monkeypatch, capsys, *command, "--project", project, "-o", project / target)
    assert code == EXIT_USAGE and "exists and is not a" in err and "'-o' / '--output'" in err, err
    assert (project / target).read_bytes() == before


def test_the_atomic_writer_never_replaces_what_is_not_a_regular_file(tmp_path):
    from kaartenoptafel.write.atomic import write_bytes_atomic

    pipe = tmp_path / "pijp"
    os.mkfifo(pipe)
    with pytest.raises(OSError) as info:
        write_bytes_atomic(pipe, b"%PDF")
    assert info.value.filename == str(pipe) and "not a regular file" in str(info.value)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and [p.name for p in tmp_path.iterdir()] == ["pijp"]

# -- class 1 / 9: options ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, option", [
    (["build", "--overlap", "nan"], "--overlap"),
    (["build", "--overlap", "inf"], "--overlap"),
    (["build", "--back-offset", "nan,0"], "--back-offset"),
    (["build", "--back-offset", "1e308,0"], "--back-offset"),
    (["build", "--back-offset", "0,-inf"], "--back-offset"),
    (["watch", "--interval", "nan", "--once"], "--interval"),
    (["watch", "--debounce", "inf", "--once"], "--debounce"),
    (["build", "--out", ""], "--out"),
    (["build", "--project", ""], "--project"),
])
def test_options_that_are_not_finite_or_empty_are_usage_errors_naming_the_option(args, option, monkeypatch, capsys,
                                                                                  tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = kot(monkeypatch, capsys, *args)
    assert code == EXIT_USAGE, err
    assert option in err and "Traceback" not in err
    assert not (tmp_path / "default").exists() and not (tmp_path / "output").exists()


def test_every_float_option_uses_the_finite_type():
    """New options must use FiniteFloat: click's FloatRange accepts nan."""
    import click

    from kaartenoptafel.cli import cli
    from kaartenoptafel.options import FiniteFloat

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        for param in command.params:
            if isinstance(param.type, (click.types.FloatParamType, click.FloatRange)):
                raise AssertionError(f"kot {name} {param.opts[0]} uses {param.type!r}; use FiniteFloat")
            if isinstance(param.type, FiniteFloat):
                with pytest.raises(click.BadParameter):
                    param.type.convert("nan", param, None)


def test_calibrate_into_a_folder_writes_calibrate_pdf_inside_it(repo, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "printer"
    folder.mkdir()
    code, out, err = kot(monkeypatch, capsys, "calibrate", "--project", repo, "-o", f"{folder}/")
    assert code == 0, err
    assert (folder / "calibrate.pdf").is_file()
    code, out, err = kot(monkeypatch, capsys, "calibrate", "--project", repo, "-o", f"{tmp_path}/nieuw/")
    assert code == 0, err
    assert (tmp_path / "nieuw" / "calibrate.pdf").is_file()


# -- project discovery -------------------------------------------------------------------------------------------


def test_kot_finds_the_project_from_a_subfolder(project, monkeypatch, capsys):
    (project / "cards" / "vragen.yaml").write_text(
        (project / "cards" / "vragen.yaml").read_text("utf-8").replace("type: vraag", "type: vraagg", 1), "utf-8")
    monkeypatch.chdir(project / "cards")
    code, out, err = kot(monkeypatch, capsys, "validate")
    assert code == EXIT_CONTENT and "vraagg" in err, err  # the project's own (broken) cards, not the built-in kit


def test_outside_a_project_kot_says_it_uses_the_built_in_kit(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = kot(monkeypatch, capsys, "validate")
    assert code == 0, err
    assert "built-in kit" in err


# -- class 6: terminal escapes ----------------------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal(project, monkeypatch, capsys):
    (project / "cards" / "kapot.yaml").write_text(
        'cards:\n  - id: kapot\n    type: "vraag\\e]0;gehackt\\a\\e]52;c;ZWNobyBoaQ==\\a"\n    titel: x\n', "utf-8")
    code, out, err = kot(monkeypatch, capsys, "validate", "--project", project)
    assert code == EXIT_CONTENT
    assert "\x1b" not in err + out and "\x07" not in err + out
    assert "\\x1b]0;gehackt" in err
    code, out, err = kot(monkeypatch, capsys, "build", "--project", project, "--paper", "a4\x1b[2J")
    assert code == EXIT_USAGE and "\x1b" not in err and "\\x1b" in err



def test_listings_never_print_control_characters(project, monkeypatch, capsys):
    """`kot list` and `kot regions` print titles and file names from the input: escaped like every message."""
    (project / "cards" / "bel.yaml").write_text('cards:\n  - {id: bel, type: vraag, titel: "T\\a\\e]0;x\\a", vraag: V}\n',
                                              "utf-8")
    (project / "cards" / "regions" / "r\x1b]0;pwn\x07.yaml").write_text("extends: base\n", "utf-8")
    code, out, err = kot(monkeypatch, capsys, "list", "--project", project)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "T\\x07\\x1b]0;x\\x07" in out
    code, out, err = kot(monkeypatch, capsys, "regions", "--project", project)
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err and "r\\x1b]0;pwn\\x07" in out

# -- class 4: what YAML 1.1 and variables did silently -----------------------------------------------------------


def deck_text(monkeypatch, capsys, root: Path, *extra) -> str:
    from pdfcheck import text

    out = root / "output"
    code, _, err = kot(monkeypatch, capsys, "build", "--project", root, "--out", out, "--only", "deck", "-q", *extra)
    assert code == 0, err
    variant = extra[1] if extra else "default"
    return " ".join(text(out / variant / "deck-a4.pdf").split())


def test_texts_keep_what_yaml_1_1_would_turn_into_numbers(project, monkeypatch, capsys):
    (project / "cards" / "tijden.yaml").write_text(
        "cards:\n  - id: tijdstip\n    type: vraag\n    titel: 12:30\n    vraag: 1_000\n    doorvraag: 0x1F\n"
        "  - id: getal\n    type: vraag\n    titel: 010\n    vraag: Hoe laat?\n", "utf-8")
    shown = deck_text(monkeypatch, capsys, project)
    assert "12:30" in shown and "750" not in shown
    assert "0x1F" in shown and "1_000" in shown and "010" in shown


def test_game_yaml_variables_may_use_variables(project, monkeypatch, capsys):
    game = project / "cards" / "game.yaml"
    game.write_text(game.read_text("utf-8").replace("  steunfunctie: de provinciale steunfunctie",
                                                    "  steunfunctie: de steunfunctie van {regio}"), "utf-8")
    (project / "cards" / "steun.yaml").write_text(
        "cards:\n  - {id: steun, type: vraag, titel: Steun, vraag: 'Wat doet {steunfunctie}?'}\n", "utf-8")
    shown = deck_text(monkeypatch, capsys, project)
    assert "de steunfunctie van regio Midden" in shown and "{regio}" not in shown


def test_a_choice_typed_in_nfd_matches_the_nfc_choice(project, monkeypatch, capsys):
    nfc, nfd = "\u00e9\u00e9n", "e\u0301e\u0301n"
    types = project / "cards" / "types.yaml"
    types.write_text(types.read_text("utf-8").replace("choices: [taal, rekenen,", f"choices: [{nfc}, taal, rekenen,"),
                     "utf-8")
    situaties = project / "cards" / "situaties.yaml"
    situaties.write_text(situaties.read_text("utf-8").replace("    gat: taal en digitaal", f"    gat: {nfd}", 1),
                         "utf-8")
    code, out, err = kot(monkeypatch, capsys, "validate", "--project", project)
    assert code == 0, err


def test_an_overlay_that_removes_every_card_is_an_error_at_its_line(project, monkeypatch, capsys):
    from kaartenoptafel.project import load_project

    ids = [card.id for card in load_project(project).cards]
    (project / "cards" / "regions" / "leeg.yaml").write_text(
        "extends: base\nremove:\n" + "".join(f"  - {i}\n" for i in ids), "utf-8")
    code, _, err = kot(monkeypatch, capsys, "build", "--project", project, "--out", project / "output",
                       "--region", "leeg", "-q")
    assert code == EXIT_CONTENT, err
    assert f"cards/regions/leeg.yaml:{len(ids) + 2}:5: error: " in err and "remove every card" in err, err
    assert not (project / "output" / "leeg").exists()


def test_kot_new_card_refuses_while_types_yaml_has_errors(project, monkeypatch, capsys):
    types = project / "cards" / "types.yaml"
    types.write_text(types.read_text("utf-8").replace(
        "      titel:     {kind: text, required: true, max: 40, label: Naam}",
        "      titel:     {kind: text, required: true, max: 40, label: Naam}\n"
        "      ernst:     {kind: number, min: 5, max: 2, label: Ernst}", 1), "utf-8")
    before = (project / "cards" / "situaties.yaml").read_bytes()
    code, _, err = kot(monkeypatch, capsys, "new", "card", "--project", project, "--type", "situatie")
    assert code == EXIT_CONTENT and "Traceback" not in err and "internal error" not in err, err
    assert "cards/types.yaml:" in err and "'min' (5) is larger than 'max' (2)" in err
    assert (project / "cards" / "situaties.yaml").read_bytes() == before


def test_pillow_limits_are_not_changed_for_the_whole_process(project, monkeypatch, capsys):
    from PIL import Image

    before = Image.MAX_IMAGE_PIXELS
    layout = project / "layouts" / "default.yaml"
    (project / "logos").mkdir()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(project / "logos" / "logo.png")
    layout.write_text(layout.read_text("utf-8").replace("  logo: null ", "  logo: logos/logo.png "), "utf-8")
    code, _, err = kot(monkeypatch, capsys, "validate", "--project", project)
    assert code == 0, err
    assert Image.MAX_IMAGE_PIXELS == before



def _logo_pixels(project: Path, monkeypatch, capsys, name: str, data: bytes, colour) -> tuple[int, int, int]:
    """The back of a card with ``data`` as its logo, rendered by `kot preview --back`: (pixels of ``colour``, width
    and height of their bounding box)."""
    from PIL import Image

    (project / "logos").mkdir(exist_ok=True)
    (project / "logos" / name).write_bytes(data)
    layout = project / "layouts" / "default.yaml"
    layout.write_text(layout.read_text("utf-8").replace("  logo: null ", f"  logo: logos/{name} "), "utf-8")
    png = project / "back.png"
    code, _, err = kot(monkeypatch, capsys, "preview", "vraag-je-rol", "--back", "--project", project, "-o", png,
                       "--dpi", "150")
    assert code == 0, err
    im = Image.open(png).convert("RGB")
    hits = [(x, y) for y in range(im.height) for x in range(im.width)
            if all(abs(a - b) < 40 for a, b in zip(im.getpixel((x, y)), colour))]
    if not hits:
        return 0, 0, 0
    xs, ys = [x for x, _ in hits], [y for _, y in hits]
    return len(hits), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def test_a_16_bit_grey_logo_prints_its_grey_not_white(project, monkeypatch, capsys):
    """Pillow's convert() clips 16-bit grey (scanners, GIMP) to white: a dark logo printed as a white square."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("I;16", (200, 200), 3000).save(buf, format="PNG")  # 3000 / 65535: nearly black
    count, w, h = _logo_pixels(project, monkeypatch, capsys, "grijs.png", buf.getvalue(), (12, 12, 12))
    assert count > 200 and abs(w - h) <= 2, (count, w, h)


def test_a_phone_photo_prints_upright_and_its_mpo_format_is_a_jpeg(project, monkeypatch, capsys):
    """A phone stores a portrait photo on its side with an EXIF orientation, often as MPO (a JPEG with a second
    picture): it printed on its side, or was refused as 'format MPO is not supported; use PNG or JPEG'."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90 degrees clockwise to show
    red = Image.new("RGB", (240, 120), (220, 0, 0))  # stored landscape, shown portrait
    buf = io.BytesIO()
    red.save(buf, format="MPO", exif=exif, save_all=True, append_images=[red])
    assert Image.open(io.BytesIO(buf.getvalue())).format == "MPO"
    count, w, h = _logo_pixels(project, monkeypatch, capsys, "foto.jpg", buf.getvalue(), (220, 0, 0))
    assert count > 200 and h > 1.5 * w, (count, w, h)

# -- one progress bar ---------------------------------------------------------------------------------------------

PTY_BUILD = """
import os, pty, subprocess, sys
master, slave = pty.openpty()
proc = subprocess.Popen([sys.executable, "-c", sys.argv[1], *sys.argv[2:]], stdin=slave, stdout=subprocess.DEVNULL,
                        stderr=slave)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
sys.stdout.write(str(proc.wait()) + "\\n" + data.decode("utf-8", "replace"))
"""

SLOW_PRODUCT = """
import time
from kaartenoptafel import build
def slow(job):
    time.sleep(1.6)
    job.progress.advance(1, "slow product")
build.register_product("slow", slow)
from kaartenoptafel.cli import main
main()
"""


def test_build_all_draws_one_progress_bar(small, tmp_path):
    """The workers of `kot build --all` drew their bars over each other on one line; now the parent draws one."""
    regions = small / "cards" / "regions"
    regions.mkdir()
    for name in ("noord", "zuid"):
        (regions / f"{name}.yaml").write_text("extends: base\n", "utf-8")
    result = subprocess.run([sys.executable, "-c", PTY_BUILD, SLOW_PRODUCT, "build", "--project", str(small), "--out",
                             str(tmp_path / "out"), "--all", "--only", "slow"], capture_output=True, text=True,
                            env=env(), timeout=180)
    code, _, shown = result.stdout.partition("\n")
    assert code == "0", result.stdout + result.stderr
    assert "slow product" not in shown  # no worker's bar
    assert "3/3 variants" in shown  # the one bar, which reached the end
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["default", "noord", "zuid"]


def test_manifest_records_the_versions_that_made_the_files(small, tmp_path, monkeypatch, capsys):
    import reportlab

    from kaartenoptafel import __version__

    code, _, err = kot(monkeypatch, capsys, "build", "--project", small, "--out", tmp_path, "--only", "deck", "-q")
    assert code == 0, err
    made = json.loads((tmp_path / "default" / "manifest.json").read_text())["made_with"]
    assert made["kaartenoptafel"] == __version__ and made["reportlab"] == reportlab.Version
    from importlib.metadata import version

    assert made["pypdf"] == version("pypdf")


def test_a_full_disk_is_reported_as_a_full_disk(small, tmp_path, monkeypatch, capsys):
    import errno

    from kaartenoptafel.write import atomic

    out = tmp_path / "out"
    assert kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")[0] == 0
    before = digests(out / "default")

    def full(src, dst, **kwargs):  # copying the previous output into the stage runs out of space
        raise OSError(errno.ENOSPC, "No space left on device", str(src))

    monkeypatch.setattr(atomic.shutil, "copyfile", full)
    code, _, err = kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")
    assert code == EXIT_CONTENT, err
    assert "the disk is full while writing" in err and "free some space" in err, err
    assert "staging" not in err and "Traceback" not in err
    assert digests(out / "default") == before
    assert sorted(p.name for p in out.iterdir()) == ["default"]


def test_a_kit_without_cards_is_an_error_not_an_empty_pdf(small, tmp_path, monkeypatch, capsys):
    (small / "cards" / "vragen.yaml").write_text("cards: []\n", "utf-8")
    for command in (["validate"], ["build", "--out", tmp_path / "out", "--only", "deck", "-q"]):
        code, _, err = kot(monkeypatch, capsys, *command, "--project", small)
        assert code == EXIT_CONTENT, err
        assert "cards: error: there are no cards to print" in err
    assert not (tmp_path / "out" / "default").exists()


def test_an_output_folder_that_cannot_be_written_into_is_named(small, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() == 0:
        if not chattr(out, "+i"):
            pytest.skip("root on a file system without chattr +i")
    else:
        out.chmod(0o555)
    try:
        code, _, err = kot(monkeypatch, capsys, "build", "--project", small, "--out", out, "--only", "deck", "-q")
    finally:
        chattr(out, "-i") if os.geteuid() == 0 else out.chmod(0o755)
    assert code == EXIT_CONTENT, err
    assert f"error: cannot write into '{out}': permission denied" in err, err
    assert "No such file" not in err and list(out.iterdir()) == []


@pytest.mark.parametrize("command, name", [
    (["preview", "vraag-je-rol"], "vraag-je-rol.png"),
    (["sheet", "--type", "vraag"], "sheet.png"),
    (["schema"], "schema.json"),
])
def test_an_output_option_naming_a_folder_writes_into_it(command, name, repo, tmp_path, monkeypatch, capsys):
    for target in (tmp_path / "bestaand", tmp_path / "nieuw"):
        if target.name == "bestaand":
            target.mkdir()
        code, _, err = kot(monkeypatch, capsys, *command, "--project", repo, "-o", f"{target}/")
        assert code == 0, err
        assert (target / name).is_file(), list(tmp_path.rglob("*"))
    code, _, err = kot(monkeypatch, capsys, *command, "--project", repo, "-o", "")
    assert code == EXIT_USAGE and "--output" in err, err


def test_kot_init_with_an_empty_folder_name_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = kot(monkeypatch, capsys, "init", "")
    assert code == EXIT_USAGE and "DIRECTORY" in err and "Invalid argument" not in err, err
    assert list(tmp_path.iterdir()) == []
