"""The Open Badges 3.0 / VC 2.0 credential and its vc+jwt form (checked with PyJWT as a third party would)."""

from __future__ import annotations

import hashlib
import json

import jwt
import pytest

from certificates import jose, signing
from certificates.credential import open_badge, open_badge_jwt

ID_NUMBER = "53030219900101123x"
ISSUER_URL = "https://zhengshu.tuoyu-platform.example.cn"
VERIFY_URL = "HTTPS://ZHENGSHU.TUOYU-PLATFORM.EXAMPLE.CN/V/AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYUCULBOGAZDINRYHI6D4"
STATUS_URL = ISSUER_URL + "/certificates/status/0/{}.jwt"


def _snapshot(**changes) -> dict:
    snapshot = {
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
        "expires_on": "2029-11-21",
        "photo": True,
    }
    snapshot.update(changes)
    return snapshot


def _badge(snapshot=None, *, status=None, salt=None) -> dict:
    snapshot = snapshot or _snapshot()
    return open_badge(
        snapshot=snapshot,
        number=snapshot["number"],
        verify_url=VERIFY_URL,
        issuer_url=ISSUER_URL,
        issuer_name="托育从业人员培训与评价平台",
        holder_id=ID_NUMBER,
        status=status,
        salt=salt,
    )


def test_required_open_badges_fields():
    badge = _badge()
    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == VERIFY_URL
    assert badge["name"] == "职业技能等级证书 Y000053030200126300012"
    assert badge["issuer"] == {"id": ISSUER_URL, "type": ["Profile"], "name": "托育从业人员培训与评价平台"}
    assert badge["validFrom"] == "2026-11-22T00:00:00+08:00"
    assert badge["validUntil"] == "2029-11-21T23:59:59+08:00"
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["licenseNumber"] == "Y000053030200126300012"
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"].startswith("urn:uuid:")
    assert achievement["achievementType"] == "License"
    assert achievement["name"] == "保育师 三级/高级工"
    assert achievement["description"]
    assert "保育师" in achievement["criteria"]["narrative"]
    assert achievement["creator"]["name"] == "曲靖市职业技能鉴定中心"
    assert achievement["creator"]["type"] == ["Profile"]
    assert "credentialStatus" not in badge
    json.dumps(badge)  # plain JSON


@pytest.mark.parametrize(
    ("changes", "achievement_type", "name"),
    [
        (
            {"kind": "training", "course_title": "托育机构保育人员岗前培训", "hours": "64.0"},
            "Certificate",
            "托育机构保育人员岗前培训",
        ),
        ({"kind": "award", "competition_title": "2026年托育职业技能竞赛", "award_label": "一等奖"}, "Award", None),
    ],
)
def test_achievement_by_kind(changes, achievement_type, name):
    badge = _badge(_snapshot(**changes, expires_on=None))
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == achievement_type
    assert "validUntil" not in badge
    assert "licenseNumber" not in badge["credentialSubject"]
    if name:
        assert achievement["name"] == name
        assert "64" in achievement["criteria"]["narrative"]
    else:
        assert "一等奖" in achievement["name"]


def test_the_same_achievement_has_the_same_id():
    first = _badge(_snapshot(holder_name_full="张丽华"))["credentialSubject"]["achievement"]["id"]
    second = _badge(_snapshot(holder_name_full="李娜", number="Y000053030200126300013"))
    assert second["credentialSubject"]["achievement"]["id"] == first
    other_level = _badge(_snapshot(level=4, level_label="四级/中级工"))
    assert other_level["credentialSubject"]["achievement"]["id"] != first


def test_the_id_number_is_only_present_as_a_salted_hash():
    badge = _badge()
    text = json.dumps(badge, ensure_ascii=False)
    assert ID_NUMBER not in text and ID_NUMBER.upper() not in text
    assert "********" not in text  # not even the masked form (it leaves only the birth date to guess)
    identity, name = badge["credentialSubject"]["identifier"]
    assert identity["type"] == "IdentityObject"
    assert identity["identityType"] == "nationalIdentityNumber"
    assert identity["hashed"] is True
    assert len(identity["salt"]) == 32
    expected = hashlib.sha256((ID_NUMBER.upper() + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert name == {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "欧阳小华"}


def test_each_export_has_its_own_salt_unless_given():
    assert _badge()["credentialSubject"]["identifier"][0] != _badge()["credentialSubject"]["identifier"][0]
    assert _badge(salt="s") == _badge(salt="s")


def test_status_entries():
    status = {
        "index": 4711,
        "revocation": STATUS_URL.format("revocation"),
        "suspension": STATUS_URL.format("suspension"),
    }
    entries = _badge(status=status)["credentialStatus"]
    assert entries == [
        {
            "id": STATUS_URL.format("revocation") + "#4711",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "4711",
            "statusListCredential": STATUS_URL.format("revocation"),
        },
        {
            "id": STATUS_URL.format("suspension") + "#4711",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "4711",
            "statusListCredential": STATUS_URL.format("suspension"),
        },
    ]
    single = _badge(status={"index": 0, "revocation": STATUS_URL.format("revocation")})["credentialStatus"]
    assert single["statusPurpose"] == "revocation" and single["statusListIndex"] == "0"


def test_the_jwt_verifies_with_pyjwt_against_the_published_jwk():
    key = signing.generate()
    public = signing.public_raw(key)
    kid = signing.key_id_text(signing.key_id(public))
    badge = _badge(status={"index": 7, "revocation": STATUS_URL.format("revocation")})
    token = open_badge_jwt(badge, key, kid)

    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": kid, "typ": "vc+jwt"}
    jwks = jwt.PyJWKSet.from_dict({"keys": [signing.jwk(public)]})
    assert jwt.decode(token, jwks[kid].key, algorithms=["EdDSA"]) == badge
    assert jose.jws_verify(token, {kid: public}) == badge


def test_a_tampered_jwt_fails():
    key = signing.generate()
    public = signing.public_raw(key)
    kid = signing.key_id_text(signing.key_id(public))
    token = open_badge_jwt(_badge(), key, kid)
    header, payload, signature = token.split(".")
    forged = jose.jws_sign(_badge(_snapshot(level_label="一级/高级技师")), signing.generate(), kid=kid, typ="vc+jwt")
    tampered = f"{header}.{forged.split('.')[1]}.{signature}"
    jwks = jwt.PyJWKSet.from_dict({"keys": [signing.jwk(public)]})
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, jwks[kid].key, algorithms=["EdDSA"])
    with pytest.raises(jose.JoseError):
        jose.jws_verify(tampered, {kid: public})
