"""W3C Bitstring Status List: bit order, gzip + multibase encoding, 131,072 entries, the status list credential."""

import base64
import datetime as dt
import gzip
import random

import pytest

from certificates import statuslist

# Example encodedList of the W3C Bitstring Status List v1.0 specification: 131,072 clear bits.
W3C_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_bit_order_is_msb_first():
    assert statuslist.LIST_SIZE == 131072
    assert len(statuslist.bitstring([])) == 16384
    assert statuslist.bitstring([0], size=16) == b"\x80\x00"
    assert statuslist.bitstring([7], size=16) == b"\x01\x00"
    assert statuslist.bitstring([8], size=16) == b"\x00\x80"
    assert statuslist.bitstring([1, 6, 15], size=16) == b"\x42\x01"
    bits = statuslist.bitstring([131071])
    assert bits[-1] == 0x01 and not any(bits[:-1])


def test_is_set_and_position():
    indexes = {0, 5, 8, 4095, 65536, 131071}
    bits = statuslist.bitstring(indexes)
    assert [i for i in range(statuslist.LIST_SIZE) if statuslist.is_set(bits, i)] == sorted(indexes)
    with pytest.raises(IndexError):
        statuslist.is_set(bits, 131072)
    with pytest.raises(IndexError):
        statuslist.is_set(bits, -1)
    assert statuslist.position(5) == (0, 5)
    assert statuslist.position(131072) == (1, 0)
    assert statuslist.position(131077) == (1, 5)


@pytest.mark.parametrize("index", [-1, 131072, 10**9])
def test_bitstring_refuses_indexes_outside_the_list(index):
    with pytest.raises(ValueError):
        statuslist.bitstring([index])


def test_bitstring_refuses_bad_size():
    for size in (0, 7, -8):
        with pytest.raises(ValueError):
            statuslist.bitstring([], size=size)


def test_encoding_roundtrip_and_format():
    rng = random.Random(4)
    indexes = {0, 131071} | {rng.randrange(statuslist.LIST_SIZE) for _ in range(2000)}
    bits = statuslist.bitstring(indexes)
    encoded = statuslist.encode_list(bits)
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded and "/" not in encoded
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert gzip.decompress(raw) == bits
    assert statuslist.decode_list(encoded) == bits
    assert statuslist.encode_list(bits) == encoded  # deterministic (gzip mtime 0)
    assert len(statuslist.encode_list(statuslist.bitstring([]))) < 100  # an empty list compresses to almost nothing


def test_reads_the_w3c_example():
    bits = statuslist.decode_list(W3C_EMPTY_LIST)
    assert len(bits) * 8 == statuslist.LIST_SIZE and not any(bits)


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "u",
        "z" + W3C_EMPTY_LIST[1:],  # another multibase prefix
        W3C_EMPTY_LIST[1:],
        W3C_EMPTY_LIST[:-5],  # truncated gzip
        "u!!!!",
        "uAAAAA",
        "u" + base64.urlsafe_b64encode(b"not gzip").decode(),
        "u证书",
        None,
    ],
)
def test_decode_refuses_malformed(encoded):
    with pytest.raises(ValueError):
        statuslist.decode_list(encoded)


def test_decode_refuses_gzip_bombs():
    bomb = statuslist.encode_list(bytes(statuslist.MAX_DECODED_BYTES + 1))
    with pytest.raises(ValueError, match="too large"):
        statuslist.decode_list(bomb)


def test_status_credential():
    bits = statuslist.bitstring([3])
    url = "https://cert.example.org/certificates/status/0/revocation.jwt"
    valid_from = dt.datetime(2026, 11, 22, 16, 5, 7, 123, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    credential = statuslist.status_credential(
        list_no=0, purpose="revocation", bits=bits, issuer="https://cert.example.org", url=url, valid_from=valid_from
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "https://cert.example.org",
        "validFrom": "2026-11-22T08:05:07Z",
        "credentialSubject": {
            "id": url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": statuslist.encode_list(bits),
        },
    }
    assert statuslist.is_set(statuslist.decode_list(credential["credentialSubject"]["encodedList"]), 3)


def test_status_credential_refuses_bad_arguments():
    common = {"bits": b"\0" * 16384, "issuer": "https://x", "url": "https://x/s"}
    aware = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        statuslist.status_credential(list_no=0, purpose="message", valid_from=aware, **common)
    with pytest.raises(ValueError):
        statuslist.status_credential(list_no=-1, purpose="suspension", valid_from=aware, **common)
    with pytest.raises(ValueError):
        statuslist.status_credential(list_no=0, purpose="suspension", valid_from=dt.datetime(2026, 1, 1), **common)
