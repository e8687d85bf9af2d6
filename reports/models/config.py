"""What the indicators count, as data: qualifying posts and certificate types, child-group staff ratios."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.registry.models import Post


class QualifyingPost(models.Model):
    """A post whose on-duty staff count in the 持证上岗率 (seeded: caregiver, health-care staff, director)."""

    post = models.CharField(_("post"), max_length=12, choices=Post.choices, unique=True)

    class Meta:
        verbose_name = _("qualifying post")
        verbose_name_plural = _("qualifying posts")
        ordering = ["post"]

    def __str__(self) -> str:
        return self.get_post_display()


class QualifyingCertificateType(models.Model):
    """A certificate type whose valid certificates make a holder certified (seeded: training and skill)."""

    certificate_type = models.OneToOneField(
        "certificates.CertificateType",
        verbose_name=_("certificate type"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("qualifying certificate type")
        verbose_name_plural = _("qualifying certificate types")

    def __str__(self) -> str:
        return str(self.certificate_type)


class ChildGroup(models.TextChoices):
    INFANTS = "infants", _("Infants (乳儿班, 6-12 months)")
    YOUNGER = "younger", _("Younger toddlers (托小班, 12-24 months)")
    OLDER = "older", _("Older toddlers (托大班, 24-36 months)")


class StaffRatio(models.Model):
    """How many children of a group one on-duty caregiver may look after (seeded 1:3, 1:5, 1:7)."""

    group = models.CharField(_("child group"), max_length=10, choices=ChildGroup.choices, unique=True)
    children_per_caregiver = models.PositiveSmallIntegerField(
        _("children per caregiver"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("staff ratio")
        verbose_name_plural = _("staff ratios")
        ordering = ["group"]

    def __str__(self) -> str:
        return f"{self.get_group_display()} 1:{self.children_per_caregiver}"
