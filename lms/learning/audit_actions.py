from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "learning.enrollment.create": (_("Enroll"), _("Enrolled")),
    "learning.enrollment.cancel": (_("Cancel enrollment"), _("Cancelled enrollment")),
    "learning.enrollment.close_banned": (_("Close enrollment of a banned person"), _("Closed enrollment")),
    "learning.lesson.credit": (_("Credit lesson"), _("Credited lesson")),
    "learning.course.complete": (_("Complete course"), _("Completed course")),
    "learning.attendance.check_in": (_("Check in"), _("Checked in")),
    "learning.attendance.check_out": (_("Check out"), _("Checked out")),
    "learning.attendance.correct": (_("Correct attendance"), _("Corrected attendance")),
    "learning.catalogue.create": (_("Create training catalogue"), _("Created training catalogue")),
    "learning.catalogue.workflow": (_("Attach review workflow"), _("Attached review workflow")),
    "learning.provider_section.create": (_("Create provider's course section"), _("Created provider's course section")),
    "learning.provider_group.create": (_("Create provider's author group"), _("Created provider's author group")),
    "learning.provider_group.join": (_("Add course author"), _("Added course author")),
    "learning.provider_group.leave": (_("Remove course author"), _("Removed course author")),
    "learning.reviewers.join": (_("Add course reviewer"), _("Added course reviewer")),
    "learning.reviewers.leave": (_("Remove course reviewer"), _("Removed course reviewer")),
    "learning.course.create_from_template": (_("Create course from template"), _("Created course from template")),
    "learning.course.publish_tree": (
        _("Publish course modules and lessons"),
        _("Published course modules and lessons"),
    ),
    "learning.template.seed": (_("Load course template"), _("Loaded course template")),
    "learning.requirement.seed": (_("Load example hours requirement"), _("Loaded example hours requirement")),
}
