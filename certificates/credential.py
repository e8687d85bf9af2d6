"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable Credential 2.0), pure.

:func:`open_badge` builds the JSON from the frozen snapshot; :func:`open_badge_jwt` secures it as a compact JWS
(VC-JOSE-COSE: ``typ: "vc+jwt"``, the payload *is* the credential) signed by the same Ed25519 key as the QR
payload, verifiable against ``/.well-known/jwks.json``.

Privacy: the holder's identity number never appears. The subject carries an ``IdentityObject`` of type
``nationalIdentityNumber`` with ``identityHash = "sha256$" + hex(sha256(utf8(ID number, upper case) + utf8(salt)))``
and a fresh random salt per export, so someone who is shown the holder's ID card can check it, and two exports
cannot be linked by the hash. The masked ID number is left out on purpose: with the region and the last four
digits known, only the birth date would remain to guess.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

from certificates import jose, signing

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
JWT_TYP = "vc+jwt"

# Open Badges AchievementType vocabulary, by certificate kind.
ACHIEVEMENT_TYPES = {"training": "Certificate", "skill": "License", "award": "Award"}


def _zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "TIME_ZONE", None) or "Asia/Shanghai")


def _day(value) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _start_of(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone()).isoformat()


def _end_of(day: dt.date) -> str:
    """The last second of ``day``: a certificate is valid through its expiry date."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=_zone()).isoformat()


def identity_hash(identity: str, salt: str) -> str:
    """The Open Badges ``IdentityHash`` of a salted identity: ``sha256$<hex>``."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def _urn(*parts: object) -> str:
    """A stable ``urn:uuid:`` (UUID v5) for an achievement or organization defined by ``parts``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "|".join(str(p) for p in parts)).urn


def _hours(value) -> str:
    text = str(value)
    return text[:-2] if text.endswith(".0") else text


def _achievement(snapshot: dict, issuer_url: str) -> dict:
    s = snapshot
    kind = s.get("kind", "training")
    type_name = s.get("type_name", "")
    occupation = s.get("occupation_label", "")
    if kind == "skill":
        name = " ".join(p for p in (occupation, s.get("level_label", "")) if p) or type_name
        narrative = pgettext(
            "certificate",
            "Pass the occupational skill level assessment of %(occupation)s at level %(level)s: a theory "
            "examination and a practical skills assessment, each scored out of 100 with a pass mark of 60.",
        ) % {"occupation": occupation or "--", "level": s.get("level_label") or "--"}
        defined_by = (kind, type_name, s.get("occupation"), s.get("level"), s.get("direction"), s.get("issuer_code"))
    elif kind == "award":
        competition = s.get("competition_title") or s.get("course_title", "")
        name = " ".join(p for p in (competition, s.get("award_label", "")) if p) or type_name
        narrative = pgettext("certificate", "Win %(award)s in the competition %(competition)s.") % {
            "award": s.get("award_label") or "--",
            "competition": competition or "--",
        }
        defined_by = (kind, type_name, competition, s.get("award_label"), s.get("issuer_code"))
    else:
        name = s.get("course_title") or type_name
        narrative = pgettext(
            "certificate", "Complete the training course %(course)s (%(hours)s class hours) and pass its assessment."
        ) % {"course": s.get("course_title") or "--", "hours": _hours(s.get("hours", "--"))}
        defined_by = (kind, type_name, s.get("course_title"), s.get("hours"), s.get("issuer_code"))
    achievement = {
        "id": _urn(issuer_url, "achievement", *defined_by),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(kind, "Certificate"),
        "name": name,
        "description": f"{type_name}: {name}" if type_name and name != type_name else name,
        "criteria": {"narrative": narrative},
    }
    if occupation:
        achievement["fieldOfStudy"] = occupation
    if s.get("issuer"):
        achievement["creator"] = {
            "id": _urn(issuer_url, "organization", s.get("issuer_code") or s["issuer"]),
            "type": ["Profile"],
            "name": s["issuer"],
        }
    return achievement


def _status_entries(status: dict) -> list[dict]:
    """``{"index": <bit in the list>, "revocation": <list URL>, "suspension": <list URL>}`` -> status entries."""
    index = int(status["index"])
    return [
        {
            "id": f"{status[purpose]}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": status[purpose],
        }
        for purpose in ("revocation", "suspension")
        if status.get(purpose)
    ]


def open_badge(
    *,
    snapshot: dict,
    number: str,
    verify_url: str,
    issuer_url: str,
    issuer_name: str,
    holder_id: str,
    status: dict | None,
    salt: str | None = None,
) -> dict:
    """The certificate as an ``OpenBadgeCredential`` (unsigned JSON).

    ``holder_id`` is the holder's identity number: only its salted hash is written. ``status`` is
    ``{"index": <bit within the list>, "revocation": <status list URL>, "suspension": <status list URL>}``
    (either URL may be left out) or None for no ``credentialStatus``. ``salt`` defaults to 16 random bytes (hex).
    """
    salt = salt if salt is not None else secrets.token_hex(16)
    issued_on = _day(snapshot.get("issued_on"))
    expires_on = _day(snapshot.get("expires_on"))
    with translation.override(settings.LANGUAGE_CODE):
        achievement = _achievement(snapshot, issuer_url)
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "nationalIdentityNumber",
            "hashed": True,
            "identityHash": identity_hash(holder_id.strip().upper(), salt),
            "salt": salt,
        }
    ]
    holder_name = snapshot.get("holder_name_full") or snapshot.get("holder_name")
    if holder_name:
        identifiers.append(
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": holder_name}
        )
    subject: dict = {"type": ["AchievementSubject"], "identifier": identifiers, "achievement": achievement}
    if snapshot.get("kind") == "skill":
        subject["licenseNumber"] = number
    if snapshot.get("completed_on"):
        subject["activityEndDate"] = _start_of(_day(snapshot["completed_on"]))
    credential: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{snapshot.get('type_name', '')} {number}".strip(),
        "issuer": {"id": issuer_url, "type": ["Profile"], "name": issuer_name},
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if issued_on:
        credential["validFrom"] = _start_of(issued_on)
        credential["awardedDate"] = credential["validFrom"]
    if expires_on:
        credential["validUntil"] = _end_of(expires_on)
    if status:
        entries = _status_entries(status)
        if entries:
            credential["credentialStatus"] = entries[0] if len(entries) == 1 else entries
    return credential


def open_badge_jwt(credential: dict, key: signing.Ed25519PrivateKey, kid: str) -> str:
    """The credential secured as a compact JWS (``alg: EdDSA``, ``typ: vc+jwt``, payload = the credential)."""
    return jose.jws_sign(credential, key, kid=kid, typ=JWT_TYP)
