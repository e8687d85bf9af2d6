from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ban(models.Model):
    """A lifetime ban from childcare work (终身禁入), e.g. after abuse of a child (seed 004)."""

    person = models.OneToOneField(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="ban"
    )
    reason = models.CharField(_("reason"), max_length=300)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=120, help_text=_("The authority that decided it."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lifetime ban")
        verbose_name_plural = _("lifetime bans")

    def __str__(self) -> str:
        return f"{self.person} · {self.decided_on:%Y-%m-%d}"
