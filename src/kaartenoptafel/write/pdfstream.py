"""A PDF written object by object to a file, from pages drawn in parts: memory stays flat however many pages.

reportlab keeps every page of a document until it saves, and pikepdf (qpdf) holds every object of a file
it opens, about 6 KB a page for the two together. A long document is therefore drawn in parts (each a
small PDF of its own); :class:`StreamWriter` copies each part's pages into one file as they come and
forgets them, keeping only the offsets of what it wrote and a digest per shared object:

- an object that recurs in the parts (a form, an image, a colour space, a resource dictionary, a
  content stream) is written once, found again by the digest of its bytes with its references renumbered;
- a page is always its own object, its ``/Parent`` the one page tree written at the end;
- a font subset (reportlab's ``/TrueType`` subsets, ``TAG+Name`` named ``/Fn+k``) is one object for the
  whole file, keyed by its face and subset number: the parts share reportlab's subset state (see
  :class:`products.deck.SharedFonts`), so a later part's subset holds every glyph of the earlier ones with
  the same codes; the last part's version of each is written at the end.

Deterministic: the same parts give the same bytes (the trailer ID is a digest of what was written).
"""

from __future__ import annotations

import hashlib
import re

import pikepdf

_TOKENS = re.compile(rb"\((?:[^\\()]|\\.)*\)|(\d+) (\d+) R(?![A-Za-z0-9])", re.S)


def _refs(body: bytes) -> list[tuple[int, int]]:
    """The indirect references in an unparsed object (outside its strings), in order."""
    return [(int(m.group(1)), int(m.group(2))) for m in _TOKENS.finditer(body) if m.group(1) is not None]


def _renumber(body: bytes, number) -> bytes:
    """``body`` with each reference ``n g R`` replaced by ``number((n, g)) 0 R``."""
    def sub(m: re.Match) -> bytes:
        if m.group(1) is None:
            return m.group(0)
        return b"%d 0 R" % number((int(m.group(1)), int(m.group(2))))
    return _TOKENS.sub(sub, body)


def font_key(obj) -> tuple[str, str] | None:
    """(face name, subset number) of one of reportlab's TrueType subsets, else None."""
    if obj.get("/Type") != pikepdf.Name.Font or obj.get("/Subtype") != pikepdf.Name.TrueType:
        return None
    base, name = str(obj.get("/BaseFont", "")), str(obj.get("/Name", ""))
    if "+" not in base or "+" not in name:
        return None
    return base.split("+", 1)[1], name.split("+", 1)[1]


class StreamWriter:
    """Writes a PDF to the binary file ``fh`` as parts come: :meth:`add_part` per part, then :meth:`close`."""

    def __init__(self, fh, version: str = "1.6"):
        self.fh = fh
        self.pos = 0
        self.digest = hashlib.sha256()
        self.offsets: list[int | None] = [None, None]  # object 1: the page tree, written last
        self.known: dict[bytes, int] = {}  # digest of a shared object's bytes -> its number
        self.fonts: dict[tuple[str, str], int] = {}  # font key -> its number
        self.pending_fonts: dict[tuple[str, str], list] = {}  # font key -> its objects from the latest part
        self.kids: list[int] = []
        self._write(b"%PDF-" + version.encode() + b"\n%\xbf\xf7\xa2\xfe\n")

    # -- writing -------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.digest.update(data)
        self.pos += len(data)

    def reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets) - 1

    def emit(self, number: int, body: bytes, raw: bytes | None = None) -> None:
        """Write object ``number``: ``body`` (a stream's dictionary when ``raw`` holds its data)."""
        self.offsets[number] = self.pos
        if raw is None:
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        else:
            self._write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, body, raw))

    def shared(self, body: bytes, raw: bytes | None = None) -> int:
        """The number of an object with these bytes: written now, or the one written before."""
        key = hashlib.sha256(body + b"\x00" + (raw if raw is not None else b"-")).digest()
        number = self.known.get(key)
        if number is None:
            number = self.known[key] = self.reserve()
            self.emit(number, body, raw)
        return number

    # -- parts ---------------------------------------------------------------------------------

    @staticmethod
    def _unparse(obj) -> tuple[bytes, bytes | None]:
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            obj.stream_dict.Length = len(raw)
            return obj.stream_dict.unparse(resolved=True), raw
        return obj.unparse(resolved=True), None

    def _numberer(self, pdf: pikepdf.Pdf, fonts_here: dict):
        """A function giving the number in this file of an object (objgen) of ``pdf``, writing it when new."""
        numbers: dict[tuple[int, int], int] = {}

        def number(og: tuple[int, int], stack=()) -> int:
            if og in numbers:
                return numbers[og]
            if og in stack:
                raise ValueError(f"a reference cycle through object {og} outside the page tree")
            obj = pdf.get_object(og)
            key = font_key(obj) if isinstance(obj, pikepdf.Dictionary) else None
            if key is not None:
                fonts_here[key] = obj
                n = self.fonts.get(key)
                if n is None:
                    n = self.fonts[key] = self.reserve()
            else:
                body, raw = self._unparse(obj)
                body = _renumber(body, lambda r: number(r, stack + (og,)))
                n = self.shared(body, raw)
            numbers[og] = n
            return n

        return number

    def add_part(self, pdf: pikepdf.Pdf) -> None:
        """Copy every page of ``pdf`` (with what it uses) into the file, in order."""
        fonts_here: dict[tuple[str, str], object] = {}
        number = self._numberer(pdf, fonts_here)
        for page in pdf.pages:
            obj = page.obj
            if pikepdf.Name.Parent in obj:
                del obj[pikepdf.Name.Parent]
            body = _renumber(obj.unparse(resolved=True), number)
            n = self.reserve()
            self.emit(n, b"<< /Parent 1 0 R " + body[2:].lstrip())
            self.kids.append(n)
        for key, font in fonts_here.items():  # this part's version of each font it used: the fullest so far
            self.pending_fonts[key] = self._snapshot(pdf, font)

    def _snapshot(self, pdf: pikepdf.Pdf, root) -> list:
        """[(objgen, body, raw)] of ``root`` and every object it reaches, references as in its own file."""
        seen, out, todo = set(), [], [root.objgen]
        while todo:
            og = todo.pop()
            if og in seen:
                continue
            seen.add(og)
            body, raw = self._unparse(pdf.get_object(og))
            out.append((og, body, raw))
            todo.extend(_refs(body))
        return out

    def close(self, head: pikepdf.Pdf) -> None:
        """Write the fonts, the page tree, ``head``'s catalog (its pages replaced by the pages written) and
        document info with what they use, the cross-reference table and the trailer."""
        for key in sorted(self.pending_fonts):
            objects = self.pending_fonts[key]
            local = {og: (self.fonts[key] if i == 0 else self.reserve()) for i, (og, _, _) in enumerate(objects)}
            for og, body, raw in objects:
                self.emit(local[og], _renumber(body, local.__getitem__), raw)
        self.pending_fonts.clear()
        self.emit(1, b"<< /Count %d /Kids [ %s ] /Type /Pages >>"
                  % (len(self.kids), b" ".join(b"%d 0 R" % k for k in self.kids)))
        number = self._numberer(head, {})
        catalog = pikepdf.Dictionary({k: v for k, v in head.Root.items() if k != "/Pages"})
        root = self.reserve()
        self.emit(root, b"<< /Pages 1 0 R " + _renumber(catalog.unparse(resolved=True), number)[2:].lstrip())
        info_n = self.reserve()
        self.emit(info_n, _renumber(head.trailer.Info.unparse(resolved=True), number))
        missing = [n for n, off in enumerate(self.offsets) if n and off is None]
        if missing:
            raise ValueError(f"objects reserved but never written: {missing[:5]}")
        xref = self.pos
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets)]
        lines.extend(b"%010d 00000 n \n" % off for off in self.offsets[1:])
        self._write(b"".join(lines))
        ident = self.digest.hexdigest()[:32].encode()
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
                    % (len(self.offsets), root, info_n, ident, ident, xref))


def head_of(part: pikepdf.Pdf) -> pikepdf.Pdf:
    """A new PDF with ``part``'s catalog entries (but its pages) and document info: the document's own objects,
    for :meth:`StreamWriter.close`."""
    head = pikepdf.new()
    for key, value in part.Root.items():
        if key not in ("/Pages", "/Type"):
            head.Root[key] = head.copy_foreign(value) if value.is_indirect else value
    for key, value in part.docinfo.items():
        head.docinfo[key] = value
    return head
