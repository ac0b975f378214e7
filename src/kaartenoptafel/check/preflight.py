"""A preflight of our own: the finished print-shop PDF checked as a print shop's preflight would.

It reads the written bytes back with pikepdf, not the drawing code's intentions: PDF/X-4 markers
(OutputIntent with a CMYK profile, GTS_PDFXVersion, Trapped, XMP), every page's TrimBox and BleedBox,
every font embedded, no RGB colour operator or colour space in any content stream, form, image or
resource, total ink of every colour and of every sampled image pixel within ``print.max_ink``, and the
resolution of every image at its placed size. A failure is an error naming the layout colour it comes
from when there is one; low resolution is a warning in the report (``manifest.json``).
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass, field

import pikepdf
from PIL import Image

from kaartenoptafel.check.prepress import Prepress
from kaartenoptafel.errors import Collector, Pos
from kaartenoptafel.render.colour import describe_cmyk, max_ink_of_image
from kaartenoptafel.write.contentops import scan, simple_ops
from kaartenoptafel.write.pdfx import image_pixels

RGB_OPS = {"rg", "RG"}
RGB_SPACES = ("/DeviceRGB", "/CalRGB")
SAMPLE = 160_000  # image pixels sampled for total ink (every pixel of a card-sized image at 300 dpi is ~1 M)


@dataclass
class Report:
    """What the preflight measured, for the manifest and the tests."""

    pages: int = 0
    max_ink: float = 0.0  # highest total ink of any colour operator, percent
    max_image_ink: float = 0.0
    min_image_dpi: float | None = None
    fonts: int = 0
    colour_operators: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"pages": self.pages, "fonts_embedded": self.fonts, "colour_operators": self.colour_operators,
                "max_ink_percent": round(self.max_ink, 1), "max_image_ink_percent": round(self.max_image_ink, 1),
                "min_image_dpi": None if self.min_image_dpi is None else round(self.min_image_dpi),
                "warnings": self.warnings}


def _mul(a, b):
    """Matrix product a x b of PDF matrices [a b c d e f]."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _is_rgb_space(space) -> bool:
    if isinstance(space, pikepdf.Array) and len(space) >= 1:
        head = str(space[0])
        if head == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if head in ("/Indexed", "/Pattern") and len(space) > 1:
            return _is_rgb_space(space[1])
        if head in ("/Separation", "/DeviceN") and len(space) > 2:
            return _is_rgb_space(space[2])
        return head in RGB_SPACES
    return str(space) in RGB_SPACES


class _Preflight:
    def __init__(self, pdf: pikepdf.Pdf, prep: Prepress, name: str, out: Collector):
        self.pdf, self.prep, self.name, self.out = pdf, prep, name, out
        self.limit = prep.settings.max_ink
        self.report = Report(pages=len(pdf.pages) if pdf is not None else 0)
        self.images: dict = {}  # objgen -> total ink of its worst sampled pixel
        self.fonts: set = set()
        self.font_id = lambda font: font.objgen  # what makes a font another font (parts: see PartsPreflight)
        self.form_id = lambda form: form.objgen  # and a form another form
        self.reported: set = set()
        self.forms: set = set()
        self.inks: set = set()  # operand texts of k/K already checked

    def error(self, where: str, message: str, pos: Pos | None = None, key=None) -> None:
        key = key or (where, message)
        if key in self.reported:
            return
        self.reported.add(key)
        if pos is not None:
            self.out.error(pos, f"{message} ({self.name}, {where})")
        else:
            self.out.error(Pos(self.name), f"{where}: {message}")

    # -- the document ------------------------------------------------------------------------

    def document(self) -> None:
        root, info = self.pdf.Root, self.pdf.docinfo
        intents = root.get("/OutputIntents")
        if not intents or len(intents) != 1 or str(intents[0].get("/S")) != "/GTS_PDFX":
            self.error("document", "no PDF/X OutputIntent (/S /GTS_PDFX)")
        else:
            profile = intents[0].get("/DestOutputProfile")
            if profile is None or int(profile.get("/N", 0)) != 4 or profile.read_bytes()[16:20] != b"CMYK":
                self.error("document", "the OutputIntent's DestOutputProfile is not a CMYK ICC profile")
            if not str(intents[0].get("/OutputConditionIdentifier", "")):
                self.error("document", "the OutputIntent has no OutputConditionIdentifier")
        if str(info.get("/GTS_PDFXVersion", "")) != "PDF/X-4":
            self.error("document", "GTS_PDFXVersion is not PDF/X-4")
        if str(info.get("/Trapped", "")) != "/False":
            self.error("document", "/Trapped is not /False")
        meta = root.get("/Metadata")
        if meta is None or b"<pdfxid:GTS_PDFXVersion>PDF/X-4<" not in meta.read_bytes():
            self.error("document", "no XMP metadata with the PDF/X-4 identification")
        if self.pdf.pdf_version < "1.6":
            self.error("document", f"PDF version {self.pdf.pdf_version}; PDF/X-4 needs 1.6")
        if self.pdf.is_encrypted:
            self.error("document", "the file is encrypted")

    def boxes(self, n: int, page: pikepdf.Page) -> None:
        obj = page.obj
        media = [float(v) for v in obj.MediaBox]
        found = {}
        for key in ("/TrimBox", "/BleedBox"):
            box = obj.get(key)
            if box is None or len(box) != 4:
                self.error(f"page {n}", f"no {key[1:]} (a print shop places the page by it)")
                continue
            found[key] = [float(v) for v in box]
        if len(found) == 2:
            trim, bleed = found["/TrimBox"], found["/BleedBox"]
            inside = lambda a, b: a[0] >= b[0] - 0.01 and a[1] >= b[1] - 0.01 and a[2] <= b[2] + 0.01 and a[3] <= b[3] + 0.01  # noqa: E731
            if not (inside(trim, bleed) and inside(bleed, media)) or trim[2] <= trim[0] or trim[3] <= trim[1]:
                self.error(f"page {n}", "TrimBox must lie inside the BleedBox, and the BleedBox inside the MediaBox")

    # -- resources ---------------------------------------------------------------------------

    def resources(self, where: str, res) -> None:
        if res is None:
            return
        for _, font in (res.get("/Font") or {}).items():
            ident = self.font_id(font)
            if ident in self.fonts:
                continue
            self.fonts.add(ident)
            desc_font = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            desc = desc_font.get("/FontDescriptor")
            if str(font.get("/Subtype")) != "/Type3" and (
                    desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))):
                self.error(where, f"font {font.get('/BaseFont')} is not embedded")
        for cname, space in (res.get("/ColorSpace") or {}).items():
            if _is_rgb_space(space):
                self.error(where, f"colour space {cname} is RGB")
        for sname, shading in (res.get("/Shading") or {}).items():
            if _is_rgb_space(shading.get("/ColorSpace")):
                self.error(where, f"shading {sname} is in RGB")
        for pname, pattern in (res.get("/Pattern") or {}).items():
            shading = pattern.get("/Shading")
            if shading is not None and _is_rgb_space(shading.get("/ColorSpace")):
                self.error(where, f"pattern {pname} is in RGB")

    # -- content -----------------------------------------------------------------------------

    def ink(self, where: str, values) -> None:
        cmyk = tuple(float(v) for v in values)
        total = sum(cmyk) * 100
        self.report.max_ink = max(self.report.max_ink, total)
        if total > self.limit + 0.5:
            sources = self.prep.sources(cmyk)
            if sources:
                src = sources[0]
                self.error(where, f"{src.named()} prints with {total:.0f} % total ink ({describe_cmyk(cmyk)}); print "
                                  f"shops accept at most {self.limit:g} %", src.pos, key=("ink", cmyk))
            else:
                self.error(where, f"a colour drawn by kaartenoptafel prints with {total:.0f} % total ink "
                                  f"({describe_cmyk(cmyk)}); at most {self.limit:g} %", key=("ink", cmyk))

    def content(self, where: str, data: bytes, res, ctm=(1, 0, 0, 1, 0, 0), depth: int = 0) -> None:
        ops = scan(data)  # only the operators checked here, found by one regular expression
        if ops is None or not self._scanned(where, ops, res, ctm, depth):
            self._parsed(where, data, res, ctm, depth)

    def _scanned(self, where: str, ops, res, ctm, depth: int) -> bool:
        """The checks of :meth:`_parsed` on what write.contentops.scan found; False when it cannot tell."""
        if any(op in (b"cs", b"CS") and name is None for op, _, name, _, _ in ops):
            return False  # decided before anything is counted
        stack, report, inks = [], self.report, self.inks
        for op, nums, name, _, _ in ops:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop() if stack else ctm
            elif op in (b"k", b"K"):
                report.colour_operators += 1
                if nums not in inks:  # the same values checked before: the same result
                    inks.add(nums)
                    self.ink(where, [float(v) for v in nums])
            elif op == b"cm":
                if len(nums) == 6:
                    ctm = _mul(tuple(float(v) for v in nums), ctm)
            elif op in (b"g", b"G"):
                report.colour_operators += 1
            elif op in (b"rg", b"RG"):
                report.colour_operators += 1
                self.error(where, f"RGB colour operator '{' '.join(str(float(v)) for v in nums)} {op.decode()}'",
                           key=("rgb", where.split(',')[0]))
            elif op in (b"cs", b"CS"):
                self._space(where, name.decode("latin-1"), res)
            elif op == b"Do" and res is not None and name is not None:
                self._do(where, name.decode("latin-1"), res, ctm, depth)
        return True

    def _space(self, where: str, name: str, res) -> None:
        space = name if name.startswith("/Device") or name == "/Pattern" else (res.get("/ColorSpace") or {}).get(name)
        if space is not None and _is_rgb_space(space if not isinstance(space, str) else space):
            self.error(where, f"colour space {name} is RGB")

    def _do(self, where: str, name: str, res, ctm, depth: int) -> None:
        xobj = (res.get("/XObject") or {}).get(name)
        if xobj is None:
            return
        if str(xobj.get("/Subtype")) == "/Image":
            self.image(where, name, xobj, ctm)
        elif str(xobj.get("/Subtype")) == "/Form" and depth < 8:
            seen = (self.form_id(xobj), tuple(round(v, 3) for v in ctm))
            if seen in self.forms:
                return  # a back form placed the same way on many pages: checked once
            self.forms.add(seen)
            matrix = tuple(float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            self.content(f"{where}, form {name}", xobj.read_bytes(), xobj.get("/Resources"),
                         _mul(matrix, ctm), depth + 1)

    def _parsed(self, where: str, data: bytes, res, ctm, depth: int) -> None:
        stack = []
        ops = simple_ops(data)  # reportlab's plain streams, quickly; anything else through pikepdf's parser
        if ops is None:
            ops = pikepdf.parse_content_stream(pikepdf.Stream(self.pdf, data))
        for operands, operator in ops:
            op = str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else ctm
            elif op == "cm" and len(operands) == 6:
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif op in RGB_OPS:
                self.report.colour_operators += 1
                self.error(where, f"RGB colour operator '{' '.join(str(float(v)) for v in operands)} {op}'",
                           key=("rgb", where.split(',')[0]))
            elif op in ("k", "K"):
                self.report.colour_operators += 1
                self.ink(where, operands)
            elif op in ("g", "G"):
                self.report.colour_operators += 1
            elif op in ("cs", "CS"):
                self._space(where, str(operands[0]), res)
            elif op == "INLINE IMAGE":
                image = operands[0]
                if _is_rgb_space(image.obj.get("/CS", image.obj.get("/ColorSpace"))):
                    self.error(where, "an inline image is RGB")
            elif op == "Do" and res is not None:
                self._do(where, str(operands[0]), res, ctm, depth)

    def image(self, where: str, name: str, image: pikepdf.Stream, ctm) -> None:
        if _is_rgb_space(image.get("/ColorSpace")):
            self.error(where, f"image {name} is RGB", key=("rgb-image", image.objgen))
            return
        width_pt, height_pt = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
        if width_pt > 0 and height_pt > 0:
            dpi = min(int(image.Width) / (width_pt / 72), int(image.Height) / (height_pt / 72))
            low = self.report.min_image_dpi
            self.report.min_image_dpi = dpi if low is None else min(low, dpi)
            if dpi < self.prep.settings.min_dpi - 0.5:
                text = f"{where}: image {name} prints at {dpi:.0f} dpi (under {self.prep.settings.min_dpi:g})"
                if text not in self.report.warnings:
                    self.report.warnings.append(text)
        if image.objgen in self.images:
            return
        worst = 0.0
        if str(image.get("/ColorSpace")) == "/DeviceCMYK":
            pil = image_pixels(image)
            smask = image.get("/SMask")
            if smask is not None:  # pixels its soft mask hides completely print nothing
                mask = image_pixels(smask)
                if mask.mode == "L" and mask.size == pil.size:
                    pil = Image.composite(pil, Image.new("CMYK", pil.size, 0), mask.point(lambda v: 255 if v else 0))
            if pil.width * pil.height > SAMPLE:
                step = math.sqrt(pil.width * pil.height / SAMPLE)
                pil = pil.resize((max(1, int(pil.width / step)), max(1, int(pil.height / step))), 0)  # nearest
            worst = max_ink_of_image(pil)
        self.images[image.objgen] = worst
        self.report.max_image_ink = max(self.report.max_image_ink, worst)
        if worst > self.limit + 0.5:
            self.error(where, f"image {name}: its darkest pixels print with {worst:.0f} % total ink; at most "
                              f"{self.limit:g} %")


    def pages(self, pdf: pikepdf.Pdf, first: int = 1) -> None:
        """Check every page of ``pdf``, numbered from ``first``."""
        for n, page in enumerate(pdf.pages, first):
            where = f"page {n}"
            self.boxes(n, page)
            res = page.obj.get("/Resources")
            self.resources(where, res)
            for _, xobj in ((res or {}).get("/XObject") or {}).items():
                if str(xobj.get("/Subtype")) == "/Form":
                    self.resources(f"{where}, a form", xobj.get("/Resources"))
            self.content(where, page.obj.Contents.read_bytes() if not isinstance(page.obj.Contents, pikepdf.Array)
                         else b"\n".join(s.read_bytes() for s in page.obj.Contents), res)


def preflight(data: bytes, prep: Prepress, name: str, out: Collector) -> Report:
    """Check a finished print-shop PDF; errors go to ``out``, measurements and warnings into the report."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        check = _Preflight(pdf, prep, name, out)
        check.document()
        check.pages(pdf)
        check.report.fonts = len(check.fonts)
        return check.report


class PartsPreflight:
    """The same checks on a file written in parts (write.pdfstream): each part's pages as they are written,
    then the document's own objects (catalog, info, OutputIntent, XMP) from the head they are written from.

    Fonts count by face and subset (every part's subset of a face is written as one font)."""

    def __init__(self, prep: Prepress, name: str, out: Collector):
        self.check = _Preflight(None, prep, name, out)
        self.check.font_id = lambda font: (str(font.get("/BaseFont", "")).split("+")[-1],
                                           str(font.get("/Name", "")).split("+")[-1])
        self.check.form_id = lambda form: hashlib.sha256(form.read_raw_bytes()).digest()  # each part draws its forms

    def part(self, pdf: pikepdf.Pdf) -> None:
        check = self.check
        check.pdf, check.images = pdf, {}  # object numbers are the part's own
        first = check.report.pages + 1
        check.report.pages += len(pdf.pages)
        worst = check.report.max_image_ink
        check.pages(pdf, first)
        check.report.max_image_ink = max(worst, check.report.max_image_ink)

    def document(self, head: pikepdf.Pdf) -> Report:
        self.check.pdf = head
        self.check.document()
        self.check.report.fonts = len(self.check.fonts)
        return self.check.report
