"""Policy targets per region, indicator and year (e.g. seed 001: 持证上岗率 ≥ 70% in 曲靖市 by 2026)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

INDICATOR_CHOICES = [
    ("certified_rate", _("Certified-staff rate (持证上岗率)")),
    ("training_person_times", _("Training person-times (培训人次)")),
    ("people_trained", _("People trained (培训人数)")),
    ("in_service_compliance", _("Annual in-service training compliance (在职培训达标率)")),
    ("health_check_compliance", _("Health-check compliance (健康检查合格率)")),
    ("staff_ratio", _("Institutions below the staff ratio (师幼比不达标机构)")),
]


class Target(models.Model):
    """A target value of one indicator for a region and year, to reach by ``target_date``.

        ``measure`` names the column of the indicator's table the target applies to; empty means the indicator's
        main figure (e.g. the rate). Seed 001's person-time targets use ``director`` and ``care`` and are cumulative
    (累计) from 2024 (``from_year``). The region is
        referenced by its division code (no database constraint) so that a data migration can seed the policy
        targets before the region rows exist.
    """

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        to_field="code",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=INDICATOR_CHOICES)
    measure = models.CharField(_("measure"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    from_year = models.PositiveSmallIntegerField(
        _("counted from year"),
        null=True,
        blank=True,
        help_text=_("For cumulative targets (累计): the first year whose figures count. Empty: the year alone."),
    )
    value = models.DecimalField(_("target value"), max_digits=10, decimal_places=2)
    target_date = models.DateField(_("target date"))
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("The policy document."))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["region_id", "indicator", "measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "measure", "year"], name="target_unique"),
        ]

    def __str__(self) -> str:
        measure = f" ({self.measure})" if self.measure else ""
        return f"{self.region_id} {self.get_indicator_display()}{measure} {self.year}: {self.value}"
