"""The A4 certificate PDF (pure: the frozen snapshot in, PDF bytes out; no database).

One page: the certificate kind as title, the fields of DESIGN.md §3 (skill certificates) or of the training /
award, the holder's photo (or an empty photo box), and the verification QR code (≥ 30 mm, the certificate number
under it). Text uses a subset of a TrueType CJK font (:mod:`certificates.fonts`) embedded in the file, so Chinese
renders in any viewer. Output is deterministic (reportlab ``invariant``): the same snapshot, URL and photo give
the same bytes, so the stored hash can be re-checked by rendering again.

Labels are gettext strings with English msgids, rendered in ``settings.LANGUAGE_CODE`` (Chinese) whatever the
language of the request that triggers the rendering.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import pgettext
from PIL import Image, ImageOps
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from certificates.fonts import FontMissing, font_path, missing_glyphs, registered_font, text_width, wrap
from certificates.qr import qr_matrix

__all__ = ["FontMissing", "certificate_pdf", "font_path"]

logger = logging.getLogger(__name__)

# Binary (zlib only) streams: ASCII85 on top makes files 25% larger and costs a third of the render time.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
MARGIN = 28 * mm  # left/right edge of the text
FRAME_OUTER = 10 * mm
FRAME_INNER = 13 * mm
PHOTO_W, PHOTO_H = 30 * mm, 40 * mm
PHOTO_TOP = PAGE_H - 64 * mm
PHOTO_MAX_PX = (480, 640)  # ~400 dpi in the photo box: plenty for print
EXIF_ORIENTATION = 0x0112
QR_SIZE = 38 * mm  # the symbol without its quiet zone; scans from paper at arm's length
QR_BOTTOM = 36 * mm
FIELDS_TOP = PAGE_H - 70 * mm
FIELDS_BOTTOM = QR_BOTTOM + QR_SIZE + 10 * mm  # text never runs into the QR block
LABEL_MIN, LABEL_MAX = 24 * mm, 48 * mm  # label column width: fitted to the longest label within these bounds
GAP = 4 * mm  # between the field values and the photo box
SIZES = (14, 13, 12, 11, 10, 9, 8)  # field font sizes tried, largest that fits wins

TITLE_COLOR = HexColor("#8B1A1A")
FRAME_COLOR = HexColor("#A07A2C")
TEXT_COLOR = HexColor("#222222")
MUTED_COLOR = HexColor("#666666")


# -- snapshot -> text -----------------------------------------------------------------------------------------------


def _date(value) -> str:
    if not value:
        return "--"
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(day, "DATE_FORMAT")


def _hours(value) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number.normalize():f}" if number == number.to_integral_value() else f"{number:f}".rstrip("0")
    return pgettext("certificate", "%(hours)s hours") % {"hours": text}


def _text(value) -> str:
    return str(value).strip() if value not in (None, "") else "--"


def _title(snapshot: dict) -> str:
    if snapshot.get("type_name"):
        return str(snapshot["type_name"])
    return {
        "skill": pgettext("certificate", "Occupational Skill Level Certificate"),
        "award": pgettext("certificate", "Competition Award Certificate"),
    }.get(snapshot.get("kind"), pgettext("certificate", "Training Certificate"))


def _fields(snapshot: dict) -> list[tuple[str, str]]:
    """(label, value) rows in order, by kind."""
    s = snapshot
    kind = s.get("kind")
    name = s.get("holder_name_full") or s.get("holder_name")
    rows = [
        (pgettext("certificate", "Name"), _text(name)),
        (pgettext("certificate", "ID type"), _text(s.get("id_type"))),
        (pgettext("certificate", "ID number"), _text(s.get("id_number_masked"))),
    ]
    if kind == "skill":
        rows += [
            (pgettext("certificate", "Occupation"), _text(s.get("occupation_label"))),
            (pgettext("certificate", "Trade / direction"), _text(s.get("direction"))),
            (pgettext("certificate", "Skill level"), _text(s.get("level_label"))),
        ]
    elif kind == "award":
        rows += [
            (pgettext("certificate", "Competition"), _text(s.get("competition_title") or s.get("course_title"))),
            (pgettext("certificate", "Award"), _text(s.get("award_label"))),
        ]
        if s.get("occupation_label"):
            rows.append((pgettext("certificate", "Occupation"), _text(s["occupation_label"])))
    else:
        rows.append((pgettext("certificate", "Training course"), _text(s.get("course_title"))))
        if s.get("occupation_label"):
            rows.append((pgettext("certificate", "Occupation"), _text(s["occupation_label"])))
        if s.get("hours") not in (None, ""):
            rows.append((pgettext("certificate", "Training hours"), _hours(s["hours"])))
        if s.get("completed_on"):
            rows.append((pgettext("certificate", "Completed on"), _date(s["completed_on"])))
    rows += [
        (pgettext("certificate", "Certificate number"), _text(s.get("number"))),
        (pgettext("certificate", "Date of issue"), _date(s.get("issued_on"))),
    ]
    if s.get("expires_on"):
        rows.append((pgettext("certificate", "Valid until"), _date(s["expires_on"])))
    issuer_label = {
        "skill": pgettext("certificate", "Assessment body"),
        "award": pgettext("certificate", "Awarded by"),
    }.get(kind, pgettext("certificate", "Training provider"))
    rows.append((issuer_label, _text(s.get("issuer"))))
    return rows


def _statement(snapshot: dict) -> str:
    kind = snapshot.get("kind")
    if kind == "skill":
        return pgettext(
            "certificate",
            "The holder has passed the occupational skill level assessment and is awarded this certificate.",
        )
    if kind == "award":
        return pgettext("certificate", "The holder won the award above and is awarded this certificate.")
    return pgettext(
        "certificate",
        "The holder has completed the training above, passed the assessment and is awarded this certificate.",
    )


# -- layout ---------------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    labels: list[str]
    lines: list[str]
    y: float  # baseline of the first line


@dataclass
class _Layout:
    size: float
    value_x: float
    rows: list[_Row]
    statement: list[str]
    statement_y: float
    bottom: float


def _layout(font: str, rows: list[tuple[str, str]], statement: str, size: float) -> _Layout:
    """Place the rows top-down; values beside the photo box are narrower, long values and labels wrap."""
    leading = size * 1.45
    row_gap = size * 0.6
    label_size = size - 1
    widest = max(text_width(font, label, label_size) for label, _ in rows)
    label_w = min(max(widest + 5 * mm, LABEL_MIN), LABEL_MAX)
    value_x = MARGIN + label_w
    photo_bottom = PHOTO_TOP - PHOTO_H
    narrow = PAGE_W - MARGIN - PHOTO_W - GAP - value_x
    full = PAGE_W - MARGIN - value_x
    placed: list[_Row] = []
    top = FIELDS_TOP
    for label, value in rows:
        baseline = top - size
        labels = wrap(label, font, label_size, label_w - 3 * mm)
        lines = wrap(value, font, size, narrow if top > photo_bottom else full)
        placed.append(_Row(labels, lines, baseline))
        top = baseline - (max(len(lines), len(labels)) - 1) * leading - row_gap - (leading - size)
    statement_y = min(top, photo_bottom) - 2 * size
    statement_lines = wrap(statement, font, size, PAGE_W - 2 * MARGIN)
    bottom = statement_y - (len(statement_lines) - 1) * leading - size * 0.3
    return _Layout(size, value_x, placed, statement_lines, statement_y, bottom)


def _fit(font: str, rows: list[tuple[str, str]], statement: str) -> _Layout:
    """The largest font size at which everything stays above the QR block."""
    for size in SIZES:
        layout = _layout(font, rows, statement, size)
        if layout.bottom >= FIELDS_BOTTOM:
            break
    return layout


# -- drawing --------------------------------------------------------------------------------------------------------


def _frame(c: canvas.Canvas) -> None:
    c.setStrokeColor(FRAME_COLOR)
    c.setLineWidth(2.2)
    c.rect(FRAME_OUTER, FRAME_OUTER, PAGE_W - 2 * FRAME_OUTER, PAGE_H - 2 * FRAME_OUTER)
    c.setLineWidth(0.6)
    c.rect(FRAME_INNER, FRAME_INNER, PAGE_W - 2 * FRAME_INNER, PAGE_H - 2 * FRAME_INNER)


def _title_block(c: canvas.Canvas, font: str, title: str) -> None:
    size = 30.0
    spacing = 6.0 if len(title) <= 8 else 0.0
    max_w = PAGE_W - 2 * MARGIN
    while size > 14 and text_width(font, title, size) + spacing * (len(title) - 1) > max_w:
        size -= 1
    c.setFillColor(TITLE_COLOR)
    c.setFont(font, size)
    text_w = text_width(font, title, size) + spacing * (len(title) - 1)
    c.drawString((PAGE_W - text_w) / 2, PAGE_H - 45 * mm, title, charSpace=spacing)
    c.setStrokeColor(FRAME_COLOR)
    c.setLineWidth(0.8)
    c.line(PAGE_W / 2 - 45 * mm, PAGE_H - 52 * mm, PAGE_W / 2 + 45 * mm, PAGE_H - 52 * mm)


def _photo_image(photo: bytes) -> ImageReader:
    """The photo as reportlab reads it: small upright JPEG/PNG as is; otherwise turned upright (EXIF), shrunk to
    ``PHOTO_MAX_PX`` and re-encoded as JPEG, so a phone picture does not make a 5 MB certificate."""
    try:
        image = Image.open(io.BytesIO(photo))
        upright = image.getexif().get(EXIF_ORIENTATION, 1) == 1
        small = image.width <= PHOTO_MAX_PX[0] and image.height <= PHOTO_MAX_PX[1]
        if image.format in ("JPEG", "PNG") and upright and small:
            return ImageReader(io.BytesIO(photo))
        image = ImageOps.exif_transpose(image)
        image.thumbnail(PHOTO_MAX_PX, Image.Resampling.LANCZOS)
        if image.mode in ("P", "LA", "PA") or "transparency" in image.info:
            image = image.convert("RGBA")
        if image.mode == "RGBA":
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88)
        out.seek(0)
        return ImageReader(out)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError("The photo is not a readable image.") from exc


def _photo(c: canvas.Canvas, font: str, photo: bytes | None) -> None:
    x, y = PAGE_W - MARGIN - PHOTO_W, PHOTO_TOP - PHOTO_H
    if photo:
        c.drawImage(_photo_image(photo), x, y, PHOTO_W, PHOTO_H, preserveAspectRatio=True, anchor="c", mask="auto")
    c.setStrokeColor(MUTED_COLOR)
    c.setLineWidth(0.5)
    c.rect(x, y, PHOTO_W, PHOTO_H)
    if not photo:
        c.setFillColor(MUTED_COLOR)
        c.setFont(font, 10)
        c.drawCentredString(x + PHOTO_W / 2, y + PHOTO_H / 2 - 3, pgettext("certificate", "Photo"))


def _fields_block(c: canvas.Canvas, font: str, rows: list[tuple[str, str]], statement: str) -> None:
    layout = _fit(font, rows, statement)
    size = layout.size
    leading = size * 1.45
    for row in layout.rows:
        c.setFillColor(MUTED_COLOR)
        c.setFont(font, size - 1)
        for i, line in enumerate(row.labels):
            c.drawString(MARGIN, row.y - i * leading, line)
        c.setFillColor(TEXT_COLOR)
        c.setFont(font, size)
        for i, line in enumerate(row.lines):
            c.drawString(layout.value_x, row.y - i * leading, line)
    c.setFont(font, size)
    for i, line in enumerate(layout.statement):
        c.drawString(MARGIN, layout.statement_y - i * leading, line)


def _qr_block(c: canvas.Canvas, font: str, url: str, number: str, issuer: str, issued_on: str) -> None:
    qr = qr_matrix(url)
    modules = qr.modules
    count = len(modules)
    cell = QR_SIZE / count
    x0 = PAGE_W - MARGIN - QR_SIZE
    top = QR_BOTTOM + QR_SIZE
    c.setFillColor(HexColor("#FFFFFF"))
    c.rect(x0 - 4 * cell, QR_BOTTOM - 4 * cell, QR_SIZE + 8 * cell, QR_SIZE + 8 * cell, stroke=0, fill=1)
    # One path in module units (y downwards), written directly: ~600 rectangles through reportlab's path API
    # would cost more than the rest of the page. Rows overlap by 1% to hide anti-aliasing seams in some viewers.
    runs = []
    for r, row in enumerate(modules):
        col = 0
        while col < count:
            if row[col]:
                start = col
                while col < count and row[col]:
                    col += 1
                runs.append(f"{start} {r - 0.01:.2f} {col - start} 1.02 re")
            else:
                col += 1
    c.saveState()
    c.translate(x0, top)
    c.scale(cell, -cell)
    c.setFillColor(HexColor("#000000"))
    c.addLiteral("\n".join(runs) + "\nf")
    c.restoreState()
    centre = x0 + QR_SIZE / 2
    c.setFillColor(TEXT_COLOR)
    c.setFont(font, 10)
    c.drawCentredString(centre, QR_BOTTOM - 6 * mm, number)
    c.setFillColor(MUTED_COLOR)
    c.setFont(font, 8)
    c.drawCentredString(centre, QR_BOTTOM - 10.5 * mm, pgettext("certificate", "Scan to verify"))
    # Issuer and date at the bottom left, where a seal would go.
    c.setFillColor(TEXT_COLOR)
    left_w = x0 - 8 * mm - MARGIN
    size = 13.0
    lines = wrap(issuer, font, size, left_w)
    y = QR_BOTTOM + 18 * mm
    for i, line in enumerate(lines[:3]):
        c.setFont(font, size)
        c.drawString(MARGIN, y - i * size * 1.4, line)
    c.setFont(font, 12)
    c.drawString(MARGIN, y - min(len(lines), 3) * size * 1.4 - 2 * mm, issued_on)
    c.setFillColor(MUTED_COLOR)
    c.setFont(font, 8)
    note = pgettext("certificate", "Scan the QR code to check this certificate online or offline.")
    for i, line in enumerate(wrap(note, font, 8, left_w)[:2]):
        c.drawString(MARGIN, QR_BOTTOM - 6 * mm - i * 11, line)


def certificate_pdf(*, snapshot: dict, verify_url: str, photo: bytes | None) -> bytes:
    """Render one certificate as an A4 PDF; ``snapshot`` (frozen at issue) is the only data source."""
    font = registered_font()
    with translation.override(settings.LANGUAGE_CODE):
        title = _title(snapshot)
        rows = _fields(snapshot)
        statement = _statement(snapshot)
        issued_on = _date(snapshot.get("issued_on"))
        missing = missing_glyphs(title + "".join(value for _, value in rows))
        if missing:
            logger.warning("certificate %s: font %s lacks %s", snapshot.get("number"), font_path(), sorted(missing))
        buf = io.BytesIO()
        c = canvas.Canvas(
            buf, pagesize=A4, invariant=1, pageCompression=1, lang="zh-CN", initialFontName=font, initialFontSize=12
        )
        c.setTitle(f"{title} {snapshot.get('number', '')}".strip())
        c.setAuthor(str(snapshot.get("issuer", "")))
        c.setSubject(title)
        c.setCreator("tuoyu-workforce")
        _frame(c)
        _title_block(c, font, title)
        _photo(c, font, photo)
        _fields_block(c, font, rows, statement)
        _qr_block(c, font, verify_url, _text(snapshot.get("number")), _text(snapshot.get("issuer")), issued_on)
        c.showPage()
        c.save()
    return buf.getvalue()
