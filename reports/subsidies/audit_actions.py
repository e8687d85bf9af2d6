"""Audit actions of the subsidy claims (registered with lms.registry.audit in SubsidiesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "subsidies.policy.create": (_("Create subsidy policy"), _("Created subsidy policy")),
    "subsidies.policy.update": (_("Update subsidy policy"), _("Updated subsidy policy")),
    "subsidies.insurance.record": (_("Record insurance period"), _("Recorded insurance period")),
    "subsidies.account.set": (_("Set payee bank account"), _("Set payee bank account")),
    "subsidies.batch.create": (_("Create claim batch"), _("Created claim batch")),
    "subsidies.batch.submit": (_("Submit claim batch"), _("Submitted claim batch")),
    "subsidies.batch.publish": (_("Start public notice"), _("Started public notice")),
    "subsidies.batch.pay": (_("Mark claim batch paid"), _("Marked claim batch paid")),
    "subsidies.batch.close": (_("Close claim batch"), _("Closed claim batch")),
    "subsidies.batch.export": (_("Export payment list"), _("Exported payment list")),
    "subsidies.claim.add": (_("Add subsidy claim"), _("Added subsidy claim")),
    "subsidies.claim.remove": (_("Remove subsidy claim"), _("Removed subsidy claim")),
    "subsidies.claim.check": (_("Check subsidy claim"), _("Checked subsidy claim")),
    "subsidies.claim.submit": (_("Submit subsidy claim"), _("Submitted subsidy claim")),
    "subsidies.claim.approve": (_("Approve subsidy claim"), _("Approved subsidy claim")),
    "subsidies.claim.reject": (_("Reject subsidy claim"), _("Rejected subsidy claim")),
    "subsidies.objection.record": (_("Record objection"), _("Recorded objection")),
    "subsidies.objection.resolve": (_("Resolve objection"), _("Resolved objection")),
    "subsidies.workday.set": (_("Set working-day exception"), _("Set working-day exception")),
}
