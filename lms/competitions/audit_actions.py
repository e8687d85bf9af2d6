"""Audit actions of the competitions app (registered with ``lms.registry.audit`` in ``CompetitionsConfig.ready``).

Each owner of a service adds its actions here: ``"competitions.<model>.<verb>": (label, past-tense label)``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple] = {
    "competitions.competition.create": (_("Create competition"), _("Created competition")),
    "competitions.competition.update": (_("Update competition"), _("Updated competition")),
    "competitions.competition.open": (_("Open competition registration"), _("Opened competition registration")),
    "competitions.competition.start": (_("Close registration and start"), _("Closed registration and started")),
    "competitions.competition.publish": (_("Publish competition results"), _("Published competition results")),
    "competitions.entry.register": (_("Register contestant"), _("Registered contestant")),
    "competitions.entry.approve": (_("Approve entry"), _("Approved entry")),
    "competitions.entry.refuse": (_("Refuse entry"), _("Refused entry")),
    "competitions.entry.withdraw": (_("Withdraw entry"), _("Withdrew entry")),
    "competitions.entry.draw": (_("Draw contestant codes"), _("Drew contestant codes")),
    "competitions.mapping.view": (_("View the code mapping"), _("Viewed the code mapping")),
    "competitions.station.remove": (_("Remove station"), _("Removed station")),
    "competitions.judge.add": (_("Assign judge"), _("Assigned judge")),
    "competitions.judge.remove": (_("Remove judge"), _("Removed judge")),
    "competitions.sheet.submit": (_("Submit competition marks"), _("Submitted competition marks")),
    "competitions.sheet.reopen": (_("Reopen locked marks"), _("Reopened locked marks")),
    "competitions.station.assign": (_("Assign judges' sheets"), _("Assigned judges' sheets")),
    "competitions.station.theory_enrol": (
        _("Enrol contestants in the theory exam"),
        _("Enrolled contestants in the theory exam"),
    ),
    "competitions.station.theory_import": (_("Import theory scores"), _("Imported theory scores")),
    "competitions.results.compute": (_("Compute competition results"), _("Computed competition results")),
}
