"""Enrollments and the server's record of what each learner actually did."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Closed (learner banned)")

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        INSTITUTION = "institution", _("Enrolled by the institution")
        PROVIDER = "provider", _("Enrolled by the provider")

    OPEN = (Status.ACTIVE, Status.COMPLETED)

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("learner"), on_delete=models.PROTECT, related_name="enrollments"
    )
    course = models.ForeignKey(
        "learning.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("enrolled by"), max_length=12, choices=Source.choices, default=Source.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "learning.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            # one live enrollment per learner and course (a cancelled one may be followed by a new one)
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(status__in=["active", "completed"]),
                name="enrollment_one_open_per_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.course.title}"


class LessonProgress(models.Model):
    """What the server has verified of one learner in one lesson.

    ``watched`` maps a video's media id to the merged intervals (seconds) the learner really
    played, as accepted by ``progress.apply_heartbeat``; ``dwell_seconds`` is verified reading
    time; ``credited_at`` is set once, when the lesson's rule held and its hours were credited.
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lessons")
    lesson = models.ForeignKey("learning.LessonPage", on_delete=models.CASCADE, related_name="+")
    watched = models.JSONField(default=dict)
    position = models.JSONField(default=dict)  # media id -> last verified position, to resume
    dwell_seconds = models.PositiveIntegerField(default=0)
    gates_passed = models.JSONField(default=list)  # block ids of passed gates
    credited_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["enrollment", "lesson"], name="lessonprogress_unique")]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson_id}"


class LearnerClock(models.Model):
    """One row per learner: when their last activity was accepted.

    Every heartbeat of every tab and device of a learner is serialized on this row, and credit is
    limited to the wall-clock time since the previous accepted heartbeat, so two tabs playing at
    once cannot earn double time.

    A heartbeat moves the clock with one UPDATE (which also takes the row lock) that keeps the
    time it replaces in ``previous_seen_at``; the same transaction reads it back with the lesson's
    progress, so the gap costs no extra round trip.
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    person = models.OneToOneField("registry.Person", on_delete=models.CASCADE, related_name="+", primary_key=True)
    last_seen_at = models.DateTimeField(null=True)
    previous_seen_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.last_seen_at}"
