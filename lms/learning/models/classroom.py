"""Classroom sessions (线下培训) and attendance checked in by rotating QR codes."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class ClassSession(models.Model):
    course = models.ForeignKey(
        "learning.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="class_sessions"
    )
    title = models.CharField(_("title"), max_length=120)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("instructor"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(
        _("hours credited (学时)"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    requires_checkout = models.BooleanField(_("learners also check out"), default=False)
    # per-session key for the rotating check-in codes; never shown
    secret = models.CharField(max_length=64, default=_new_secret, editable=False)

    class Meta:
        verbose_name = _("classroom session")
        verbose_name_plural = _("classroom sessions")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session ends before it starts.")})


class Attendance(models.Model):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    correction_reason = models.CharField(_("reason for correction"), max_length=200, blank=True)
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.session}"
