"""The certificate QR code: verify URL, matrix (ECC M, version ≤ 10), SVG and PNG renderings (no database access).

The URL is written in uppercase so the whole code stays in QR *alphanumeric* mode (0-9, A-Z, space and
``$%*+-./:``), which holds 5.5 bits per character instead of 8: scheme and host are case-insensitive, the server
routes ``/V/<payload>`` as well as ``/v/<payload>``, and payloads decode case-insensitively. ``SITE_URL`` must
therefore be a scheme, a host and optionally a port, without a path. A fixed mask pattern is used: any mask is
valid per ISO/IEC 18004 and skipping the penalty evaluation of all eight makes a matrix about 4x faster.
"""

from __future__ import annotations

import io
from html import escape

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_ALPHA_NUM, QRData

MAX_VERSION = 10
MASK_PATTERN = 0
BORDER = 4  # quiet zone in modules, as the standard asks


def verify_url(site_url: str, payload: str) -> str:
    """``HTTPS://HOST/V/<payload>``: the site URL uppercased, without a trailing slash."""
    return f"{site_url.rstrip('/').upper()}/V/{payload}"


def qr_matrix(url: str) -> qrcode.QRCode:
    """A made QR code of ``url`` in one alphanumeric segment, ECC M, smallest version.

    Raises ``ValueError`` when ``url`` has characters outside the alphanumeric set or needs a version above 10.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER, mask_pattern=MASK_PATTERN)
    code.add_data(QRData(url.encode("ascii", "replace"), mode=MODE_ALPHA_NUM))
    version = code.best_fit()
    if version > MAX_VERSION:
        raise ValueError(f"The QR code would need version {version} (at most {MAX_VERSION} allowed)")
    code.make(fit=False)
    return code


def _runs(code: qrcode.QRCode):
    """(x, y, length) of every horizontal run of dark modules, quiet zone included in the coordinates."""
    for y, row in enumerate(code.get_matrix()):
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                yield start, y, x - start
            else:
                x += 1


def qr_svg(url: str, *, scale: int = 4) -> str:
    """A standalone ``<svg>`` element (one path, ``scale`` px per module), usable inline in HTML or as a file."""
    code = qr_matrix(url)
    size = code.modules_count + 2 * BORDER
    path = "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in _runs(code))
    pixels = size * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{pixels}" height="{pixels}" '
        f'shape-rendering="crispEdges" role="img" aria-label="{escape(url)}">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )


def qr_png(url: str, *, box_size: int = 8) -> bytes:
    """A black-on-white PNG, ``box_size`` pixels per module, with the 4-module quiet zone."""
    matrix = qr_matrix(url).get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
