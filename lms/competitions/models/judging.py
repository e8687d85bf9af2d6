"""Stations, judges and their mark sheets.

A station is where one round is held for one track: a practical station has a rubric and a panel of judges,
a theory station has the exam sitting whose scores it takes. A judge never marks a contestant from the judge's
own unit (recusal): sheets are created only for the pairs that may meet, so the judge's screen never lists
that contestant. A sheet locks on submission; the chief judge of the station may reopen it with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .competitions import POINTS, Round, Track
from .entries import Entry


class Station(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="stations")
    track = models.ForeignKey(Track, verbose_name=_("track"), on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(_("station"), max_length=80)
    place = models.CharField(pgettext_lazy("competition", "place"), max_length=120, blank=True)
    rubric = models.ForeignKey(
        "exams.Rubric",
        verbose_name=_("rubric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competition_stations",
        help_text=_("Practical rounds: the criteria the judges mark."),
    )
    sitting = models.ForeignKey(
        "exams.Sitting",
        verbose_name=_("exam sitting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competition_stations",
        help_text=_("Theory rounds: the sitting whose scores count."),
    )
    weight = models.DecimalField(
        _("weight within the round"), default=1, help_text=_("The round's score is the weighted mean."), **POINTS
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["round__sort_order", "track__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "track", "name"], name="station_unique_name")]

    def __str__(self) -> str:
        return f"{self.track} · {self.round} · {self.name}"


class Judge(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="+"
    )
    # the judge's own unit, for recusal
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("own institution"), null=True, blank=True, on_delete=models.PROTECT
    )
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("own school / training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    is_chief = models.BooleanField(_("chief judge"), default=False)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(fields=["station", "user"], name="judge_unique"),
            models.UniqueConstraint(fields=["station"], condition=Q(is_chief=True), name="judge_one_chief"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def unit_keys(self) -> set[tuple[str, int]]:
        keys = set()
        if self.institution_id:
            keys.add(("institution", self.institution_id))
        if self.provider_id:
            keys.add(("provider", self.provider_id))
        return keys


class Sheet(models.Model):
    """One judge's marks for one contestant at one station: ``marks`` maps criterion id (text) to points."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="sheets")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="sheets")
    marks = models.JSONField(default=dict)
    total = models.DecimalField(null=True, blank=True, **POINTS)
    time_seconds = models.PositiveIntegerField(_("time used (seconds)"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)  # set = locked
    outlier = models.BooleanField(_("far from the other judges"), default=False)

    class Meta:
        verbose_name = _("judge's sheet")
        verbose_name_plural = _("judges' sheets")
        constraints = [models.UniqueConstraint(fields=["station", "entry", "judge"], name="sheet_unique")]
        indexes = [models.Index(fields=["judge", "submitted_at"], name="sheet_judge_idx")]

    def __str__(self) -> str:
        return f"{self.judge} → {self.entry}"

    @property
    def locked(self) -> bool:
        return self.submitted_at is not None


class SheetReopen(models.Model):
    """The chief judge reopened a locked sheet, with a reason (also in the audit log)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="reopenings")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    marks_before = models.JSONField()
    total_before = models.DecimalField(null=True, blank=True, **POINTS)
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reopened sheet")
        verbose_name_plural = _("reopened sheets")
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return f"{self.sheet} ({self.reopened_at:%Y-%m-%d %H:%M})"
