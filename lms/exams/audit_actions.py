"""Audit actions of the exams app (registered with ``lms.registry.audit`` in ``ExamsConfig.ready``).

Each owner of a service adds its actions here: ``"exams.<model>.<verb>": (label, past-tense label)``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, tuple] = {
    "exams.question.import": (_("Import questions"), _("Imported questions")),
    "exams.question.create": (_("Add question"), _("Added question")),
    "exams.question.update": (_("Edit question"), _("Edited question")),
    "exams.question.deactivate": (_("Take question out of use"), _("Took question out of use")),
    "exams.attempt.submit": (_("Submit exam attempt"), _("Submitted exam attempt")),
    "exams.answer.mark": (_("Mark answer"), _("Marked answer")),
    "exams.sitting.publish": (_("Publish sitting results"), _("Published sitting results")),
    "exams.marksheet.submit": (_("Submit practical marks"), _("Submitted practical marks")),
    "exams.marksheet.change": (_("Change locked practical marks"), _("Changed locked practical marks")),
    "exams.result.decide": (_("Decide level result"), _("Decided level result")),
    "exams.result.publish": (_("Publish level result"), _("Published level result")),
    "exams.practical_session.create": (_("Schedule practical session"), _("Scheduled practical session")),
    "exams.practical_session.update": (_("Update practical session"), _("Updated practical session")),
    "exams.examiner.add": (_("Add examiner"), _("Added examiner")),
    "exams.examiner.remove": (_("Remove examiner"), _("Removed examiner")),
    "exams.examiner.chief": (_("Appoint chief examiner"), _("Appointed chief examiner")),
    "exams.practical_candidate.add": (_("Schedule practical candidate"), _("Scheduled practical candidate")),
    "exams.practical_candidate.remove": (_("Remove practical candidate"), _("Removed practical candidate")),
    "exams.sitting.create": (_("Create exam sitting"), _("Created exam sitting")),
    "exams.sitting.update": (_("Update exam sitting"), _("Updated exam sitting")),
    "exams.sitting.schedule": (_("Schedule exam sitting"), _("Scheduled exam sitting")),
    "exams.sitting.close": (_("Close exam sitting"), _("Closed exam sitting")),
    "exams.candidate.register": (_("Register exam candidate"), _("Registered exam candidate")),
    "exams.candidate.approve": (_("Approve exam candidate"), _("Approved exam candidate")),
    "exams.candidate.refuse": (_("Refuse exam candidate"), _("Refused exam candidate")),
    "exams.candidate.extend": (_("Give extra exam time"), _("Gave extra exam time")),
    "exams.candidate.place": (_("Place candidate in a room"), _("Placed candidate in a room")),
    "exams.room.save": (_("Save exam room"), _("Saved exam room")),
    "exams.attempt.start": (_("Start exam attempt"), _("Started exam attempt")),
}
