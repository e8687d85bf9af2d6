"""Computed results: a contestant's score at a station and in a round, the organization awards, and the
level-upgrade recommendations of the top finishers. All are recomputed by the results service (idempotent)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation, SkillLevel

from .competitions import POINTS, Competition, Round
from .entries import Entry
from .judging import Station


class StationScore(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="station_scores")
    score = models.DecimalField(_("score"), **POINTS)
    judges = models.PositiveSmallIntegerField(_("judges counted"), default=0)
    time_seconds = models.PositiveIntegerField(_("time used (seconds)"), null=True, blank=True)
    outliers = models.PositiveSmallIntegerField(_("judges flagged"), default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("station score")
        verbose_name_plural = _("station scores")
        constraints = [models.UniqueConstraint(fields=["station", "entry"], name="stationscore_unique")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.station}: {self.score}"


class RoundScore(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="round_scores")
    score = models.DecimalField(_("score"), **POINTS)
    time_seconds = models.PositiveIntegerField(_("time used (seconds)"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank in the round"), null=True, blank=True)
    goes_on = models.BooleanField(_("goes on to the next round"), default=False)

    class Meta:
        verbose_name = _("round score")
        verbose_name_plural = _("round scores")
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="roundscore_unique")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.round}: {self.score}"


class OrganizationAward(models.Model):
    """优秀组织奖 for a unit."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="organization_awards_won")
    institution = models.ForeignKey("registry.Institution", null=True, blank=True, on_delete=models.PROTECT)
    provider = models.ForeignKey("registry.TrainingProvider", null=True, blank=True, on_delete=models.PROTECT)
    rank = models.PositiveSmallIntegerField(_("rank"))
    points = models.PositiveSmallIntegerField(_("prize points"))
    prizes = models.PositiveSmallIntegerField(_("prizes won"))

    class Meta:
        verbose_name = _("excellent organization award")
        verbose_name_plural = _("excellent organization awards")
        ordering = ["competition", "rank"]
        constraints = [
            models.CheckConstraint(
                name="orgaward_one_unit",
                condition=Q(institution__isnull=False, provider__isnull=True)
                | Q(institution__isnull=True, provider__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.rank})"

    @property
    def unit(self):
        return self.institution or self.provider


class UpgradeRecommendation(models.Model):
    """A top finisher recommended for a skill level upgrade (e.g. 技师), for the assessment bodies to act on."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="upgrade_recommendations")
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="upgrade_recommendation")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="upgrade_recommendations")
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    level = models.PositiveSmallIntegerField(_("recommended level"), choices=SkillLevel.choices)
    rank = models.PositiveIntegerField(_("rank"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("level upgrade recommendation")
        verbose_name_plural = _("level upgrade recommendations")
        ordering = ["competition", "rank"]

    def __str__(self) -> str:
        return f"{self.person} → {self.get_level_display()}"
