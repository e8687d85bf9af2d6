"""Claim batches, claims, public-notice objections, and the two rows that make "never paid twice" a database fact.

A provider builds a batch from its trainees' certificates (a caregiver's own 技能提升补贴 claim is a batch of
one); every claim is checked by ``rules.check`` and its failures stored as codes with parameters. Submitting
*holds* each passing claim: it takes a :class:`PayableSlot` (unique per person, subsidy type, occupation and
level) and re-checks the yearly limits under the person's :class:`PersonYearCounter` row, locked with
``SELECT … FOR UPDATE``. Rejection (by an HR officer, or an upheld objection) releases both. All writes go through
``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation

from .policies import LEVEL_CHOICES, SubsidyType


class ClaimBatch(models.Model):
    """Claims filed together: by a training provider for its trainees, or by a caregiver for themselves.

    ``region`` decides which HR officers review it: the provider's region, or the region of the caregiver's
    employer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Under review")
        PUBLICITY = "publicity", _("Public notice")
        PAID = "paid", _("Paid")
        CLOSED = "closed", _("Closed (nothing to pay)")

    subsidy_type = models.CharField(_("subsidy type"), max_length=24, choices=SubsidyType.choices)
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidy_batches",
    )
    claimant = models.ForeignKey(
        "registry.Person",
        verbose_name=_("claimant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidy_batches",
        help_text=_("The caregiver who filed their own claim."),
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="subsidy_batches"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    publicity_from = models.DateField(_("public notice from"), null=True, blank=True)
    publicity_until = models.DateField(_("public notice until"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("claim batch")
        verbose_name_plural = _("claim batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__isnull=False, claimant__isnull=True)
                | Q(provider__isnull=True, claimant__isnull=False),
                name="claimbatch_one_filer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["publicity", "paid"])
                | Q(publicity_from__isnull=False, publicity_until__isnull=False),
                name="claimbatch_publicity_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_subsidy_type_display()}"

    @property
    def filer_name(self) -> str:
        from lms.registry.masking import mask_name

        return self.provider.name if self.provider_id else mask_name(self.claimant.name)


class Claim(models.Model):
    """One subsidy asked for one certificate. ``failures`` holds the last check's ``[{code, params}]`` (empty =
    passed); ``amount`` and ``policy`` are those the check found."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FAILED = "failed", _("Failed the checks")
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")

    HELD = (Status.SUBMITTED, Status.APPROVED, Status.PAID)  # take a payable slot, count against the limits

    batch = models.ForeignKey(ClaimBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="claims")
    # Certificates are never deleted in production (revocation is a status); CASCADE only lets demo resets of the
    # certificates app go through.
    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="subsidy_claims",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="subsidy_claims"
    )
    subsidy_type = models.CharField(_("subsidy type"), max_length=24, choices=SubsidyType.choices)
    policy = models.ForeignKey(
        "subsidies.SubsidyPolicy",
        verbose_name=_("policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES, default=0)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    failures = models.JSONField(_("check failures"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True, help_text=_("The day it was submitted."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        ordering = ["batch_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "certificate"], name="claim_once_per_batch"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
                violation_error_message=_("Give the reason for the rejection."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "approved", "paid"])
                | Q(claimed_on__isnull=False, amount__isnull=False, policy__isnull=False),
                name="claim_held_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="claim_person_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.person.id_number_masked} {self.get_subsidy_type_display()}"

    @property
    def held(self) -> bool:
        return self.status in self.HELD


class PayableSlot(models.Model):
    """The one claim that may be paid for a person, subsidy type, occupation and level (level 0 for policies paid
    once per occupation). Taken when a claim is submitted, released when it is rejected: the unique constraint
    makes a second claim for the same slot fail in the database, whatever two providers do at the same moment."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    subsidy_type = models.CharField(max_length=24, choices=SubsidyType.choices)
    occupation = models.CharField(max_length=20)
    level = models.PositiveSmallIntegerField()
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="slot")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payable slot")
        verbose_name_plural = _("payable slots")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "subsidy_type", "occupation", "level"], name="payableslot_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.subsidy_type} {self.occupation} {self.level}"


class PersonYearCounter(models.Model):
    """Claims a person holds in a calendar year (all subsidy types). Submissions lock this row
    (``SELECT … FOR UPDATE``) before checking the yearly limits, so two concurrent submissions for the same person
    are checked one after the other; ``held`` is recounted under the lock after every change."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    held = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("claims per person and year")
        verbose_name_plural = _("claims per person and year")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="personyearcounter_one_row")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.held}"


class Objection(models.Model):
    """An objection to a claim on public notice (公示), received on the public page or recorded by an HR officer;
    resolved as dismissed or upheld (an upheld objection rejects the claim)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"), max_length=2000)
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.claim}"
