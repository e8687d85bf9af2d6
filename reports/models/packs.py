"""Monthly report packs (built by ``reports.packs``): one XLSX per officer region and month, kept with its hash."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.models.storage import PrivateFileSystemStorage


def report_storage() -> Storage:
    """``STORAGES["reports"]`` when configured, else a private local directory (``REPORT_FILES_ROOT``, by default
    ``reports/`` next to the certificate files) whose files have no URL: packs are served by checked views."""
    if "reports" in settings.STORAGES:
        return storages["reports"]
    root = getattr(settings, "REPORT_FILES_ROOT", None) or Path(settings.CERTIFICATE_FILES_ROOT).parent / "reports"
    return PrivateFileSystemStorage(location=str(root))


class ReportPack(models.Model):
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month the pack covers."))
    file = models.FileField(_("file"), storage=report_storage, upload_to="packs/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report pack")
        verbose_name_plural = _("report packs")
        ordering = ["-month", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="reportpack_unique_month")]

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m}"
