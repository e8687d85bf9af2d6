"""Exam blueprints (组卷规则): how many questions of which type, area and difficulty, and their points."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.learning.choices import Occupation, SkillLevel

from ..choices import Difficulty, QuestionType, ReviewPolicy

POINTS = {"max_digits": 6, "decimal_places": 2}


class Blueprint(ClusterableModel):
    name = models.CharField(_("name"), max_length=120)
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exam_blueprints",
    )
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices, null=True, blank=True)
    banks = models.ManyToManyField("exams.QuestionBank", verbose_name=_("question banks"), related_name="blueprints")
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    total_points = models.DecimalField(_("total points"), default=Decimal("100"), **POINTS)
    pass_mark = models.DecimalField(_("pass mark"), default=Decimal("60"), **POINTS)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_policy = models.CharField(
        _("review policy"), max_length=16, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_PUBLISH
    )

    class Meta:
        verbose_name = _("exam blueprint")
        verbose_name_plural = _("exam blueprints")
        ordering = ["occupation", "level", "name"]

    def __str__(self) -> str:
        return self.name


class BlueprintSection(Orderable):
    """``count`` questions of ``type`` (from ``knowledge_area``, at ``difficulty`` when set), each worth ``points``."""

    blueprint = ParentalKey(Blueprint, on_delete=models.CASCADE, related_name="sections")
    type = models.CharField(_("question type"), max_length=16, choices=QuestionType.choices)
    knowledge_area = models.ForeignKey(
        "exams.KnowledgeArea", verbose_name=_("knowledge area"), null=True, blank=True, on_delete=models.PROTECT
    )
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices, null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of questions"), validators=[MinValueValidator(1)])
    points = models.DecimalField(_("points per question"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS)

    class Meta(Orderable.Meta):
        verbose_name = _("blueprint section")
        verbose_name_plural = _("blueprint sections")

    def __str__(self) -> str:
        return f"{self.get_type_display()} × {self.count}"
