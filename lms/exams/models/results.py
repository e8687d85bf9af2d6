"""Skill level results (职业技能等级认定结果): theory and practical, plus the comprehensive review at levels 2 and 1."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation, SkillLevel

from .blueprints import POINTS


class LevelResult(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="level_results")
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices)
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("assessment body"),
        on_delete=models.PROTECT,
        related_name="level_results",
    )
    attempt = models.OneToOneField(
        "exams.Attempt", verbose_name=_("theory attempt"), on_delete=models.PROTECT, related_name="level_result"
    )
    practical = models.OneToOneField(
        "exams.PracticalCandidate",
        verbose_name=_("practical assessment"),
        on_delete=models.PROTECT,
        related_name="level_result",
    )
    theory_score = models.DecimalField(_("theory"), **POINTS)
    practical_score = models.DecimalField(_("practical"), **POINTS)
    review_score = models.DecimalField(_("comprehensive review (综合评审)"), null=True, blank=True, **POINTS)
    passed = models.BooleanField(_("passed"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("skill level result")
        verbose_name_plural = _("skill level results")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_occupation_display()} · {self.get_level_display()}"
