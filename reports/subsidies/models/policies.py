"""Subsidy policies as data: which subsidy, where and when, for which certificates, how much, under which limits.

Every number DESIGN.md §3 marks "~" (local variants) is a field here, edited by HR officers and platform admins in
the admin (``services.policy_save``); ``rules.check`` applies them through :meth:`SubsidyPolicy.terms`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation

from .. import rules


class SubsidyType(models.TextChoices):
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training subsidy (职业培训补贴)")
    SKILL_ASSESSMENT = "skill_assessment", _("Skill assessment subsidy (技能评价补贴)")
    SKILL_UPGRADE = "skill_upgrade", _("Skill upgrade subsidy (技能提升补贴)")


LEVEL_CHOICES = [
    (0, _("No level (training certificate)")),
    (5, _("Level 5 / junior worker (五级/初级工)")),
    (4, _("Level 4 / intermediate worker (四级/中级工)")),
    (3, _("Level 3 / senior worker (三级/高级工)")),
    (2, _("Level 2 / technician (二级/技师)")),
    (1, _("Level 1 / senior technician (一级/高级技师)")),
]


class SubsidyPolicy(models.Model):
    """One subsidy as a region's policy document sets it, for certificates dated within the effective dates."""

    name = models.CharField(_("name"), max_length=120, help_text=_("E.g. the policy document's title."))
    subsidy_type = models.CharField(_("subsidy type"), max_length=24, choices=SubsidyType.choices)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="subsidy_policies",
        help_text=_("The policy applies to claims filed in this region and the regions below it."),
    )
    effective_from = models.DateField(_("effective from"), help_text=_("For certificates dated on or after."))
    effective_to = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("For certificates dated on or before; empty = open.")
    )
    accepts_training_certificates = models.BooleanField(_("accepts training certificates"), default=True)
    accepts_skill_certificates = models.BooleanField(_("accepts skill level certificates"), default=True)
    claim_window_months = models.PositiveSmallIntegerField(
        _("claim within (months)"),
        default=12,
        validators=[MinValueValidator(1)],
        help_text=_("A claim must be filed within this many months of the certificate date."),
    )
    min_insured_months = models.PositiveSmallIntegerField(
        _("minimum insured months"),
        default=0,
        help_text=_("Months of unemployment insurance the person must have paid before claiming (0 = none)."),
    )
    first_assessment_only = models.BooleanField(
        _("first assessment only"),
        default=False,
        help_text=_("Only a person's first skill certificate of an occupation qualifies."),
    )
    once_per_occupation = models.BooleanField(
        _("once per occupation"),
        default=False,
        help_text=_("Paid once per occupation whatever the level (otherwise once per occupation and level)."),
    )
    forbid_lower_level = models.BooleanField(
        _("no lower level after a higher one"),
        default=True,
        help_text=_("Refuse a level lower than one already paid for the same occupation."),
    )
    yearly_limit_total = models.PositiveSmallIntegerField(
        _("yearly limit, all subsidies"),
        null=True,
        blank=True,
        default=3,
        help_text=_("At most this many subsidies of any type per person and calendar year (empty = none)."),
    )
    yearly_limit_type = models.PositiveSmallIntegerField(
        _("yearly limit, this subsidy"),
        null=True,
        blank=True,
        help_text=_("At most this many subsidies of this type per person and calendar year (empty = none)."),
    )
    self_claim_allowed = models.BooleanField(
        _("holders may claim themselves"),
        default=False,
        help_text=_("Caregivers may file this subsidy on the website (e.g. 技能提升补贴)."),
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["subsidy_type", "-effective_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="subsidypolicy_dates_in_order",
                violation_error_message=_("The effective period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.accepts_training_certificates or self.accepts_skill_certificates):
            raise ValidationError(_("Accept at least one kind of certificate."))

    def covers(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def terms(self, amount: Decimal | None) -> rules.Terms:
        return rules.Terms(
            subsidy_type=self.subsidy_type,
            amount=amount,
            accepts_training=self.accepts_training_certificates,
            accepts_skill=self.accepts_skill_certificates,
            claim_window_months=self.claim_window_months,
            min_insured_months=self.min_insured_months,
            first_assessment_only=self.first_assessment_only,
            once_per_occupation=self.once_per_occupation,
            forbid_lower_level=self.forbid_lower_level,
            yearly_limit_total=self.yearly_limit_total,
            yearly_limit_type=self.yearly_limit_type,
        )


class PolicyRate(models.Model):
    """The amount a policy pays for one occupation and level (level 0 = a training certificate)."""

    policy = models.ForeignKey(SubsidyPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="rates")
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("subsidy amount")
        verbose_name_plural = _("subsidy amounts")
        ordering = ["policy", "occupation", "-level"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "occupation", "level"], name="policyrate_one_per_level"),
            models.CheckConstraint(condition=Q(level__lte=5), name="policyrate_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_occupation_display()} · {self.get_level_display()} · {self.amount}"
