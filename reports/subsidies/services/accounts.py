"""Payee bank accounts: a caregiver's social-security card account (set by themselves) or a training provider's
account (set by its staff). Numbers are encrypted at rest; only the last four digits are kept in clear."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.registry import audit, crypto
from lms.registry.models import Person, TrainingProvider
from lms.registry.selectors import user_scope

from .. import selectors
from ..models import PayeeAccount, mask_account

ACCOUNT_RE = re.compile(r"^\d{12,30}$")


def normalize_account(number: str) -> str:
    number = re.sub(r"[\s-]", "", number or "")
    if not ACCOUNT_RE.match(number):
        raise ValidationError({"number": _("An account number has 12 to 30 digits.")})
    return number


def _authorize(actor, person: Person | None, provider: TrainingProvider | None) -> None:
    if actor is None or selectors.is_platform_admin(actor):
        return
    if person is not None and user_scope(actor).person_id == person.pk:
        return
    if provider is not None and selectors.providers_for(actor).filter(pk=provider.pk).exists():
        return
    raise PermissionDenied(_("You may not set this bank account."))


@transaction.atomic
def payee_account_set(
    *,
    account_name: str,
    bank_name: str,
    number: str,
    person: Person | None = None,
    provider: TrainingProvider | None = None,
    actor=None,
) -> PayeeAccount:
    if (person is None) == (provider is None):
        raise ValueError("give a person or a provider")
    _authorize(actor, person, provider)
    number = normalize_account(number)
    account_name, bank_name = account_name.strip()[:120], bank_name.strip()[:120]
    if not account_name or not bank_name:
        raise ValidationError(_("Give the account holder and the bank."))
    owner = {"person": person} if person is not None else {"provider": provider}
    account, _created = PayeeAccount.objects.update_or_create(
        **owner,
        defaults={
            "account_name": account_name,
            "bank_name": bank_name,
            "number_encrypted": crypto.encrypt(number),
            "number_masked": mask_account(number),
        },
    )
    audit.record(account, "subsidies.account.set", actor=actor, number=account.number_masked, bank=bank_name)
    return account
