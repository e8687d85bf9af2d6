"""Theory exam sittings (理论知识考试): windows, rooms and proctors, candidates, attempts, answers, marking.

The server keeps the clock: ``Attempt.deadline_at`` is fixed when the attempt starts (the sitting's duration
plus the candidate's extension, never past the window's close plus grace) and answers saved after
``deadline_at + grace`` are refused. Each ``AttemptQuestion`` holds the snapshot of the question as drawn
(stem, options in the candidate's order, answer, points), so later edits to the bank change nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .blueprints import POINTS


class Sitting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Results published")

    class Eligibility(models.TextChoices):
        REGISTERED = "registered", _("Approved registration")
        COURSE_COMPLETED = "course_completed", _("Completed the course")

    title = models.CharField(_("title"), max_length=120)
    blueprint = models.ForeignKey(
        "exams.Blueprint", verbose_name=_("blueprint"), on_delete=models.PROTECT, related_name="sittings"
    )
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("training provider / assessment body"),
        on_delete=models.PROTECT,
        related_name="exam_sittings",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, help_text=_("Empty: the blueprint's duration.")
    )
    grace_seconds = models.PositiveSmallIntegerField(
        _("grace (seconds)"), default=60, help_text=_("Answers in flight are accepted this long after the deadline.")
    )
    eligibility = models.CharField(
        _("who may sit"), max_length=20, choices=Eligibility.choices, default=Eligibility.REGISTERED
    )
    course = models.ForeignKey(
        "learning.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exam_sittings",
        help_text=_("For “completed the course”: the course whose completion makes a candidate eligible."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    retake_wait_days = models.PositiveSmallIntegerField(_("days between attempts"), default=0)
    seed = models.CharField(max_length=32, editable=False, help_text="base of the candidates' random draws")
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("exam sitting")
        verbose_name_plural = _("exam sittings")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title


class ExamRoom(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=60)
    proctors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("proctors"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exam room")
        verbose_name_plural = _("exam rooms")
        constraints = [models.UniqueConstraint(fields=["sitting", "name"], name="examroom_unique_name")]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """A person registered for a sitting (approved registrations, or course completers added as eligible)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Registration pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="exam_candidacies")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    room = models.ForeignKey(ExamRoom, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates")
    extra_minutes = models.PositiveSmallIntegerField(_("extra time (minutes)"), default=0)
    extension_reason = models.CharField(_("reason for extra time"), max_length=200, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["sitting", "person"], name="candidate_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.sitting}"


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        MARKING = "marking", _("Awaiting marking")
        GRADED = "graded", _("Graded")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    seed = models.CharField(max_length=64, editable=False)
    started_at = models.DateTimeField(_("started at"))
    deadline_at = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted when time ran out"), default=False)
    score = models.DecimalField(_("score"), null=True, blank=True, **POINTS)
    passed = models.BooleanField(_("passed"), null=True)
    answered_count = models.PositiveSmallIntegerField(default=0)  # kept for the proctor's live view

    class Meta:
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [models.UniqueConstraint(fields=["candidate", "number"], name="attempt_unique_number")]
        indexes = [models.Index(fields=["status", "deadline_at"], name="attempt_overdue_idx")]

    def __str__(self) -> str:
        return f"{self.candidate} #{self.number}"


class AttemptQuestion(models.Model):
    """One drawn question of an attempt, frozen, with the candidate's saved answer and its marks."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        "exams.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="drawn"
    )
    # {"type", "stem", "options": [{"key", "text"}] in the candidate's order, "answer", "rule", "knowledge_area"}
    snapshot = models.JSONField()
    points = models.DecimalField(**POINTS)
    response = models.JSONField(null=True, blank=True)
    client_seq = models.PositiveBigIntegerField(default=0)  # the highest client sequence number applied
    saved_at = models.DateTimeField(null=True, blank=True)
    awarded = models.DecimalField(null=True, blank=True, **POINTS)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    marker_comment = models.CharField(max_length=300, blank=True)

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="attemptquestion_unique_position")]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position}"
