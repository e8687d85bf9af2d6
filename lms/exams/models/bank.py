"""Question banks (题库): knowledge areas, banks owned by a provider, questions with their answers.

A question's answer lives in ``answer`` (JSON, shape by type, see ``lms.exams.grading``) and never leaves the
server before the review policy allows. Attempts copy what they draw into their own snapshot, so editing or
deleting a question never changes an attempt already taken.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation, SkillLevel

from ..choices import Difficulty, MultipleRule, QuestionType


class KnowledgeArea(models.Model):
    """A knowledge area of the occupational standard (职业道德, 生活照料, 安全健康管理…): data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("knowledge area")
        verbose_name_plural = _("knowledge areas")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class QuestionBank(models.Model):
    name = models.CharField(_("name"), max_length=120)
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="question_banks",
        help_text=_("Empty for a platform-wide bank."),
    )
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("question bank"), on_delete=models.CASCADE, related_name="questions"
    )
    type = models.CharField(_("question type"), max_length=16, choices=QuestionType.choices)
    stem = models.TextField(_("question"))
    # [{"key": "A", "text": "..."}, ...] for single/multiple choice; empty otherwise
    options = models.JSONField(_("options"), default=list, blank=True)
    # single: ["B"]; multiple: ["A", "C"]; true_false: [true]; fill_blank: [["accepted", "alternative"], ...] one list
    # per blank; short_answer: [] (the reference answer is for markers)
    answer = models.JSONField(_("answer"), default=list, blank=True)
    multiple_rule = models.CharField(
        _("multiple choice marking"), max_length=16, choices=MultipleRule.choices, default=MultipleRule.ALL_OR_NOTHING
    )
    reference_answer = models.TextField(_("reference answer / marking guide"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SkillLevel.choices, null=True, blank=True, help_text=_("Empty for every level.")
    )
    knowledge_area = models.ForeignKey(
        KnowledgeArea, verbose_name=_("knowledge area"), on_delete=models.PROTECT, related_name="questions"
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    active = models.BooleanField(_("in use"), default=True)
    # a stable key for imports (re-importing the same row updates it instead of adding a copy)
    external_id = models.CharField(_("external ID"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "pk"]
        indexes = [
            models.Index(fields=["occupation", "type", "knowledge_area", "difficulty"], name="question_draw_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "external_id"], condition=~models.Q(external_id=""), name="question_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.stem[:40]
