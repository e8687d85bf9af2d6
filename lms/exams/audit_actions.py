"""Audit actions of the exams app (registered with ``lms.registry.audit`` in ``ExamsConfig.ready``).

Each owner of a service adds its actions here: ``"exams.<model>.<verb>": (label, past-tense label)``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple] = {
    "exams.question.import": (_("Import questions"), _("Imported questions")),
    "exams.attempt.submit": (_("Submit exam attempt"), _("Submitted exam attempt")),
    "exams.answer.mark": (_("Mark answer"), _("Marked answer")),
    "exams.sitting.publish": (_("Publish sitting results"), _("Published sitting results")),
    "exams.marksheet.submit": (_("Submit practical marks"), _("Submitted practical marks")),
    "exams.marksheet.change": (_("Change locked practical marks"), _("Changed locked practical marks")),
    "exams.result.decide": (_("Decide level result"), _("Decided level result")),
}
