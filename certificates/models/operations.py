"""Issuance batches, renewal reminders and the verification log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssuanceBatch(models.Model):
    """A bulk issuance started from the admin, processed in chunks by a Celery task.

    ``item_ids`` lists the achievements to certify (course completion ids for ``source = completion``);
    ``done`` counts items processed so far, so a re-run after a worker died continues where it stopped
    (issuance is idempotent, so a chunk processed twice issues nothing twice).
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    class Source(models.TextChoices):
        COMPLETION = "completion", _("Course completions")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.COMPLETION)
    item_ids = models.JSONField(_("items"), default=list, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issuance batch")
        verbose_name_plural = _("issuance batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class CertificateReminder(models.Model):
    """A renewal reminder sent to a holder, once per certificate and expiry date."""

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    certificate = models.ForeignKey(
        "certificates.Certificate", verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="reminders"
    )
    expires_on = models.DateField(_("expires on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    emailed = models.BooleanField(_("emailed"), default=False)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "expires_on"], name="reminder_once_per_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number} · {self.expires_on}"


class VerificationLog(models.Model):
    """One verification of a payload: when, which certificate (if genuine), the result, how, and by whom.

    ``client`` is a keyed hash of the client's IP address, never the address itself.
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    class Result(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUSPENDED = "suspended", _("Suspended")
        INVALID = "invalid", _("Invalid")

    class Channel(models.TextChoices):
        PAGE = "page", _("Verify page")
        API = "api", _("API")
        OFFLINE_SYNC = "offline-sync", _("Offline verifier (synchronised)")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verifications",
    )
    status = models.CharField(_("result"), max_length=10, choices=Result.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client = models.CharField(_("client (hashed)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verification log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_status_display()}"
