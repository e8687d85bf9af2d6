"""Why a claim fails, in words: one translatable message per ``rules`` failure code (shown in Chinese once the
catalogue has them; the codes and their parameters are stored on the claim, so the text follows the reader's
language)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation, SkillLevel

from . import rules

MESSAGES = {
    rules.NO_POLICY: _("No policy for this subsidy covers this certificate's date in this region."),
    rules.NOT_SELF_CLAIMABLE: _(
        "This subsidy cannot be claimed by the certificate holder; a training provider files it."
    ),
    rules.NO_AMOUNT: _("The policy sets no amount for %(occupation)s at %(level)s."),
    rules.CERTIFICATE_KIND: _("The policy does not accept %(kind)s for this subsidy."),
    rules.CERTIFICATE_NOT_VALID: _("The certificate is not valid now (%(status)s)."),
    rules.CLAIM_BEFORE_CERTIFICATE: _("The claim date is before the certificate date (%(issued_on)s)."),
    rules.CLAIM_WINDOW: _(
        "The claim is late: it had to be filed within %(months)s months of the certificate date, by %(deadline)s."
    ),
    rules.INSURED_MONTHS: _(
        "Unemployment insurance paid for %(months)s months; this subsidy requires at least %(required)s months."
    ),
    rules.NOT_FIRST_ASSESSMENT: _(
        "Not a first assessment: the person already held a skill certificate of this occupation (issued on "
        "%(issued_on)s)."
    ),
    rules.ALREADY_CLAIMED: _(
        "This subsidy has already been claimed for %(occupation)s at %(level)s (the same occupation and level are "
        "never paid twice)."
    ),
    rules.LOWER_LEVEL: _("A higher level (%(higher)s) of this occupation was already paid: %(level)s is lower."),
    rules.YEARLY_LIMIT_TYPE: _("The person already has %(limit)s subsidies of this type in %(year)s (the limit)."),
    rules.YEARLY_LIMIT_TOTAL: _(
        "The person already has %(limit)s subsidies in %(year)s, the limit for all subsidy types together."
    ),
}

STATUS_LABELS = {
    "revoked": _("revoked"),
    "suspended": _("suspended"),
    "expired": _("expired"),
}

KIND_LABELS = {
    rules.TRAINING: _("training certificates"),
    rules.SKILL: _("skill level certificates"),
    rules.AWARD: _("award certificates"),
}


def level_label(level: int) -> str:
    return str(SkillLevel(level).label) if level in SkillLevel.values else str(_("no level"))


def occupation_label(code: str) -> str:
    return str(Occupation(code).label) if code in Occupation.values else code


def message(code: str, params: dict | None = None) -> str:
    """The failure in the active language."""
    params = dict(params or {})
    if "occupation" in params:
        params["occupation"] = occupation_label(params["occupation"])
    for key in ("level", "higher"):
        if key in params:
            params[key] = level_label(int(params[key]))
    if "status" in params:
        params["status"] = str(STATUS_LABELS.get(params["status"], params["status"]))
    if "kind" in params:
        params["kind"] = str(KIND_LABELS.get(params["kind"], params["kind"]))
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def messages(failures: list[dict]) -> list[str]:
    """``[{"code": …, "params": …}, …]`` (as stored on a claim) -> the messages."""
    return [message(f.get("code", ""), f.get("params")) for f in failures or []]
