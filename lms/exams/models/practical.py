"""Practical assessment (操作技能考核): rubrics, sessions with an examiner panel, candidates, mark sheets.

A session has an odd panel of at least three examiners, none from a candidate's own institution (recusal is
checked when examiners or candidates are added). Each examiner's mark sheet locks on submission; a later
change needs the chief examiner and a reason, and is kept as a ``MarkChange``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.learning.choices import Occupation, SkillLevel

from ..choices import Aggregation
from .blueprints import POINTS


class Rubric(ClusterableModel):
    name = models.CharField(_("name"), max_length=120)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices)
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider / assessment body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rubrics",
    )
    pass_mark = models.DecimalField(_("pass mark"), default=Decimal("60"), **POINTS)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("practical rubric")
        verbose_name_plural = _("practical rubrics")
        ordering = ["occupation", "level", "name"]

    def __str__(self) -> str:
        return self.name


class RubricCriterion(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=120)
    description = models.TextField(_("what the examiner looks for"), blank=True)
    max_points = models.DecimalField(_("maximum points"), validators=[MinValueValidator(Decimal("0.5"))], **POINTS)

    class Meta(Orderable.Meta):
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.title


class PracticalSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        FINISHED = "finished", _("All marks in")
        PUBLISHED = "published", _("Results published")

    title = models.CharField(_("title"), max_length=120)
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="sessions")
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider / assessment body"),
        on_delete=models.PROTECT,
        related_name="practical_sessions",
    )
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    aggregation = models.CharField(
        _("final score"), max_length=16, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    disagreement_points = models.DecimalField(
        _("flag when examiners differ by more than (points)"), default=Decimal("15"), **POINTS
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("practical assessment session")
        verbose_name_plural = _("practical assessment sessions")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class Examiner(models.Model):
    session = models.ForeignKey(PracticalSession, on_delete=models.CASCADE, related_name="examiners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("examiner"), on_delete=models.PROTECT, related_name="+"
    )
    # the examiner's own institution, for recusal (from the examiner's employment when known)
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("own institution"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_chief = models.BooleanField(_("chief examiner"), default=False)

    class Meta:
        verbose_name = _("examiner")
        verbose_name_plural = _("examiners")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="examiner_unique"),
            models.UniqueConstraint(fields=["session"], condition=models.Q(is_chief=True), name="examiner_one_chief"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class PracticalCandidate(models.Model):
    session = models.ForeignKey(PracticalSession, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="practical_candidacies")
    # the candidate's institution at scheduling time, for recusal
    institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    slot = models.PositiveSmallIntegerField(_("order of appearance"), default=0)
    score = models.DecimalField(_("final score"), null=True, blank=True, **POINTS)
    passed = models.BooleanField(_("passed"), null=True)
    disagreement = models.BooleanField(_("examiners disagree"), default=False)

    class Meta:
        verbose_name = _("practical candidate")
        verbose_name_plural = _("practical candidates")
        ordering = ["session", "slot", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="practicalcandidate_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class MarkSheet(models.Model):
    """One examiner's marks for one candidate: ``marks`` maps criterion id (as a string) to points."""

    candidate = models.ForeignKey(PracticalCandidate, on_delete=models.CASCADE, related_name="mark_sheets")
    examiner = models.ForeignKey(Examiner, on_delete=models.PROTECT, related_name="mark_sheets")
    marks = models.JSONField(default=dict)
    total = models.DecimalField(null=True, blank=True, **POINTS)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)  # set = locked

    class Meta:
        verbose_name = _("mark sheet")
        verbose_name_plural = _("mark sheets")
        constraints = [models.UniqueConstraint(fields=["candidate", "examiner"], name="marksheet_unique")]

    def __str__(self) -> str:
        return f"{self.examiner} → {self.candidate}"

    @property
    def locked(self) -> bool:
        return self.submitted_at is not None


class MarkChange(models.Model):
    """A change to a locked mark sheet, made by the chief examiner with a reason (also in the audit log)."""

    sheet = models.ForeignKey(MarkSheet, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    before = models.JSONField()
    after = models.JSONField()
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mark change")
        verbose_name_plural = _("mark changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.sheet} ({self.changed_at:%Y-%m-%d %H:%M})"
