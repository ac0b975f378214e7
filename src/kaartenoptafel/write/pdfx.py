"""Turn a print-shop PDF as reportlab writes it (RGB, PDF 1.4) into CMYK PDF/X-4, with pikepdf.

reportlab draws every product the same way, in RGB; it cannot write an OutputIntent or PDF/X. So a
print-shop file is finished here, after drawing, in one place that sees everything on the page
(card faces, paragraph text, forms, crop marks and images, whoever drew them):

- every colour operator in every content stream and form (``rg``/``RG``, ``g``/``G``, ``sc``/``scn``
  in DeviceRGB or DeviceGray) becomes ``k``/``K`` by :class:`render.colour.Separator`, once per colour;
- every RGB image is converted to CMYK by the same transform (its soft mask stays as it is);
- the file gets what PDF/X-4 asks for: an OutputIntent (``/GTS_PDFX``, the output profile embedded as
  ``DestOutputProfile``, its condition identifier), ``GTS_PDFXVersion``, ``/Trapped /False``, XMP
  metadata with the PDF/X identification, PDF 1.6. TrimBox and BleedBox come from the products.

Deterministic: dates are reportlab's fixed invariant dates, the document id and the XMP ids are
digests of the content, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zlib
from collections import OrderedDict
from decimal import Decimal

import pikepdf
from PIL import Image

from kaartenoptafel.render.colour import OutputProfile, Separator
from kaartenoptafel.write.contentops import numbers, read_ops, scan

PDFX_VERSION = "PDF/X-4"
FIXED_DATE = "2000-01-01T00:00:00Z"  # reportlab's invariant date, written as XMP wants it
FIXED_PDF_DATE = "D:20000101000000+00'00'"
_RGB = (pikepdf.Name.DeviceRGB, pikepdf.Name.CalRGB)
_SPACE_OPS = {b"cs", b"CS", b"sc", b"scn", b"SC", b"SCN"}
_GREY_RGB_OPS = {b"rg", b"RG", b"g", b"G"}


def _number(v: float) -> Decimal:
    d = Decimal(f"{v:.4f}").normalize()
    return Decimal(0) if d == 0 else d


class Rewriter:
    """Rewrites content streams to CMYK; identical streams (a form reused, a page repeated) are done once.

    It remembers the last ``MAX_DONE`` distinct streams (a deck written in parts keeps its memory flat)."""

    MAX_DONE = 2048

    def __init__(self, sep: Separator):
        self.sep = sep
        self.done: OrderedDict[bytes, bytes] = OrderedDict()
        self.scratch = pikepdf.new()  # holds the streams being parsed (a Stream needs a live Pdf)
        self.replaced: dict[tuple[bytes, bytes], bytes] = {}  # (operand text, operator) -> its CMYK text

    def cmyk_ops(self, rgb, stroke: bool):
        c = self.sep.cmyk(tuple(float(v) for v in rgb))
        return [_number(v) for v in c], pikepdf.Operator("K" if stroke else "k")

    def stream(self, data: bytes) -> bytes:
        digest = hashlib.sha256(data).digest()
        if digest in self.done:
            self.done.move_to_end(digest)
            return self.done[digest]
        result = self._fast(data)
        if result is None:
            result = self._slow(data)
        self.done[digest] = result
        if len(self.done) > self.MAX_DONE:
            self.done.popitem(last=False)
        return result

    def _fast(self, data: bytes) -> bytes | None:
        """The same rewrite on reportlab's plain streams, by byte positions (see write.contentops.scan).

        A stream that sets a colour space by name (the die line's CutContour spot) keeps it and its values,
        as the general path does; a device RGB or grey space by name goes to the general path."""
        ops = scan(data)
        if ops is None:
            return self._tokens(data)
        pieces, last, space = [], 0, {False: "gray", True: "gray"}
        replaced = self.replaced
        for op, nums, name, start, end in ops:
            if op in _GREY_RGB_OPS:
                text = replaced.get((nums, op))
                if text is None:
                    values = nums
                    if name is not None or len(values) != (3 if op in (b"rg", b"RG") else 1):
                        return None
                    rgb = tuple(float(v) for v in values)
                    cmyk = self.sep.cmyk(rgb if len(rgb) == 3 else rgb * 3)
                    text = replaced[(nums, op)] = " ".join(str(_number(v)) for v in cmyk).encode() + (
                        b" K" if op.isupper() else b" k")
                for token in reversed(nums):  # the operands' start: each the token just before the next
                    start = data.rfind(token, 0, start)
                pieces.append(data[last:start])
                pieces.append(text)
                last = end
            elif op in (b"cs", b"CS"):
                if name is None or nums or name in (b"/DeviceRGB", b"/CalRGB", b"/DeviceGray"):
                    return None
                space[op == b"CS"] = "other"
            elif op in (b"sc", b"scn", b"SC", b"SCN") and space[op.isupper()] != "other":
                return None
        if not pieces:
            return data
        pieces.append(data[last:])
        return b"".join(pieces)

    def _tokens(self, data: bytes) -> bytes | None:
        """The rewrite with the full tokenizer, for a stream the scan was not sure of."""
        ops = read_ops(data)
        if ops is None:
            return None
        pieces, last = [], 0
        for operands, op, start, end in ops:
            if op in _SPACE_OPS:
                return None  # colour spaces: the general path
            if op in _GREY_RGB_OPS:
                values = numbers(operands)
                if values is None or len(values) != (3 if op in (b"rg", b"RG") else 1):
                    return None
                cmyk = self.sep.cmyk(tuple(values) if len(values) == 3 else (values[0],) * 3)
                pieces.append(data[last:start])
                pieces.append(" ".join(str(_number(v)) for v in cmyk).encode() + (b" K" if op.isupper() else b" k"))
                last = end
        if not pieces:
            return data
        pieces.append(data[last:])
        return b"".join(pieces)

    def _slow(self, data: bytes) -> bytes:
        ops = pikepdf.parse_content_stream(pikepdf.Stream(self.scratch, data))
        new, changed = [], False
        space = {"fill": "gray", "stroke": "gray"}
        for operands, operator in ops:
            op = str(operator)
            if op in ("rg", "RG"):
                new.append(self.cmyk_ops(operands, op == "RG"))
                changed = True
            elif op in ("g", "G"):
                v = float(operands[0])
                new.append(self.cmyk_ops((v, v, v), op == "G"))
                changed = True
            elif op in ("cs", "CS"):
                which = "stroke" if op == "CS" else "fill"
                name = operands[0]
                if name in _RGB or name == pikepdf.Name.DeviceGray:
                    space[which] = "rgb" if name in _RGB else "gray"
                    new.append(([pikepdf.Name.DeviceCMYK], operator))
                    changed = True
                else:
                    space[which] = "other"
                    new.append((operands, operator))
            elif op in ("sc", "scn", "SC", "SCN") and space["stroke" if op.isupper() else "fill"] in ("rgb", "gray") \
                    and all(isinstance(v, (int, float, Decimal)) for v in operands):
                values = [float(v) for v in operands]
                rgb = values if len(values) == 3 else values[:1] * 3
                cmyk, _ = self.cmyk_ops(rgb, False)
                new.append((cmyk, operator))
                changed = True
            else:
                new.append((operands, operator))
        return pikepdf.unparse_content_stream(new) if changed else data


def _write_stream(stream: pikepdf.Stream, data: bytes) -> None:
    stream.write(zlib.compress(data, 6), filter=pikepdf.Name.FlateDecode)
    if pikepdf.Name.DecodeParms in stream:
        del stream[pikepdf.Name.DecodeParms]


def _is_rgb(space) -> bool:
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == pikepdf.Name.ICCBased:
        return int(space[1].get(pikepdf.Name.N, 0)) == 3
    return space in _RGB


def _convert_image(image: pikepdf.Stream, sep: Separator) -> None:
    if not _is_rgb(image.get(pikepdf.Name.ColorSpace)):
        return
    cmyk = sep.image(image_pixels(image))
    _write_stream(image, cmyk.tobytes())
    image.ColorSpace = pikepdf.Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in (pikepdf.Name.Decode, pikepdf.Name.Intent):
        if key in image:
            del image[key]


def _xmp(title: str, subject: str, creator: str, doc_id: str, profile: OutputProfile) -> bytes:
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{esc(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>kaartenoptafel</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreatorTool>{esc(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{FIXED_DATE}</xmp:CreateDate>
   <xmp:ModifyDate>{FIXED_DATE}</xmp:ModifyDate>
   <xmp:MetadataDate>{FIXED_DATE}</xmp:MetadataDate>
   <pdf:Producer>{esc(creator)}; pikepdf {pikepdf.__version__}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>""".encode("utf-8")


def convert_colours(pdf: pikepdf.Pdf, rewriter: Rewriter, sep: Separator) -> None:
    """Every content stream, form, image and transparency group of ``pdf`` to CMYK, in place."""
    for page in pdf.pages:
        contents = page.obj.get(pikepdf.Name.Contents)
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
        for stream in streams:
            raw = stream.read_bytes()
            new = rewriter.stream(raw)
            if new is not raw:
                _write_stream(stream, new)
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        subtype = obj.get(pikepdf.Name.Subtype)
        if subtype == pikepdf.Name.Form:
            raw = obj.read_bytes()
            new = rewriter.stream(raw)
            if new is not raw:
                _write_stream(obj, new)
            group = obj.get(pikepdf.Name.Group)
            if group is not None and _is_rgb(group.get(pikepdf.Name.CS)):
                group.CS = pikepdf.Name.DeviceCMYK
        elif subtype == pikepdf.Name.Image:
            _convert_image(obj, sep)
    for page in pdf.pages:
        group = page.obj.get(pikepdf.Name.Group)
        if group is not None and _is_rgb(group.get(pikepdf.Name.CS)):
            group.CS = pikepdf.Name.DeviceCMYK


def document_id(data: bytes, profile: OutputProfile) -> str:
    """The XMP document id: a digest of the content and the profile, so the same input gives the same id."""
    return str(uuid.UUID(bytes=hashlib.sha256(data + profile.data[:64]).digest()[:16]))


def mark_pdfx(pdf: pikepdf.Pdf, profile: OutputProfile, doc_id: str, info=None) -> None:
    """Give ``pdf`` what PDF/X-4 asks for: the document info, an OutputIntent with the profile, XMP metadata.

    ``info``: the document info dictionary to complete (``pdf.docinfo`` when None)."""
    info = pdf.docinfo if info is None else info
    title = str(info.get(pikepdf.Name.Title, "")) or "kaartenoptafel"
    subject = str(info.get(pikepdf.Name.Subject, ""))
    creator = str(info.get(pikepdf.Name.Creator, "kaartenoptafel"))
    info.Title = title
    info.Producer = f"{creator}; pikepdf {pikepdf.__version__}"
    info.CreationDate = FIXED_PDF_DATE
    info.ModDate = FIXED_PDF_DATE
    info.Trapped = pikepdf.Name("/False")
    info.GTS_PDFXVersion = PDFX_VERSION
    icc = pikepdf.Stream(pdf, zlib.compress(profile.data, 9))
    icc.Filter = pikepdf.Name.FlateDecode
    icc.N = 4
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=profile.condition,
        OutputCondition=profile.info,
        RegistryName=profile.registry,
        Info=profile.description,
        DestOutputProfile=pdf.make_indirect(icc),
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    meta = pikepdf.Stream(pdf, _xmp(title, subject, creator, doc_id, profile))
    meta.Type = pikepdf.Name.Metadata
    meta.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(meta)


def to_pdfx(data: bytes, sep: Separator) -> bytes:
    """The PDF in ``data`` (from reportlab) as CMYK PDF/X-4 for ``sep``'s output profile."""
    profile = sep.profile
    with pikepdf.open(io.BytesIO(data)) as pdf:
        convert_colours(pdf, Rewriter(sep), sep)
        mark_pdfx(pdf, profile, document_id(data, profile))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, force_version="1.6", compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable, linearize=False)
    return out.getvalue()


def image_pixels(image: pikepdf.Stream) -> Image.Image:
    """An 8-bit RGB, CMYK or grey image XObject's own pixels (without its soft mask) as a Pillow image."""
    mode = {3: "RGB", 4: "CMYK", 1: "L"}.get(_components(image.get(pikepdf.Name.ColorSpace)))
    size = (int(image.Width), int(image.Height))
    filters = image.get(pikepdf.Name.Filter)
    filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters is not None else []
    if mode and int(image.get(pikepdf.Name.BitsPerComponent, 8)) == 8 and not filters[1:] and \
            (not filters or filters[0] == pikepdf.Name.FlateDecode):
        return Image.frombytes(mode, size, image.read_bytes())
    pil = pikepdf.PdfImage(image).as_pil_image()  # JPEG and other encodings: as pikepdf decodes them
    return pil.convert(mode) if mode and pil.mode != mode else pil


def _components(space) -> int:
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == pikepdf.Name.ICCBased:
        return int(space[1].get(pikepdf.Name.N, 0))
    return {"/DeviceRGB": 3, "/CalRGB": 3, "/DeviceCMYK": 4, "/DeviceGray": 1, "/CalGray": 1}.get(str(space), 0)
