from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_region_code


def _region_code_validator(value: str) -> None:
    try:
        validate_region_code(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class Region(models.Model):
    """An administrative division (GB/T 2260; townships use 9-digit GB/T 10114 codes).

    Codes are hierarchical by prefix, so "this region and everything below it" is a prefix
    match on ``code`` (see :attr:`scope_prefix`), served by an index on PostgreSQL and SQLite.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County / district")
        TOWNSHIP = 4, _("Township / subdistrict")

    code = models.CharField(_("division code"), max_length=9, unique=True, validators=[_region_code_validator])
    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def scope_prefix(self) -> str:
        """The code prefix shared by this region and all its descendants."""
        return {
            self.Level.PROVINCE: self.code[:2],
            self.Level.CITY: self.code[:4],
            self.Level.COUNTY: self.code[:6],
        }.get(self.level, self.code)

    def clean(self) -> None:
        errors = {}
        if self.level == self.Level.TOWNSHIP and len(self.code) != 9:
            errors["code"] = _("A township code has 9 digits.")
        elif self.level != self.Level.TOWNSHIP and len(self.code) != 6:
            errors["code"] = _("Province, city and county codes have 6 digits.")
        if self.level == self.Level.PROVINCE:
            if self.parent_id:
                errors["parent"] = _("A province has no parent region.")
        elif not self.parent:
            errors["parent"] = _("Choose the region this one belongs to.")
        elif self.parent.level != self.level - 1:
            errors["parent"] = _("The parent region must be exactly one level up.")
        elif self.code and not self.code.startswith(self.parent.scope_prefix):
            errors["code"] = _("The code must start with the parent region's code prefix %(prefix)s.") % {
                "prefix": self.parent.scope_prefix
            }
        if errors:
            raise ValidationError(errors)
