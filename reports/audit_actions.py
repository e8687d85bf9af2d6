"""Audit actions of the reports statistics (registered with lms.registry.audit in ReportsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "reports.target.set": (_("Set target"), _("Set target")),
    "reports.target.delete": (_("Delete target"), _("Deleted target")),
    "reports.child_count.record": (_("Record child count"), _("Recorded child count")),
    "reports.child_count.delete": (_("Delete child count"), _("Deleted child count")),
}
