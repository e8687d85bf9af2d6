"""The CJK font embedded in certificate PDFs (pure: reads settings and the file system, no database).

reportlab embeds TrueType (``glyf``) fonts as subsets; it cannot embed CFF/PostScript-outline OpenType fonts such
as Noto Sans CJK ``.otf``/``.ttc``. A PDF whose Chinese text uses a non-embedded CID font shows empty boxes in
viewers without CJK fonts, so the certificate always embeds a subset of a TrueType CJK font.

``settings.CERTIFICATE_FONT`` (a path; ``path#index`` picks a face of a ``.ttc`` collection, default 0) wins;
otherwise the first existing file of :data:`KNOWN_FONTS` is used.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

SETTING = "CERTIFICATE_FONT"

# TrueType-outline CJK fonts in their usual places (first existing wins).
KNOWN_FONTS: tuple[str, ...] = (
    # Debian/Ubuntu (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-droid-fallback, fonts-arphic-*)
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    # Fedora/RHEL, Arch, Alpine
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    # macOS
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    # Windows
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


class FontMissing(ImproperlyConfigured):
    """No usable TrueType CJK font: set ``CERTIFICATE_FONT`` to one."""


@dataclass(frozen=True)
class FontSpec:
    path: str
    index: int = 0


def _split(value: str) -> FontSpec:
    path, sep, index = value.rpartition("#")
    if sep and index.isdigit():
        return FontSpec(path, int(index))
    return FontSpec(value, 0)


def font_spec() -> FontSpec:
    configured = getattr(settings, SETTING, None)
    if configured:
        spec = _split(str(configured))
        if not Path(spec.path).is_file():
            raise FontMissing(f"settings.{SETTING} = {configured!r}: no such file (a TrueType CJK font is required)")
        return spec
    for candidate in KNOWN_FONTS:
        if Path(candidate).is_file():
            return FontSpec(candidate, 0)
    raise FontMissing(
        f"No TrueType CJK font found for certificate PDFs: install fonts-wqy-microhei or set settings.{SETTING} "
        f"to a TrueType (not CFF/OTF) CJK font file. Looked in: {', '.join(KNOWN_FONTS)}"
    )


def font_path() -> str:
    """The font file certificates embed: ``settings.CERTIFICATE_FONT`` or the first known one; raises FontMissing."""
    return font_spec().path


_lock = threading.Lock()
_registered: dict[FontSpec, str] = {}


def registered_font() -> str:
    """Register the certificate font with reportlab once per process and return its reportlab name.

    Parsing a CJK font takes ~0.5 s, so the parsed font is kept; reportlab keeps subsetting state per document.
    """
    spec = font_spec()
    name = _registered.get(spec)
    if name is not None:
        return name
    with _lock:
        name = _registered.get(spec)
        if name is None:
            name = "CertCJK-" + hashlib.sha256(f"{spec.path}#{spec.index}".encode()).hexdigest()[:8]
            try:
                font = TTFont(name, spec.path, subfontIndex=spec.index)
            except (TTFError, OSError, ValueError) as exc:
                raise FontMissing(
                    f"{spec.path} cannot be embedded in a PDF ({exc}); set settings.{SETTING} to a TrueType CJK font"
                ) from exc
            pdfmetrics.registerFont(font)
            _registered[spec] = name
    return name


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that the certificate font cannot draw (rare name characters, for a warning)."""
    font = pdfmetrics.getFont(registered_font())
    cmap = font.face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


def text_width(font: str, text: str, size: float) -> float:
    """Width in points of ``text`` set in the registered font ``font`` at ``size``."""
    return pdfmetrics.stringWidth(text, font, size)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./")


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking: anywhere between CJK characters, at spaces inside Latin text."""
    face = pdfmetrics.getFont(font).face
    scale = size / 1000.0
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for ch in text:
        w = face.getCharWidth(ord(ch)) * scale
        if line and used + w > width:
            if ch == " ":
                lines.append("".join(line).rstrip())
                line, used = [], 0.0
                continue
            carry: list[str] = []
            if _is_word_char(ch) and _is_word_char(line[-1]) and " " in line:
                cut = len(line) - line[::-1].index(" ")
                carry, line = line[cut:], line[:cut]
            lines.append("".join(line).rstrip())
            line = carry
            used = sum(face.getCharWidth(ord(c)) * scale for c in line)
            if line and used + w > width:  # the carried word and this character do not fit together
                lines.append("".join(line))
                line, used = [], 0.0
        if not line and ch == " ":
            continue
        line.append(ch)
        used += w
    if line:
        lines.append("".join(line).rstrip())
    return lines or [""]
