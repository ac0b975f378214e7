"""Print-shop prepress, checked independently of the code that does it (issue 13).

The print-shop deck and the board poster are read back with pikepdf (every content stream and form
parsed), opened and rendered by Ghostscript (to CMYK, ``tiff32nc``), and their colours recomputed with
littlecms straight from the shipped profile. The home-print files must stay RGB.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from PIL import Image, ImageCms

from kaartenoptafel.build import BuildOptions, build
from kaartenoptafel.cli import main
from kaartenoptafel.errors import Collector

PRINTSHOP = ("deck-printshop.pdf", "board-poster-a3.pdf")
PROFILE = Path(__file__).resolve().parent.parent / "src" / "kaartenoptafel" / "profiles" / "kot-fogra39-300.icc"
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}


def kot(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["kot", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def streams(pdf: pikepdf.Pdf):
    """(where, content stream object, resources) of every page and every form XObject in the file."""
    for n, page in enumerate(pdf.pages, 1):
        yield f"page {n}", page.obj.Contents, page.obj.get("/Resources")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            yield f"form {obj.objgen}", obj, obj.get("/Resources")


def colour_space_is_rgb(space) -> bool:
    if isinstance(space, pikepdf.Array):
        if str(space[0]) == "/ICCBased":
            return int(space[1].N) == 3
        return any(colour_space_is_rgb(part) for part in list(space)[1:] if isinstance(part, (pikepdf.Name, pikepdf.Array))) \
            or str(space[0]) in RGB_SPACES
    return str(space) in RGB_SPACES


@pytest.mark.parametrize("name", PRINTSHOP)
def test_printshop_file_is_pdfx4_with_a_cmyk_output_intent(built, name):
    with pikepdf.open(built / name) as pdf:
        assert pdf.pdf_version >= "1.6"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
        assert str(intents[0].OutputConditionIdentifier) == "FOGRA39"
        assert str(intents[0].RegistryName) == "http://www.color.org"
        icc = intents[0].DestOutputProfile.read_bytes()
        assert int(intents[0].DestOutputProfile.N) == 4
        assert icc == PROFILE.read_bytes()
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))  # littlecms reads the embedded profile: CMYK output
        assert profile.profile.xcolor_space.strip() == "CMYK" and profile.profile.device_class.strip() == "prtr"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")
        xmp = ElementTree.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", pdf.Root.Metadata.read_bytes()))
        ns = {"pdfxid": "http://www.npes.org/pdfx/ns/id/", "pdf": "http://ns.adobe.com/pdf/1.3/",
              "xmpMM": "http://ns.adobe.com/xap/1.0/mm/"}
        assert xmp.find(".//pdfxid:GTS_PDFXVersion", ns).text == "PDF/X-4"
        assert xmp.find(".//pdf:Trapped", ns).text == "False"
        assert xmp.find(".//xmpMM:DocumentID", ns).text.startswith("uuid:")
        assert len(pdf.pages) >= 1
        for page in pdf.pages:
            media = [float(v) for v in page.MediaBox]
            trim, bleed = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
            assert media[0] < bleed[0] < trim[0] and trim[2] < bleed[2] < media[2]
            assert bleed[0] - trim[0] == pytest.approx(-3 / 25.4 * 72, abs=0.01)  # 3 mm bleed on each side


@pytest.mark.parametrize("name", PRINTSHOP)
def test_no_rgb_anywhere_in_content_forms_images_or_resources(built, name):
    """Every content stream and form parsed: no rg/RG, no RGB colour space for cs/CS/sc/scn, no RGB image."""
    counted = {"k": 0, "K": 0}
    with pikepdf.open(built / name) as pdf:
        for where, stream, resources in streams(pdf):
            named = dict((resources or {}).get("/ColorSpace") or {})
            assert not any(colour_space_is_rgb(s) for s in named.values()), where
            fill_space = stroke_space = "/DeviceGray"
            for operands, operator in pikepdf.parse_content_stream(stream):
                op = str(operator)
                assert op not in ("rg", "RG"), (where, list(operands), op)
                if op in ("cs", "CS"):
                    space = named.get(str(operands[0]), operands[0])
                    assert not colour_space_is_rgb(space), (where, op)
                    fill_space, stroke_space = (space, stroke_space) if op == "cs" else (fill_space, space)
                if op in ("sc", "scn", "SC", "SCN"):
                    assert not colour_space_is_rgb(fill_space if op.islower() else stroke_space), where
                if op in counted:
                    counted[op] += 1
                    assert sum(float(v) for v in operands) <= 3.0 + 1e-9, (where, list(operands))  # 300 % ink
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and "/ColorSpace" in obj:
                assert not colour_space_is_rgb(obj.ColorSpace), obj.objgen
    assert counted["k"] > 10 and counted["K"] > 0  # the colours really are there, in CMYK


def text_fill_colours(pdf: pikepdf.Pdf) -> dict[tuple, int]:
    """The fill colour in effect at every text-showing operator (Tj, TJ, ', "), counted."""
    seen: dict[tuple, int] = {}
    for _, stream, _ in streams(pdf):
        fill, stack = None, []
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "q":
                stack.append(fill)
            elif op == "Q":
                fill = stack.pop() if stack else fill
            elif op == "k":
                fill = tuple(round(float(v), 4) for v in operands)
            elif op in ("g", "rg", "sc", "scn"):
                fill = (op, *(float(v) for v in operands))
            elif op in ("Tj", "TJ", "'", '"'):
                seen[fill] = seen.get(fill, 0) + 1
    return seen


def test_ink_text_is_pure_black_k_and_no_text_is_rich_black(built):
    with pikepdf.open(built / "deck-printshop.pdf") as pdf:
        colours = text_fill_colours(pdf)
    assert colours.get((0.0, 0.0, 0.0, 1.0), 0) > 500  # body text of every front: ink = 0 0 0 1 k
    for colour, count in colours.items():
        assert colour is not None and len(colour) == 4, (colour, count)  # every text colour set in CMYK
        c, m, y, k = colour
        assert not (k > 0.8 and (c or m or y)), colour  # no four-colour black text


def test_layout_hex_colours_are_converted_by_the_profile(built, repo):
    """The bands of three card types (hex in the layout) are exactly what littlecms makes of them with the profile."""
    srgb, out = ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(PROFILE))
    transform = ImageCms.buildTransform(srgb, out, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    import yaml

    layout = yaml.safe_load((repo / "layouts" / "default.yaml").read_text("utf-8"))
    expected = {}
    for hexcolour in {layout["types"][t]["colour"] for t in ("rol", "gebeurtenis", "vraag")}:
        rgb = tuple(int(hexcolour[i:i + 2], 16) for i in (1, 3, 5))
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform).getpixel((0, 0))
        expected[hexcolour] = tuple(round(v / 255, 4) for v in pixel)
    found = set()
    with pikepdf.open(built / "deck-printshop.pdf") as pdf:
        for _, stream, _ in streams(pdf):
            for operands, operator in pikepdf.parse_content_stream(stream):
                if str(operator) in ("k", "K"):
                    found.add(tuple(round(float(v), 4) for v in operands))
    for hexcolour, cmyk in expected.items():
        assert cmyk in found, (hexcolour, cmyk)
        assert sum(cmyk) > 0.5 and 0 < cmyk[0] + cmyk[1] + cmyk[2]  # a real colour, not a grey on K


@pytest.mark.parametrize("name", PRINTSHOP)
def test_ghostscript_opens_and_renders_without_a_warning(built, name):
    assert shutil.which("gs"), "Ghostscript (gs) is needed: apt-get install ghostscript"
    result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", "-r72",
                             str(built / name)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == "", (result.stdout, result.stderr)


def test_ghostscript_cmyk_rendering_of_body_text_is_black_plate_only(built, tmp_path):
    """A role card front rendered by Ghostscript to CMYK: the body text's pixels have C = M = Y = 0."""
    tif = tmp_path / "front.tif"
    result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", "-r300",
                             "-dFirstPage=5", "-dLastPage=5", f"-sOutputFile={tif}",
                             str(built / "deck-printshop.pdf")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    with Image.open(tif) as im:
        assert im.mode == "CMYK"
        c, m, y, k = im.split()
        w, h = im.size
        # the text area below the band: from a quarter of the card down to the bottom trim
        box = (round(w * 0.2), round(h * 0.35), round(w * 0.8), round(h * 0.85))
        text = Image.merge("CMYK", [band.crop(box) for band in (c, m, y, k)])
    dark = [px for px in text.get_flattened_data() if px[3] >= 200]
    assert len(dark) > 2000  # there is text
    assert all(px[:3] == (0, 0, 0) for px in dark), {px for px in dark if px[:3] != (0, 0, 0)}
    assert max(c.getextrema()[1], m.getextrema()[1]) > 100  # and the band above it is in colour


def test_home_print_files_stay_rgb(built):
    for name in ("deck-a4.pdf", "board-tiles-a3-a4.pdf"):
        with pikepdf.open(built / name) as pdf:
            assert "/OutputIntents" not in pdf.Root
            ops = {str(op) for _, s, _ in streams(pdf) for _, op in pikepdf.parse_content_stream(s)}
            assert "rg" in ops and "k" not in ops, name
            assert pdf.pdf_version == "1.4"


def test_print_shop_files_are_byte_identical_between_builds(repo, tmp_path):
    paths = []
    for run in ("a", "b"):
        build(BuildOptions(project=repo, out_dir=tmp_path / run, only=("deck", "board"), quiet=True))
        paths.append(tmp_path / run / "default")
    for name in PRINTSHOP:
        assert (paths[0] / name).read_bytes() == (paths[1] / name).read_bytes(), name


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


def test_validate_refuses_a_colour_over_300_percent_ink_at_its_line(project, monkeypatch, capsys):
    layout = project / "layouts" / "default.yaml"
    layout.write_text(layout.read_text("utf-8").replace('vindplaats: "#1f6f8b"', "vindplaats: [100, 100, 100, 100]"), "utf-8")
    line = _line_of(layout, "vindplaats: [100, 100, 100, 100]")
    code, out, err = kot(monkeypatch, capsys, "validate", "--project", project)
    assert code == 1, (out, err)
    assert re.search(rf"layouts/default\.yaml:{line}:\d+: error: colour 'colours\.groups\.vindplaats' "
                     r"\(\[100, 100, 100, 100\]\): 400 % total ink; print shops accept at most 300 %", err), err
    # and the build refuses it the same way, writing nothing
    code, _, err2 = kot(monkeypatch, capsys, "build", "--project", project, "--out", project / "output", "-q")
    assert code == 1 and "400 % total ink" in err2 and not (project / "output" / "default").exists()


def test_a_lower_ink_limit_is_checked_on_hex_colours_too(project, monkeypatch, capsys):
    layout = project / "layouts" / "default.yaml"
    layout.write_text(layout.read_text("utf-8").replace("max_ink: 300", "max_ink: 150"), "utf-8")
    code, _, err = kot(monkeypatch, capsys, "validate", "--project", project)
    assert code == 1
    line = _line_of(layout, 'vindplaats: "#1f6f8b"')
    assert re.search(rf"layouts/default\.yaml:{line}:\d+: error: colour 'colours\.groups\.vindplaats' \(#1f6f8b\): "
                     r"through the profile it prints as C \d+ M \d+ Y \d+ K \d+: 1[5-9]\d % total ink", err), err
    assert "worksheets" not in err  # the worksheets print at home, in RGB


def test_a_shops_own_profile_replaces_the_builtin_one(project, tmp_path):
    (project / "profiles").mkdir()
    shop = project / "profiles" / "drukkerij.icc"
    shop.write_bytes(PROFILE.read_bytes())
    layout = project / "layouts" / "default.yaml"
    text = layout.read_text("utf-8").replace("profile: builtin", "profile: profiles/drukkerij.icc")
    layout.write_text(text.replace("condition: FOGRA39", "condition: Drukkerij Coated"), "utf-8")
    build(BuildOptions(project=project, out_dir=tmp_path / "out", only=("deck",), quiet=True))
    with pikepdf.open(tmp_path / "out" / "default" / "deck-printshop.pdf") as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "Drukkerij Coated"
        assert intent.DestOutputProfile.read_bytes() == shop.read_bytes()


def test_a_profile_that_is_not_cmyk_is_a_located_error(project, monkeypatch, capsys):
    (project / "profiles").mkdir()
    ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    (project / "profiles" / "scherm.icc").write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    layout = project / "layouts" / "default.yaml"
    layout.write_text(layout.read_text("utf-8").replace("profile: builtin", "profile: profiles/scherm.icc"), "utf-8")
    line = _line_of(layout, "profile: profiles/scherm.icc")
    code, _, err = kot(monkeypatch, capsys, "validate", "--project", project)
    assert code == 1
    assert re.search(rf"layouts/default\.yaml:{line}:\d+: error: print\.profile: 'scherm\.icc' is a RGB profile; "
                     r"a print shop's output profile is CMYK", err), err


def test_a_low_resolution_logo_warns_and_still_builds(project, monkeypatch, capsys):
    Image.new("RGB", (40, 40), (200, 30, 30)).save(project / "layouts" / "logos" / "voorbeeldlogo.png")
    code, out, err = kot(monkeypatch, capsys, "build", "--project", project, "--region", "drenthe", "--only", "deck",
                         "--out", project / "output", "-q")
    assert code == 0, err
    line = _line_of(project / "layouts" / "drenthe.yaml", "logo:")
    found = re.search(rf"layouts/drenthe\.yaml:{line}:\d+: warning: image 'voorbeeldlogo\.png' is 40 x 40 pixels: "
                      r"(\d+) dpi at its printed size", err)
    assert found and int(found.group(1)) < 250, err
    import json

    manifest = json.loads((project / "output" / "drenthe" / "manifest.json").read_text("utf-8"))
    shop = next(p for p in manifest["products"] if p["kind"] == "deck-printshop")
    assert shop["preflight"]["min_image_dpi"] == pytest.approx(int(found.group(1)), abs=1) and shop["preflight"]["warnings"]


def test_the_preflight_rejects_an_rgb_file_and_excess_ink(repo):
    """The preflight on its own: a print-shop deck before separation, and one with a 400 % colour."""
    from kaartenoptafel.build import prepare
    from kaartenoptafel.check.preflight import preflight
    from kaartenoptafel.check.prepress import prepress_for
    from kaartenoptafel.commands.cardimage import printshop_pdf
    from kaartenoptafel.resolve import expand, resolve
    from kaartenoptafel.write.pdfx import to_pdfx

    ctx = prepare(repo)
    prep = prepress_for(ctx, Collector())
    rgb = printshop_pdf(ctx, expand(resolve(ctx.kit))[:2])
    out = Collector()
    preflight(rgb, prep, "deck-printshop.pdf", out)
    messages = "\n".join(str(d) for d in out.diagnostics)
    assert "no PDF/X OutputIntent" in messages and "RGB colour operator" in messages and "GTS_PDFXVersion" in messages
    good = Collector()
    report = preflight(to_pdfx(rgb, prep.separator), prep, "deck-printshop.pdf", good)
    assert not good.diagnostics and report.pages == 4 and report.fonts >= 2
    with pikepdf.open(io.BytesIO(to_pdfx(rgb, prep.separator))) as pdf:
        page = pdf.pages[0]
        page.obj.Contents.write(b"1 1 1 1 k 0 0 10 10 re f " + page.obj.Contents.read_bytes())
        buf = io.BytesIO()
        pdf.save(buf)
    bad = Collector()
    preflight(buf.getvalue(), prep, "deck-printshop.pdf", bad)
    assert any("400 % total ink" in str(d) and "page 1" in str(d) for d in bad.diagnostics), bad.diagnostics


def test_the_fast_stream_reader_agrees_with_pikepdfs_parser(built):
    """write.contentops reads every stream of the print-shop deck, with the same operators and operands."""
    from kaartenoptafel.write.contentops import simple_ops

    with pikepdf.open(built / "deck-printshop.pdf") as pdf:
        for where, stream, _ in streams(pdf):
            data = stream.read_bytes()
            fast = simple_ops(data)
            assert fast is not None, where
            slow = [([float(v) if isinstance(v, (int, float, Decimal)) else str(v) for v in operands], str(op))
                    for operands, op in pikepdf.parse_content_stream(stream)]
            assert len(fast) == len(slow), where
            for (fa, fo), (sa, so) in zip(fast, slow):
                assert fo == so and len(fa) == len(sa), (where, fo, so)
                for a, b in zip(fa, sa):
                    assert a == pytest.approx(b) if isinstance(b, float) else True, (where, fo, a, b)
    assert simple_ops(b"BI /W 1 /H 1 /CS /RGB /BPC 8 ID \x00\x00\x00 EI") is None  # inline images: pikepdf's job
    assert simple_ops(b"BT (a(b)c) Tj ET") is None  # unescaped parentheses: pikepdf's job


def test_transparent_pixels_do_not_count_as_ink(project, monkeypatch, capsys):
    """A logo whose hidden pixels are black prints no ink there: even with a 200 % limit it passes."""
    im = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    im.paste((200, 30, 30, 255), (100, 100, 200, 200))
    im.save(project / "layouts" / "logos" / "voorbeeldlogo.png")
    layout = project / "layouts" / "default.yaml"
    layout.write_text(layout.read_text("utf-8").replace("max_ink: 300", "max_ink: 240"), "utf-8")
    code, _, err = kot(monkeypatch, capsys, "build", "--project", project, "--region", "drenthe", "--only", "deck",
                       "--out", project / "output", "-q")
    assert code == 0, err
