from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Back-office roles. Caregivers are users linked to a Person; platform admins are superusers."""

    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")
    PROVIDER_STAFF = "provider_staff", _("Training provider staff")
    INSPECTOR = "inspector", _("Inspector")
    HEALTH_OFFICER = "health_officer", _("Health bureau officer")
    HR_OFFICER = "hr_officer", _("HR bureau officer")


REGION_ROLES = {Role.INSPECTOR, Role.HEALTH_OFFICER, Role.HR_OFFICER}


class RoleGrant(models.Model):
    """A user holds a role over one scope: a region (and its descendants), an institution or a provider."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), null=True, blank=True, on_delete=models.CASCADE
    )
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                name="rolegrant_scope_matches_role",
                condition=(
                    Q(
                        role="institution_admin",
                        institution__isnull=False,
                        region__isnull=True,
                        provider__isnull=True,
                    )
                    | Q(role="provider_staff", provider__isnull=False, region__isnull=True, institution__isnull=True)
                    | Q(
                        role__in=["inspector", "health_officer", "hr_officer"],
                        region__isnull=False,
                        institution__isnull=True,
                        provider__isnull=True,
                    )
                ),
                violation_error_message=_("The scope does not fit the role."),
            ),
            # One grant per user, role and scope (one partial constraint per kind of scope, so that
            # NULLs in the unused scope columns behave the same on SQLite and PostgreSQL).
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(region__isnull=False), name="rolegrant_unique_region"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "institution"],
                condition=Q(institution__isnull=False),
                name="rolegrant_unique_institution",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "provider"],
                condition=Q(provider__isnull=False),
                name="rolegrant_unique_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return self.region or self.institution or self.provider

    def clean(self) -> None:
        expected = (
            "region"
            if self.role in REGION_ROLES
            else {Role.INSTITUTION_ADMIN: "institution", Role.PROVIDER_STAFF: "provider"}.get(self.role)
        )
        errors = {}
        for field in ("region", "institution", "provider"):
            has = getattr(self, f"{field}_id") is not None
            if field == expected and not has:
                errors[field] = _("This role needs a %(field)s.") % {"field": self._meta.get_field(field).verbose_name}
            elif field != expected and has:
                errors[field] = _("Leave this empty for this role.")
        if errors:
            raise ValidationError(errors)
