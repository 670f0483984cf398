"""A small PDF 1.4 writer: pages of text in the standard Helvetica fonts and PNG images.

Only what the report needs: text lines (WinAnsi encoding, so no font is embedded), filled
rectangles and lines, and images (decoded by Pillow, stored Flate-compressed). Text is drawn
one ``Tj`` per line, so any PDF reader extracts it line by line.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["PAGE_HEIGHT", "PAGE_WIDTH", "FontName", "PdfWriter", "text_width"]

PAGE_WIDTH = 595.28
PAGE_HEIGHT = 841.89

FontName = Literal["F1", "F2", "F3"]
"""F1 Helvetica, F2 Helvetica-Bold, F3 Helvetica-Oblique."""

_FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Helvetica-Oblique"}

_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_ASCII_WIDTHS = [int(w) for w in _WIDTHS.split()]
"""Helvetica's advance widths (per 1000 units of the font size) of characters 32 to 126."""


def text_width(text: str, size: float, font: FontName = "F1") -> float:
    """The width of ``text`` in points (bold counted a little wider, to be safe)."""
    units = 0
    for ch in text:
        code = ord(ch)
        units += _ASCII_WIDTHS[code - 32] if 32 <= code <= 126 else 600
    return units * size / 1000 * (1.06 if font == "F2" else 1.0)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


@dataclass
class _Page:
    ops: list[bytes] = field(default_factory=list)
    images: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Image:
    width: int
    height: int
    data: bytes


class PdfWriter:
    """Collects pages, then :meth:`output` writes the PDF document."""

    def __init__(self) -> None:
        self._pages: list[_Page] = []
        self._images: list[_Image] = []

    def new_page(self) -> None:
        """Start a page; drawing goes to the newest page."""
        self._pages.append(_Page())

    @property
    def _page(self) -> _Page:
        if not self._pages:
            self.new_page()
        return self._pages[-1]

    def text(self, x: float, y: float, text: str, size: float, font: FontName = "F1",
             grey: float = 0.0) -> None:  # fmt: skip
        """Draw one line of ``text`` with its baseline at ``(x, y)``."""
        self._page.ops.append(
            b"BT %.3f g /%s %.2f Tf %.2f %.2f Td " % (grey, font.encode(), size, x, y)
            + _pdf_string(text) + b" Tj ET"
        )  # fmt: skip

    def rect(self, x: float, y: float, w: float, h: float, grey: float) -> None:
        """A filled grey rectangle (0 black, 1 white)."""
        self._page.ops.append(b"%.3f g %.2f %.2f %.2f %.2f re f" % (grey, x, y, w, h))

    def line(self, x1: float, y1: float, x2: float, y2: float, grey: float = 0.8) -> None:
        """A thin line."""
        self._page.ops.append(b"%.3f G 0.5 w %.2f %.2f m %.2f %.2f l S" % (grey, x1, y1, x2, y2))

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        """Draw a PNG image in the box whose lower-left corner is ``(x, y)``."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            rgb = img.convert("RGBA")
            white = Image.new("RGBA", rgb.size, (255, 255, 255, 255))
            flat = Image.alpha_composite(white, rgb).convert("RGB")
            self._images.append(_Image(flat.width, flat.height, zlib.compress(flat.tobytes(), 1)))
        index = len(self._images)
        self._page.images.append(index)
        self._page.ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm /Im%d Do Q" % (w, h, x, y, index))

    @staticmethod
    def image_size(png: bytes) -> tuple[int, int]:
        """Width and height of a PNG image in pixels (read from its header)."""
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

    def output(self) -> bytes:
        """The PDF document."""
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        fonts = {
            name: add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
                      % base.encode())
            for name, base in _FONTS.items()
        }  # fmt: skip
        images = [
            add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                % (img.width, img.height, len(img.data), img.data))
            for img in self._images
        ]  # fmt: skip
        font_refs = b" ".join(b"/%s %d 0 R" % (n.encode(), ref) for n, ref in fonts.items())
        pages = self._pages or [_Page()]
        pages_ref = len(objects) + 1 + 2 * len(pages)
        kids = []
        for page in pages:
            content = zlib.compress(b"\n".join(page.ops), 6)
            stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                         % (len(content), content))  # fmt: skip
            xobjects = b" ".join(b"/Im%d %d 0 R" % (i, images[i - 1]) for i in page.images)
            kids.append(add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                b"/Resources << /Font << %s >> /XObject << %s >> >> >>"
                % (pages_ref, PAGE_WIDTH, PAGE_HEIGHT, stream, font_refs, xobjects)
            ))  # fmt: skip
        kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
        assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))) == pages_ref
        catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_ref)
        return _serialise(objects, catalog)


def _serialise(objects: list[bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref,
    )  # fmt: skip
    return bytes(out)
