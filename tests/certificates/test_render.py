"""The certificate PDF, checked with the tools an inspector's or holder's viewer would use (poppler, zbar)."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from PIL import Image, ImageDraw

from certificates import fonts, qr, render
from certificates.fonts import FontMissing
from certificates.render import certificate_pdf, font_path

TOOLS = ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm", "pdfimages", "zbarimg")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS), reason="needs poppler-utils and zbar-tools (runtests installs them)"
)

A4_WIDTH_PT = 595.27
SIDE_MARGIN_PT = 28 / 25.4 * 72
# A realistic URL: a 40-character site and a ~170-character base32 payload (body + 64-byte signature).
VERIFY_URL = qr.verify_url(
    "https://zhengshu.tuoyu-platform.example.cn", base64.b32encode(bytes(range(107))).decode().rstrip("=")
)


def _skill() -> dict:
    return {
        "kind": "skill",
        "type_name": "职业技能等级证书",
        "number": "Y000053030200126300012",
        "holder_name": "欧**华",
        "holder_name_full": "欧阳小华",
        "id_type": "居民身份证",
        "id_number_masked": "530302********123X",
        "occupation": "childcare_worker",
        "occupation_label": "保育师",
        "direction": "--",
        "level": 3,
        "level_label": "三级/高级工",
        "issuer": "曲靖市职业技能鉴定中心",
        "issuer_code": "S530",
        "issued_on": "2026-11-22",
        "expires_on": None,
        "photo": True,
    }


def _training(**changes) -> dict:
    snapshot = {
        "kind": "training",
        "type_name": "培训合格证书",
        "number": "PX2026000123",
        "holder_name": "张*华",
        "holder_name_full": "张丽华",
        "id_type": "居民身份证",
        "id_number_masked": "530302********1234",
        "occupation": "childcare_worker",
        "occupation_label": "保育师",
        "direction": "--",
        "level": 0,
        "level_label": "",
        "course_title": "托育机构保育人员岗前培训",
        "hours": "64.0",
        "issuer": "曲靖市职业培训学校",
        "issuer_code": "P530",
        "issued_on": "2026-11-22",
        "expires_on": "2029-11-21",
        "photo": False,
    }
    snapshot.update(changes)
    return snapshot


def _award() -> dict:
    return {
        "kind": "award",
        "type_name": "竞赛获奖证书",
        "number": "JS2026000007",
        "holder_name": "李*",
        "holder_name_full": "李娜",
        "id_type": "居民身份证",
        "id_number_masked": "530302********5678",
        "occupation": "childcare_worker",
        "occupation_label": "保育师",
        "competition_title": "2026年曲靖市托育服务职业技能竞赛",
        "award_label": "一等奖",
        "issuer": "曲靖市人力资源和社会保障局",
        "issuer_code": "H530",
        "issued_on": "2026-10-01",
        "expires_on": None,
        "photo": False,
    }


def _photo(fmt: str = "JPEG") -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, (350, 490), (200, 220, 240, 255)[: len(mode)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 80, 250, 260), fill=(240, 200, 170, 255)[: len(mode)])
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture
def pdf_file(tmp_path):
    def write(pdf: bytes, name: str = "certificate.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(pdf)
        return path

    return write


def _text(path: Path) -> str:
    return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("snapshot", [_skill(), _training(), _award()], ids=["skill", "training", "award"])
def test_chinese_text_is_extractable(snapshot, pdf_file):
    path = pdf_file(certificate_pdf(snapshot=snapshot, verify_url=VERIFY_URL, photo=None))
    text = _text(path)
    for key in ("holder_name_full", "number", "type_name", "issuer", "id_number_masked", "id_type"):
        assert snapshot[key] in text, key
    assert "2026年" in text  # dates in the Chinese date format
    assert re.search(r"^Pages:\s+1$", _run("pdfinfo", str(path)), re.M)


def test_skill_certificate_fields(pdf_file):
    text = _text(pdf_file(certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=None)))
    assert "保育师" in text
    assert "三级/高级工" in text
    assert "--" in text  # no trade / direction
    assert "2026年11月22日" in text


def test_training_certificate_fields(pdf_file):
    text = _text(pdf_file(certificate_pdf(snapshot=_training(), verify_url=VERIFY_URL, photo=None)))
    assert "托育机构保育人员岗前培训" in text
    with translation.override("zh-hans"):
        hours = pgettext("certificate", "%(hours)s hours") % {"hours": "64"}
    assert hours in text  # "64.0" shown as 64
    assert "2029年11月21日" in text  # valid until


def test_award_certificate_fields(pdf_file):
    text = _text(pdf_file(certificate_pdf(snapshot=_award(), verify_url=VERIFY_URL, photo=None)))
    assert "2026年曲靖市托育服务职业技能竞赛" in _squeeze(text)
    assert "一等奖" in text


def test_the_font_is_embedded_as_a_subset(pdf_file):
    path = pdf_file(certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=None))
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row  # no base-14 or unembedded font sneaks in
    assert any("+WenQuanYiMicroHei" in row for row in rows)


def test_the_qr_code_decodes_to_the_verify_url_and_is_at_least_30_mm(pdf_file, tmp_path):
    path = pdf_file(certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=None))
    _run("pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page"))
    png = tmp_path / "page.png"
    assert _run("zbarimg", "--raw", "-q", str(png)).strip() == VERIFY_URL
    # Only the QR modules are pure black (text is dark grey, the frame gold): their bounding box is the symbol.
    image = Image.open(png).convert("L")
    box = image.point(lambda v: 255 if v < 8 else 0).getbbox()
    width_mm = (box[2] - box[0]) / 150 * 25.4
    height_mm = (box[3] - box[1]) / 150 * 25.4
    assert 30 <= width_mm <= 45
    assert abs(width_mm - height_mm) < 1


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_photo_is_placed(fmt, pdf_file):
    path = pdf_file(certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=_photo(fmt)))
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len([row for row in images if row.split()[2] == "image"]) == 1
    assert images[0].split()[3:5] == ["350", "490"]


def test_without_photo_an_empty_photo_box(pdf_file):
    path = pdf_file(certificate_pdf(snapshot=_training(), verify_url=VERIFY_URL, photo=None))
    assert _run("pdfimages", "-list", str(path)).splitlines()[2:] == []
    with translation.override("zh-hans"):
        assert pgettext("certificate", "Photo") in _text(path)


def test_a_large_sideways_phone_photo_is_turned_upright_and_shrunk(pdf_file):
    image = Image.new("RGB", (3000, 2000), (90, 120, 160))  # stored landscape, EXIF says "rotate 90° clockwise"
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    path = pdf_file(certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=out.getvalue()))
    (row,) = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    width, height = map(int, row.split()[3:5])
    assert (width, height) == (427, 640)
    assert path.stat().st_size < 200_000


def test_wrap_breaks_latin_text_at_spaces_and_cjk_anywhere():
    font = fonts.registered_font()
    width = fonts.text_width(font, "Responsive caregiving", 10)
    assert fonts.wrap("Responsive caregiving in groups", font, 10, width) == ["Responsive caregiving", "in groups"]
    text = "托育机构保育人员岗前培训 Responsive caregiving 与婴幼儿照护服务能力提升 supercalifragilisticexpialidocious"
    lines = fonts.wrap(text, font, 10, 60)
    assert all(fonts.text_width(font, line, 10) <= 60 for line in lines)
    assert _squeeze("".join(lines)) == _squeeze(text)
    assert fonts.wrap("", font, 10, 60) == [""]


def test_unreadable_photo_is_refused():
    with pytest.raises(ValueError, match="photo"):
        certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=b"not an image")


def test_a_long_course_title_wraps_inside_the_page(pdf_file):
    title = (
        "托育机构保育人员岗前培训与婴幼儿照护服务能力提升综合培训班（第一期）：生活照料、安全防护、健康管理、"
        "早期发展支持与家园共育实务 Responsive caregiving and early learning in group settings "
    ) * 3
    path = pdf_file(certificate_pdf(snapshot=_training(course_title=title), verify_url=VERIFY_URL, photo=None))
    assert _squeeze(title) in _squeeze(_text(path))  # nothing cut off
    bbox = _run("pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-")
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', bbox)
    assert len(words) > 20
    for x_min, _y_min, x_max, _y_max, word in words:
        assert float(x_min) >= SIDE_MARGIN_PT - 1, word
        assert float(x_max) <= A4_WIDTH_PT - SIDE_MARGIN_PT + 1, word
    # The title's lines stay above the issuer / QR block at the bottom of the page.
    limit = (render.PAGE_H - render.FIELDS_BOTTOM) * 1.0  # pdftotext measures y from the top, in points
    title_words = [(float(y_max), w) for *_xy, y_max, w in words if len(w) > 3 and w in title]
    assert len(title_words) > 10
    assert all(y_max < limit for y_max, _w in title_words)


def test_output_is_deterministic_whatever_the_active_language():
    first = certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=_photo())
    with translation.override("en"):
        second = certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=_photo())
    assert first == second
    assert first.startswith(b"%PDF-")


def test_font_path_defaults_to_a_known_truetype_font(settings):
    settings.CERTIFICATE_FONT = None
    assert font_path() in fonts.KNOWN_FONTS


def test_font_missing_names_the_setting(settings):
    settings.CERTIFICATE_FONT = "/nonexistent/fonts/simhei.ttf"
    with pytest.raises(FontMissing, match="CERTIFICATE_FONT"):
        font_path()
    with pytest.raises(FontMissing, match="CERTIFICATE_FONT"):
        certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=None)


def test_no_known_font_and_no_setting(settings, monkeypatch):
    settings.CERTIFICATE_FONT = None
    monkeypatch.setattr(fonts, "KNOWN_FONTS", ("/nonexistent/a.ttc",))
    with pytest.raises(FontMissing, match="CERTIFICATE_FONT"):
        font_path()


def test_a_cff_opentype_font_is_refused_with_a_clear_error(settings):
    cff = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not cff.exists():
        pytest.skip("no CFF CJK font on this machine")
    settings.CERTIFICATE_FONT = str(cff)
    with pytest.raises(FontMissing, match="cannot be embedded"):
        certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=None)


def test_a_face_of_a_collection_can_be_chosen(settings, pdf_file):
    if not font_path().endswith(".ttc"):
        pytest.skip("the default font is not a collection")
    settings.CERTIFICATE_FONT = font_path() + "#1"
    path = pdf_file(certificate_pdf(snapshot=_skill(), verify_url=VERIFY_URL, photo=None))
    assert "-1" in _run("pdffonts", str(path)).splitlines()[2].split()[0]  # reportlab names faces <name>-<index>
