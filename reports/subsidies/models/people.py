"""What the HR bureau knows about claimants that the registry does not: unemployment insurance periods and the
bank accounts subsidies are paid to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.registry import crypto


class InsuranceRecord(models.Model):
    """A period of paid unemployment insurance (失业保险参保) of one person, from its first to its last month
    (empty = still insured). Imported from the social-insurance system or declared by an HR officer."""

    class Source(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        DECLARED = "declared", _("Declared by an HR officer")

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="insurance_records"
    )
    first_month = models.DateField(_("first month"), help_text=_("The 1st of the first insured month."))
    last_month = models.DateField(
        _("last month"), null=True, blank=True, help_text=_("The 1st of the last insured month; empty = still insured.")
    )
    insurer = models.CharField(
        _("insured at"), max_length=120, blank=True, help_text=_("Employer or insurance office.")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.DECLARED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("insurance record")
        verbose_name_plural = _("insurance records")
        ordering = ["person_id", "first_month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "first_month"], name="insurancerecord_one_per_start"),
            models.CheckConstraint(
                condition=Q(last_month__isnull=True) | Q(last_month__gte=models.F("first_month")),
                name="insurancerecord_months_in_order",
                violation_error_message=_("The last month is before the first month."),
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.last_month:%Y-%m}" if self.last_month else "…"
        return f"{self.person.id_number_masked} {self.first_month:%Y-%m}–{end}"


def mask_account(number: str) -> str:
    """6222021234567890123 -> ****0123 (only the last four digits)."""
    return f"****{number[-4:]}" if len(number) > 4 else "****"


class PayeeAccount(models.Model):
    """The bank account a subsidy is paid to: a person's social-security card account, or a training provider's
    account (provider batches). The number is encrypted at rest; only HR officers and platform admins see it in
    full (``selectors.can_see_bank_details``), everyone else ``number_masked``."""

    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payee_account",
    )
    provider = models.OneToOneField(
        "registry.TrainingProvider",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payee_account",
    )
    account_name = models.CharField(_("account holder"), max_length=120)
    bank_name = models.CharField(_("bank"), max_length=120)
    number_encrypted = models.TextField(editable=False)
    number_masked = models.CharField(_("account number"), max_length=12, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, provider__isnull=True)
                | Q(person__isnull=True, provider__isnull=False),
                name="payeeaccount_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} {self.bank_name} {self.number_masked}"

    @property
    def number(self) -> str:
        """The clear account number: for HR officers and platform admins only."""
        return crypto.decrypt(self.number_encrypted)


class WorkingDayOverride(models.Model):
    """A day that is not what its weekday says: a public holiday (not working) or a 调休 weekend working day.
    Public notices (公示) count working days with these."""

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(_("working day"), default=False)
    note = models.CharField(_("note"), max_length=60, blank=True, help_text=_("E.g. 国庆节 or 调休上班."))

    class Meta:
        verbose_name = _("working-day exception")
        verbose_name_plural = _("working-day exceptions")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.note}"
