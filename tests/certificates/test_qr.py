"""The certificate QR: uppercase alphanumeric URL, version ≤ 10 at ECC M, and it scans (zbar) to exactly the URL."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import qrcode
from qrcode.util import MODE_ALPHA_NUM

from certificates import payload, qr, signing
from tests.certificates.test_payload import DOC, EXAMPLE_KEY, make_claims

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
SITE_40 = "https://" + "zhengshu.tuoyu-peixun.qujing.example.org"  # 40-character host
ZBARIMG = shutil.which("zbarimg")


def example_url() -> str:
    return qr.verify_url(SITE_40 + "/", payload.sign_payload(make_claims(), EXAMPLE_KEY))


def longest_url() -> str:
    """24-character number and an 8-character name of 3-byte characters: the largest body (86 bytes)."""
    claims = make_claims(
        number="Z" * 24, holder="欧阳小华晓明丽华", expires_on=make_claims().issued_on.replace(year=2031)
    )
    return qr.verify_url(SITE_40, payload.sign_payload(claims, signing.generate()))


def test_verify_url():
    assert len(SITE_40) == 48
    assert qr.verify_url("https://cert.example.org/", "ABC") == "HTTPS://CERT.EXAMPLE.ORG/V/ABC"
    assert qr.verify_url("http://localhost:8000", "ABC") == "HTTP://LOCALHOST:8000/V/ABC"
    url = example_url()
    assert set(url) <= QR_ALPHANUMERIC
    assert len(url) == 8 + 40 + 3 + 210 == 261


def test_example_fits_version_9_at_ecc_m():
    code = qr.qr_matrix(example_url())
    assert code.error_correction == qrcode.constants.ERROR_CORRECT_M
    assert [chunk.mode for chunk in code.data_list] == [MODE_ALPHA_NUM]
    assert code.version == 9  # as printed in docs/certificates-format.md
    assert code.modules_count == 53
    assert re.search(r"version\s+\*\*9\*\*", DOC.read_text(encoding="utf-8"))


def test_longest_payload_fits_version_10():
    url = longest_url()
    assert len(url) == 8 + 40 + 3 + 240
    assert qr.qr_matrix(url).version == 10


def test_too_long_or_not_alphanumeric_refused():
    with pytest.raises(ValueError, match="version 11"):
        qr.qr_matrix("HTTPS://X/V/" + "A" * 300)
    with pytest.raises(ValueError):
        qr.qr_matrix("https://lowercase.example/v/ABC")
    with pytest.raises(ValueError):
        qr.qr_matrix("HTTPS://证书.EXAMPLE/V/ABC")


def svg_matrix(svg: str, size: int) -> list[list[bool]]:
    matrix = [[False] * size for _ in range(size)]
    for x, y, n, back in re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", svg):
        assert n == back
        for i in range(int(n)):
            matrix[int(y)][int(x) + i] = True
    return matrix


def test_svg_draws_the_matrix():
    url = example_url()
    svg = qr.qr_svg(url, scale=5)
    modules = qr.qr_matrix(url).get_matrix()
    size = len(modules)
    assert size == 53 + 2 * 4
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert f'width="{size * 5}"' in svg and f'viewBox="0 0 {size} {size}"' in svg
    assert svg_matrix(svg, size) == [[bool(m) for m in row] for row in modules]


@pytest.mark.skipif(ZBARIMG is None, reason="zbarimg (zbar-tools) is not installed")
@pytest.mark.parametrize("make_url", [example_url, longest_url])
def test_png_scans_to_exactly_the_url(tmp_path: Path, make_url):
    url = make_url()
    png = qr.qr_png(url, box_size=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    result = subprocess.run([ZBARIMG, "--raw", "-q", str(path)], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.rstrip("\n") == url
    # what a phone camera hands to the server decodes back to the signed claims
    assert payload.decode(url.rsplit("/V/", 1)[1])[0].number in ("Y000153030201263000123", "Z" * 24)
