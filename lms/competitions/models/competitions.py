"""A competition (职业技能大赛) and its configuration: tracks (赛项/组别), rounds with weights, quotas.

A competition belongs to the region that organizes it (its HR and health officers manage it). Its tracks say who
may enter (occupation, staff or students, years of work, age) and how many contestants each unit may register;
its rounds (theory, then practical…) carry the weights of the total, the pass mark below which a contestant
goes no further and how many of each track advance. Awards go by ratio of the ranked contestants; the
优秀组织奖 goes to the units whose contestants won most.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.learning.choices import Occupation, SkillLevel

from ..choices import CompetitionLevel, Group, JudgesAggregation, RoundKind, TieBreak

POINTS = {"max_digits": 6, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class Competition(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Registration open")
        RUNNING = "running", _("Under way")
        PUBLISHED = "published", _("Results published")

    title = models.CharField(_("title"), max_length=160)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=CompetitionLevel.choices, default=CompetitionLevel.CITY)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("organizing region"),
        on_delete=models.PROTECT,
        related_name="competitions",
        help_text=_("Units in this region may register; its HR and health officers run the competition."),
    )
    organizer = models.CharField(_("organizers"), max_length=200, help_text=_("As printed on award certificates."))
    place = models.CharField(pgettext_lazy("competition", "place"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    registration_opens_on = models.DateField(_("registration opens"))
    registration_closes_on = models.DateField(_("registration closes (inclusive)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    aggregation = models.CharField(
        _("combining the judges' marks"),
        max_length=16,
        choices=JudgesAggregation.choices,
        default=JudgesAggregation.TRIMMED_MEAN,
    )
    outlier_points = models.DecimalField(
        _("flag a judge more than this many points from the other judges' mean"), default=Decimal("10"), **POINTS
    )
    tie_break = models.CharField(
        _("ties broken by"), max_length=32, choices=TieBreak.choices, default=TieBreak.PRACTICAL_THEORY_TIME
    )
    first_prize_percent = models.DecimalField(_("first prizes (percent of ranked contestants)"), default=10, **PERCENT)
    second_prize_percent = models.DecimalField(
        _("second prizes (percent of ranked contestants)"), default=20, **PERCENT
    )
    third_prize_percent = models.DecimalField(_("third prizes (percent of ranked contestants)"), default=30, **PERCENT)
    award_min_total = models.DecimalField(_("lowest total that can win a prize"), default=Decimal("60"), **POINTS)
    organization_awards = models.PositiveSmallIntegerField(
        _("excellent organization awards (优秀组织奖)"),
        default=3,
        help_text=_(
            "How many units win it: those whose contestants won most (first prize 3 points, second 2, third 1)."
        ),
    )
    organization_award_min_prizes = models.PositiveSmallIntegerField(
        _("prizes a unit needs for the organization award"), default=1
    )
    upgrade_top = models.PositiveSmallIntegerField(
        _("top places of each track recommended for a level upgrade"), default=3
    )
    upgrade_level = models.PositiveSmallIntegerField(
        _("recommended level"), choices=SkillLevel.choices, default=SkillLevel.LEVEL_2
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # bumped whenever the scoreboard changes (a station score written or removed, codes drawn): its version
    board_revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("skill competition")
        verbose_name_plural = _("skill competitions")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def tie_break_keys(self) -> tuple[str, ...]:
        return tuple(self.tie_break.split(","))

    @classmethod
    def board_changed(cls, competition_id: int) -> None:
        """The scoreboard of the competition changed (its polls get the new board)."""
        cls.objects.filter(pk=competition_id).update(board_revision=models.F("board_revision") + 1)


class Track(Orderable):
    """A 赛项/组别, e.g. 保育师（职工组）."""

    competition = ParentalKey(Competition, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("track"), max_length=80)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    group = models.CharField(_("group"), max_length=10, choices=Group.choices, default=Group.STAFF)
    min_years_of_work = models.PositiveSmallIntegerField(
        _("years of work at least"), default=0, help_text=_("Staff tracks: counted from the roster's employments.")
    )
    min_age = models.PositiveSmallIntegerField(_("age at least"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("age at most"), null=True, blank=True)
    quota_per_unit = models.PositiveSmallIntegerField(
        _("contestants per unit"), default=2, help_text=_("Unless the unit has its own quota.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return self.name


class Round(Orderable):
    competition = ParentalKey(Competition, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("round"), max_length=80)
    kind = models.CharField(pgettext_lazy("competition", "kind"), max_length=10, choices=RoundKind.choices)
    weight = models.DecimalField(_("weight in the total (%)"), **PERCENT)
    pass_mark = models.DecimalField(
        _("pass mark"),
        null=True,
        blank=True,
        help_text=_("Contestants scoring below it go no further (e.g. theory below 60: no final)."),
        **POINTS,
    )
    advance_top = models.PositiveSmallIntegerField(
        _("top places of each track that go on"),
        null=True,
        blank=True,
        help_text=_("Empty: everyone who passes goes on."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """A unit's own number of places in a track (instead of the track's ``quota_per_unit``)."""

    track = models.ForeignKey(Track, verbose_name=_("track"), on_delete=models.CASCADE, related_name="quotas")
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), null=True, blank=True, on_delete=models.CASCADE
    )
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("school / training provider"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("unit quota")
        verbose_name_plural = _("unit quotas")
        constraints = [
            models.CheckConstraint(
                name="quota_one_unit",
                condition=Q(institution__isnull=False, provider__isnull=True)
                | Q(institution__isnull=True, provider__isnull=False),
            ),
            models.UniqueConstraint(fields=["track", "institution"], name="quota_unique_institution"),
            models.UniqueConstraint(fields=["track", "provider"], name="quota_unique_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.institution or self.provider}: {self.places}"
