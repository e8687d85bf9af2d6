"""Signing keys and counters."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """An Ed25519 key that signs certificate payloads and status lists.

    The private key is kept only sealed (``signing.seal``: encrypted under ``CERTIFICATE_KEY_ENCRYPTION_KEYS``)
    and never leaves the services that sign. ``active`` signs new certificates (at most one, enforced by a
    partial unique constraint); ``rotated`` no longer signs but still verifies; ``withdrawn`` (a compromised
    key) no longer verifies: it leaves the published key set and its certificates verify as invalid.
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active (signs and verifies)")
        ROTATED = "rotated", _("Rotated (verifies only)")
        WITHDRAWN = "withdrawn", _("Withdrawn (no longer verifies)")

    kid = models.CharField(_("key id"), max_length=16, unique=True, editable=False)
    public_key = models.BinaryField(_("public key"), max_length=32, editable=False)
    sealed_private_key = models.BinaryField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    rotated_at = models.DateTimeField(_("rotated at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="signingkey_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.kid} ({self.get_status_display()})"


class Counter(models.Model):
    """A named sequence (``number:PX0001:2026``, ``status_index``), advanced under a row lock."""

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    scope = models.CharField(max_length=80, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.scope} = {self.value}"
