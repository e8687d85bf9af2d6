"""The training-hour ledger: immutable credits, completions and the yearly requirement per post."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.registry.models import Post

from ..choices import HoursSource, TrainingKind


class HoursEntry(models.Model):
    """One credit of training hours. Never updated or deleted: a correction is a new (negative) entry.

    ``key`` makes each credit happen once (e.g. ``lesson:<enrollment>:<lesson>``,
    ``class:<attendance>``) whatever retries or double submissions occur.
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="hours_entries")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("training kind"), max_length=20, choices=TrainingKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=HoursSource.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    course = models.ForeignKey("learning.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=80, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("training hours")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["person", "year", "kind"], name="hours_person_year_kind")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.occurred_on} {self.hours}h"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("hours entries are immutable; record a correcting entry instead")
        super().save(*args, **kwargs)


class CourseCompletion(models.Model):
    """Written once per enrollment when every completion rule holds (``services.completion``)."""

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    enrollment = models.OneToOneField("learning.Enrollment", on_delete=models.PROTECT, related_name="completion")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="course_completions")
    course = models.ForeignKey("learning.CoursePage", on_delete=models.PROTECT, related_name="completions")
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")

    def __str__(self) -> str:
        return f"{self.person.name} · {self.course.title}"


class AnnualHoursRequirement(models.Model):
    """How many hours of a training kind a post needs each year (e.g. in-service hours for caregivers)."""

    post = models.CharField(_("post"), max_length=12, choices=Post.choices)
    kind = models.CharField(_("training kind"), max_length=20, choices=TrainingKind.choices)
    hours = models.DecimalField(
        _("hours per year"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("annual hours requirement")
        verbose_name_plural = _("annual hours requirements")
        constraints = [models.UniqueConstraint(fields=["post", "kind"], name="hoursrequirement_unique")]

    def __str__(self) -> str:
        return f"{self.get_post_display()} · {self.get_kind_display()} ≥ {self.hours}"
