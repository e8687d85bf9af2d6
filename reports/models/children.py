"""Child counts per institution (the registry keeps none): the input of the staff-ratio indicator."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChildCount(models.Model):
    """The children enrolled in an institution on a date, by group. The latest count on or before the report
    date is the one used."""

    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    counted_on = models.DateField(_("counted on"))
    infants = models.PositiveIntegerField(_("infants (乳儿班)"), default=0)
    younger = models.PositiveIntegerField(_("younger toddlers (托小班)"), default=0)
    older = models.PositiveIntegerField(_("older toddlers (托大班)"), default=0)

    class Meta:
        verbose_name = _("child count")
        verbose_name_plural = _("child counts")
        ordering = ["institution_id", "-counted_on"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "counted_on"], name="childcount_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.counted_on:%Y-%m-%d}"

    @property
    def total(self) -> int:
        return self.infants + self.younger + self.older
