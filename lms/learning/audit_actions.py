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
}
