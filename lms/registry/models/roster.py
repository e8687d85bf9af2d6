from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterImport(models.Model):
    """One uploaded staff roster: its dry-run report and, once committed, what it changed.

    The upload's parsed rows hold ID numbers in clear, so they are kept encrypted and dropped after
    commit (or by the scheduled purge when a preview is abandoned); the report keeps only row
    numbers, columns and messages.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_sha256 = models.CharField(max_length=64)
    content_encrypted = models.BinaryField(null=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("added"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def valid_rows(self) -> int:
        return self.total_rows - self.error_rows
