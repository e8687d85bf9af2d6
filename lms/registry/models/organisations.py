from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_credit_code


def credit_code_validator(value: str) -> None:
    try:
        validate_credit_code(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class Institution(models.Model):
    """A childcare institution (托育机构)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public (公办)")
        INCLUSIVE = "inclusive", _("Inclusive private (普惠)")
        FOR_PROFIT = "for_profit", _("For-profit (营利)")
        EMPLOYER = "employer", _("Employer-run welfare (用人单位福利性)")
        FAMILY = "family", _("Family childcare point (家庭托育点)")
        KINDERGARTEN = "kindergarten", _("Kindergarten nursery class (幼儿园托班)")

    class Filing(models.TextChoices):
        NOT_FILED = "not_filed", _("Not filed")
        PENDING = "pending", _("Filing under review")
        FILED = "filed", _("Filed")

    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[credit_code_validator]
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="institutions"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places (托位数)"), default=0)
    filing_status = models.CharField(
        _("filing status"), max_length=12, choices=Filing.choices, default=Filing.NOT_FILED
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("childcare institution")
        verbose_name_plural = _("childcare institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.filing_status == self.Filing.FILED and not self.filed_on:
            raise ValidationError({"filed_on": _("Give the date the filing was accepted.")})


class TrainingProvider(models.Model):
    """A training provider or social training and assessment body (培训机构 / 社会培训评价组织)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training provider (培训机构)")
        ASSESSMENT = "assessment", _("Skill assessment body (社会培训评价组织)")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    body_code = models.CharField(
        _("body code"),
        max_length=4,
        unique=True,
        help_text=_("Four-character code used in skill certificate numbers."),
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[credit_code_validator]
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="providers"
    )

    class Meta:
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
