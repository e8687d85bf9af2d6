from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import crypto


class Person(models.Model):
    """Someone in the childcare workforce.

    The ID number is stored encrypted (``id_number_encrypted``), found by a keyed hash
    (``id_number_hash``, unique) and shown masked (``id_number_masked``). Writes go through
    ``services.person_*`` which derive all of these, the birth date and the gender.
    """

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("full name"), max_length=50)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("mobile"), max_length=11, blank=True, editable=False)
    photo = models.ImageField(_("photo"), upload_to="people/photos/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"

    @property
    def id_number(self) -> str:
        """The clear ID number. Only for roles that need it (see selectors.can_see_full_id)."""
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""


class Post(models.TextChoices):
    """Posts in a childcare institution; qualifying posts for 持证上岗 are configuration (reports)."""

    CAREGIVER = "caregiver", _("Caregiver (保育人员)")
    HEALTH = "health", _("Health-care staff (卫生保健人员)")
    DIRECTOR = "director", _("Director (负责人)")
    OTHER = "other", _("Other (其他)")


class Employment(models.Model):
    """A person working in a post at an institution from ``start_date`` to ``end_date`` (open if null)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="employments")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    post = models.CharField(_("post"), max_length=12, choices=Post.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["institution_id", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "institution", "post", "start_date"], name="employment_unique_spell"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["institution", "end_date"], name="employment_inst_end")]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_post_display()} · {self.institution}"


class HealthCheck(models.Model):
    """A health certificate (健康合格证), required before starting work and then yearly."""

    VALID_DAYS = 365

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="health_checks")
    checked_on = models.DateField(_("examination date"))
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["-checked_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "checked_on"], name="healthcheck_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.checked_on:%Y-%m-%d}"

    @property
    def valid_until(self) -> date:
        return self.checked_on + timedelta(days=self.VALID_DAYS - 1)

    valid_until.fget.short_description = _("valid until")

    def is_valid_on(self, on: date) -> bool:
        return self.checked_on <= on <= self.valid_until
