"""A PDF page's characters and ruling lines read by PDFium, in pdfplumber's form.

pdfplumber reads a page's content through pdfminer, in pure Python: that parsing is most of
the time a PDF disclosure takes (0.06 s a page on a 2-core machine, twenty times what PDFium,
the engine of pypdfium2, takes to read the same text layer). Here PDFium reads the page's
characters and painted paths, and they are handed to pdfplumber as the objects it would have
built itself (its cache of the page's objects), in pdfminer's geometry, so that pdfplumber's
table finder, its text lines and the reader above (pdf.py) read them unchanged:
- a character's box runs from its origin along its advance, its bottom at the font's descent
  (as the font's descriptor states it) and its height the font size, as pdfminer sets it;
- a painted path is split into subpaths and classed as pdfminer classes them: a segment is a
  line, an axis-aligned closed four-sided path a rectangle, anything else a curve; a path
  that only clips paints nothing and is left out, as pdfminer leaves it out;
- coordinates go through the page's rotation and media box as pdfminer's device does.

A font the PDF does not embed is PDFium's only when what pdfminer reads of it is stated in
the PDF or in a standard both carry (`_check_page_fonts`): a CJK font set through one of Adobe's
Unicode CMaps (UniGB-UCS2-H and its kin: each code is the character itself), as iText and
ReportLab set Adobe's Asian fonts (STSong-Light) in generated reports, or one of the standard
14 fonts. Its characters' advances are then the PDF's widths, not the substitute font's
(PDFium's box is the substitute's glyph). Any other font left to the viewer leaves its page to
pdfminer: PDFium leaves out characters of the fonts it substitutes where pdfminer reads them
through the font's CMap (胜 in 胜利 of a Xi'an disclosure set in a FangSong_GB2312, GBK-coded,
it does not carry).

A page is also left to pdfminer for a font without the descent its boxes are set on, a Type 3
or vertical font, a page whose size or rotation PDFium reads otherwise, or any failure of
PDFium on the page (`page_objects` says why). `BUDGETWH_PDF_ENGINE=pdfminer` leaves every page
to pdfminer.
"""

from __future__ import annotations

import ctypes
import os
import re

Matrix = tuple[float, float, float, float, float, float]

ENGINE_ENV = "BUDGETWH_PDF_ENGINE"  # "pdfium" (the default: each page it can read) or "pdfminer"
# The characters PDFium makes up between words and at line ends (FPDFText_IsGenerated); the
# blanks the content draws are kept, as pdfminer keeps them.
_BLANKS = frozenset(" \t\r\n\x00\x02\ufffe")
_LINE_ENDS = frozenset("\r\n")
# Form XObjects nested deeper than this are not followed (pypdfium2's own walk stops there).
_MAX_FORM_DEPTH = 15
_IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
# Adobe's predefined CMaps whose codes are Unicode (UniGB-UCS2-H, UniJIS-UTF16-H, ...).
_UNICODE_CMAP = re.compile(r"^Uni\w*-(?:UCS2|UTF8|UTF16|UTF32)-H$")


class _Unsupported(Exception):
    """A page PDFium would not read as pdfminer does: the reason it is left to pdfminer."""


def _then(first: Matrix, second: Matrix) -> Matrix:
    """`first` applied, then `second` (pdfminer's mult_matrix(first, second))."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)


def device_matrix(rotate: int, mediabox) -> Matrix:
    """pdfminer's initial transformation of a page (PDFPageInterpreter.process_page)."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _check_page_fonts(page) -> dict[str, float | None]:
    """Raise _Unsupported unless every font of the page's resources and its forms' is one whose
    characters pdfminer and PDFium set alike: not Type 3 nor vertical (pdfminer sizes those its
    own way), with a descent pdfminer reads (the descriptor's; PDFium reads it there too, and
    pdfminer takes 0 where it is missing) or a standard 14 font (pdfminer's own metrics).

    Returns the fonts PDFium may read though the PDF does not embed them (see the module's
    docstring), by base name, with the descent pdfminer sets them on; None for a name that
    another font left to the viewer shares, whose page PDFium must not read."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import literal_name

    seen: set[int] = set()
    stated: dict[str, float | None] = {}

    def note(names: list, descent: float | None) -> None:
        for name in names:
            name = str(literal_name(resolve1(name)))
            stated[name] = None if name in stated and stated[name] != descent else descent

    def walk(resources, depth: int) -> None:
        resources = resolve1(resources)
        if not isinstance(resources, dict) or id(resources) in seen or depth > _MAX_FORM_DEPTH:
            return
        seen.add(id(resources))
        for font in (resolve1(resources.get("Font")) or {}).values():
            font = resolve1(font)
            if not isinstance(font, dict):
                continue
            subtype = literal_name(resolve1(font.get("Subtype")))
            encoding = resolve1(font.get("Encoding"))
            vertical = not isinstance(encoding, dict) and str(literal_name(encoding)).endswith("-V")
            if subtype == "Type3" or vertical:
                raise _Unsupported(f"a {subtype} font, encoding {encoding}")
            names = [font.get("BaseFont")]
            if subtype == "Type0":
                font = resolve1((resolve1(font.get("DescendantFonts")) or [{}])[0]) or {}
                names.append(font.get("BaseFont"))
            base_name = str(literal_name(resolve1(names[0])))
            if subtype == "Type1" and base_name in FONT_METRICS:  # pdfminer's own metrics, whatever the PDF states
                note(names, FONT_METRICS[base_name][0]["Descent"])
                continue
            descriptor = resolve1(font.get("FontDescriptor")) or {}
            descent = resolve1(descriptor.get("Descent", 0))
            if not descent:
                raise _Unsupported(f"font {font.get('BaseFont')} states no descent")
            if not any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3")):
                unicode_coded = subtype == "Type0" and _UNICODE_CMAP.match(str(literal_name(encoding)))
                note(names, float(descent) if unicode_coded else None)
        for xobject in (resolve1(resources.get("XObject")) or {}).values():
            attrs = getattr(resolve1(xobject), "attrs", {})
            if literal_name(resolve1(attrs.get("Subtype"))) == "Form":
                walk(attrs.get("Resources"), depth + 1)

    walk(page.page_obj.resources, 0)
    return stated


class _Fonts:
    """The page's fonts as PDFium reads them. PDFium reads a page only when every font of its
    text is embedded, or stated (`_check_page_fonts`), and has the ascent and descent a
    character's box is set on (without them PDFium's box is the glyph's ink)."""

    def __init__(self, pdfium_c, stated: dict[str, float | None]):
        self.pdfium_c = pdfium_c
        self.stated = stated
        # font handle → (descent per 1,000 of the size, whether advances are the PDF's widths)
        self.known: dict[int, tuple[float, bool]] = {}
        self.ascent, self.descent = ctypes.c_float(), ctypes.c_float()
        self.name = ctypes.create_string_buffer(256)

    def check(self, font) -> tuple[float, bool]:
        """The font's descent (negative, per 1,000 of the font size) and whether a character's
        advance must be read from the PDF's widths (a font PDFium substitutes); or _Unsupported."""
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self.known:
            pdfium_c = self.pdfium_c
            if pdfium_c.FPDFFont_GetIsEmbedded(font) != 1:
                pdfium_c.FPDFFont_GetBaseFontName(font, self.name, len(self.name))
                descent = self.stated.get(self.name.value.decode("latin-1"))
                if descent is None:
                    raise _Unsupported("a font that is not embedded")
                self.known[key] = (-abs(descent), True)
                return self.known[key]
            pdfium_c.FPDFFont_GetAscent(font, 1000, self.ascent)
            pdfium_c.FPDFFont_GetDescent(font, 1000, self.descent)
            if self.ascent.value == self.descent.value:
                raise _Unsupported("a font without ascent and descent")
            self.known[key] = (-abs(self.descent.value), False)  # pdfminer: a descent is negative
        return self.known[key]


def _classify(ops: list[str], points: list[tuple[float, float]]) -> list[tuple[str, list[tuple[float, float]]]]:
    """pdfminer's classing of a painted path (PDFLayoutAnalyzer.paint_path): each subpath a
    line, a rectangle or a curve, with its points."""
    shape = "".join(ops)
    if shape[:1] != "m":
        return []
    if shape.count("m") > 1:
        shapes = []
        for sub in re.finditer(r"m[^m]+", shape):
            shapes += _classify(ops[sub.start() : sub.end()], points[sub.start() : sub.end()])
        return shapes
    points = list(points)
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points.pop()
    if shape in ("mlh", "ml"):
        return [("line", points)]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if points[0] == points[4] and square:
            return [("rect", points)]
    return [("curve", points)]


def _path_shapes(pdfium_c, path, matrix: Matrix) -> list[tuple[str, list[tuple[float, float]]]]:
    """A path object's segments as pdfminer's operators (m, l, c, h) and device points."""
    ops: list[str] = []
    points: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    start = (0.0, 0.0)
    count = pdfium_c.FPDFPath_CountSegments(path)
    index = 0
    while index < count:
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            # A Bézier curve is three segments, its two control points and its end.
            index = min(index + 2, count - 1)
            segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
            op = "c"
        else:
            op = "m" if kind == pdfium_c.FPDF_SEGMENT_MOVETO else "l"
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(matrix, x.value, y.value)
        if op == "m":
            start = point
        ops.append(op)
        points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            ops.append("h")
            points.append(start)
        index += 1
    return _classify(ops, points)


def _shapes(pdfium_c, container, count, get, matrix: Matrix, fonts: _Fonts, depth: int = 0) -> list:
    """The painted paths of a page or a form, Form XObjects followed; each text object's font
    checked on the way (`fonts`)."""
    shapes = []
    raw = pdfium_c.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for index in range(count(container)):
        obj = get(container, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            fonts.check(pdfium_c.FPDFTextObj_GetFont(obj))
            continue
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, raw)
        placed = _then((raw.a, raw.b, raw.c, raw.d, raw.e, raw.f), matrix)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < _MAX_FORM_DEPTH:
                forms = (pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject)
                shapes += _shapes(pdfium_c, obj, *forms, placed, fonts, depth + 1)
            continue
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        if fill.value or stroke.value:  # a clipping path paints nothing, and pdfminer skips it
            shapes += _path_shapes(pdfium_c, obj, placed)
    return shapes


class _Placer:
    """pdfplumber's placing of a pdfminer object on its page (Page.process_object): top and
    bottom from the page's top, the media box's offsets, the document's running top."""

    def __init__(self, page):
        self.height = page.height
        self.x_offset, self.top_offset = page.mediabox[:2]
        self.page_number = page.page_number
        self.doctop = page.initial_doctop

    def place(self, kind: str, x0: float, y0: float, x1: float, y1: float) -> dict:
        top = self.height - y1 + self.top_offset
        return {
            "object_type": kind,
            "page_number": self.page_number,
            "x0": x0 + self.x_offset,
            "y0": y0,
            "x1": x1 + self.x_offset,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": self.height - y0 + self.top_offset,
            "doctop": self.doctop + top,
        }

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (x + self.x_offset, self.height - y + self.top_offset)


def _chars(pdfium_c, pdfium_page, device: Matrix, placer: _Placer, fonts: _Fonts) -> list[dict]:
    text_page = pdfium_c.FPDFText_LoadPage(pdfium_page)
    if not text_page:
        raise _Unsupported("PDFium cannot read the page's text")
    chars: list[dict] = []
    box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    advance = ctypes.c_float()
    try:
        for index in range(pdfium_c.FPDFText_CountChars(text_page)):
            code = pdfium_c.FPDFText_GetUnicode(text_page, index)
            text = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if text in _BLANKS and (text in _LINE_ENDS or pdfium_c.FPDFText_IsGenerated(text_page, index)):
                continue
            pdfium_c.FPDFText_GetLooseCharBox(text_page, index, box)
            pdfium_c.FPDFText_GetMatrix(text_page, index, matrix)
            left, bottom, right, top = box.left, box.bottom, box.right, box.top
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            size = pdfium_c.FPDFText_GetFontSize(text_page, index)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(text_page, index))
            descent, stated_widths = fonts.check(font)
            if b == 0 and c == 0 and a > 0 and d > 0:
                # Upright text: pdfminer's box is the font size tall from the baseline plus the
                # font's descent as its descriptor states it.
                pdfium_c.FPDFText_GetCharOrigin(text_page, index, origin_x, origin_y)
                if stated_widths:  # the advance the PDF states, from the origin along the baseline
                    pdfium_c.FPDFFont_GetGlyphWidth(font, code, size, advance)
                    left, right = origin_x.value, origin_x.value + advance.value * a
                size *= d
                bottom = origin_y.value + descent / 1000 * size
                top = bottom + size
            elif stated_widths:
                raise _Unsupported("turned text in a font that is not embedded")
            (x0, y0), (x1, y1) = _apply(device, left, bottom), _apply(device, right, top)
            x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            full = _then((a, b, c, d, 0, 0), device)
            char = placer.place("char", x0, y0, x1, y1)
            char.update(
                text=text,
                upright=full[0] * full[3] > 0 and full[1] * full[2] <= 0,
                size=size,
                adv=x1 - x0,
                matrix=full,
            )
            chars.append(char)
    finally:
        pdfium_c.FPDFText_ClosePage(text_page)
    return chars


def open_pdfium(path):
    """The file opened by pypdfium2, or None: when PDFium cannot open it (pdfminer may still),
    or when BUDGETWH_PDF_ENGINE asks for pdfminer."""
    if os.environ.get(ENGINE_ENV, "pdfium").lower() == "pdfminer":
        return None
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(path)
    except Exception:  # a file PDFium refuses is still pdfminer's to try
        return None


def page_objects(pdfium_document, page) -> tuple[dict[str, list[dict]] | None, str]:
    """The pdfplumber objects of `page` (a pdfplumber Page) read by PDFium from the same page
    of `pdfium_document`, and ""; or None and why the page is left to pdfminer."""
    import pypdfium2.raw as pdfium_c

    try:
        stated = _check_page_fonts(page)  # from pdfminer's resources, before PDFium loads the page
        if page.page_number > len(pdfium_document):
            raise _Unsupported("PDFium finds fewer pages")
        pdfium_page = pdfium_document[page.page_number - 1]
        try:
            return _read(pdfium_c, pdfium_page.raw, page, stated), ""
        finally:
            pdfium_page.close()
    except _Unsupported as reason:
        return None, str(reason)
    except Exception as exc:  # any failure of PDFium on a page leaves the page to pdfminer
        return None, f"PDFium failed ({type(exc).__name__}: {exc})"


def _read(pdfium_c, raw, page, stated: dict[str, float | None]) -> dict[str, list[dict]]:
    rotate = page.page_obj.rotate % 360
    mediabox = tuple(float(value) for value in page.page_obj.mediabox)
    box = [ctypes.c_float() for _ in range(4)]
    # A page's own media box (not one it inherits, which PDFium does not report) must be
    # pdfminer's: the same page, on the same origin.
    if pdfium_c.FPDFPage_GetMediaBox(raw, *box) and any(
        abs(value.value - expected) > 0.01 for value, expected in zip(box, mediabox, strict=True)
    ):
        raise _Unsupported("PDFium reads another media box")
    if pdfium_c.FPDFPage_GetRotation(raw) * 90 != rotate:
        raise _Unsupported("PDFium reads another rotation")
    device = device_matrix(rotate, mediabox)
    placer = _Placer(page)
    fonts = _Fonts(pdfium_c, stated)
    shapes = _shapes(pdfium_c, raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _IDENTITY, fonts)
    objects: dict[str, list[dict]] = {"char": _chars(pdfium_c, raw, device, placer, fonts)}
    for kind, points in shapes:
        points = [_apply(device, x, y) for x, y in points]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        placed = placer.place(kind, min(xs), min(ys), max(xs), max(ys))
        if kind != "rect":
            placed["pts"] = [placer.point(x, y) for x, y in points]
        objects.setdefault(kind, []).append(placed)
    return objects
