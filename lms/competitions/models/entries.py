"""Entries: a unit registers a contestant in a track; the organizer approves or refuses (with the reason).

An approved entry gets its codes at the draw (二次加密): first a drawn number (抽签号), then a second code that
replaces it on every judging screen and on the scoreboard. Judges see only the code; the organizer holds the
mapping, which the public sees only once results are published. The entry also carries its final result.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import Award
from .competitions import POINTS, Competition, Round, Track


class Entry(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("competition entry", "Withdrawn")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    track = models.ForeignKey(Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("contestant"), on_delete=models.PROTECT, related_name="competition_entries"
    )
    # the registering unit: an institution (staff) or a school / training provider (students)
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competition_entries",
    )
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("school / training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competition_entries",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    refusal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(pgettext_lazy("competition entry", "decided at"), null=True, blank=True)

    draw_number = models.PositiveSmallIntegerField(_("drawn number"), null=True, blank=True)
    code = models.CharField(_("contestant code"), max_length=8, blank=True)

    total = models.DecimalField(pgettext_lazy("competition", "total score"), null=True, blank=True, **POINTS)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    stopped_after = models.ForeignKey(
        Round,
        verbose_name=_("went no further than"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    award = models.CharField(_("award"), max_length=10, choices=Award.choices, blank=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["competition", "track", "draw_number", "pk"]
        constraints = [
            models.CheckConstraint(
                name="entry_one_unit",
                condition=Q(institution__isnull=False, provider__isnull=True)
                | Q(institution__isnull=True, provider__isnull=False),
            ),
            models.UniqueConstraint(fields=["competition", "person"], name="entry_one_per_competition"),
            models.UniqueConstraint(fields=["competition", "code"], condition=~Q(code=""), name="entry_unique_code"),
            models.UniqueConstraint(
                fields=["track", "draw_number"], condition=Q(draw_number__isnull=False), name="entry_unique_draw"
            ),
        ]
        indexes = [models.Index(fields=["track", "status"], name="entry_track_status_idx")]

    def __str__(self) -> str:
        return self.code or f"{self.person} · {self.track}"

    @property
    def unit(self):
        return self.institution or self.provider

    @property
    def unit_key(self) -> tuple[str, int]:
        return ("institution", self.institution_id) if self.institution_id else ("provider", self.provider_id)
