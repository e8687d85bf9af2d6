"""Deterministic exam demo (``manage.py seed_demo_exams``), on top of the registry demo (``seed_demo``).

:func:`seed_exam_demo` writes, through the real services (so the rows, audit entries and events are what the pages
would have written):

* the demo exam content (:func:`lms.exams.demo.seed_exam_content`: banks, questions, blueprints, rubrics; platform-
  wide, so every provider may use them);
* demo accounts (password ``demo12345``, like the registry demo's): ``assessment`` and ``marker``, staff of the
  demo assessment body 云南省托育服务职业技能评价中心 (YNPJ); ``examiner1``–``examiner3`` (考评员: directors of public
  centres with their own login); ``examinee01``–``examinee10``, the candidates of the completed sitting;
* a **completed** 保育师 五级 theory sitting four weeks before ``as_of``: candidates registered and placed in a room
  with two proctors, papers drawn, answers autosaved one by one (a plausible mix of right, wrong and blank answers,
  :mod:`lms.exams.demo_answers`), submitted (the weakest candidate's attempt is submitted by the close when time
  runs out), short answers marked by ``marker``, results published a week later;
* the practical assessment the next day: a panel of three examiners (``examiner1`` chief; recusal checked by the
  service), every examiner's mark sheet submitted for every candidate (one candidate's marks disagree enough to be
  flagged), level results decided and published by ``assessment``; each passed result's ``level_result_passed``
  event makes the certificates app issue a 职业技能等级证书 after commit (in process without a broker);
* an **open** online quiz (保育师课程测验：安全健康管理, two attempts) of the training provider 曲靖市职业技能培训学校,
  open from ``as_of`` for 30 days, with the demo ``caregiver`` approved as a candidate: she can start it at
  ``/exams/``.

Idempotent: the completed sitting is found by its title and skipped when present, the open quiz when one is still
open on ``as_of`` (once it has closed, the next run schedules a new one); the accounts and the content are brought in
line. Deterministic: the same people, accounts, sittings and times for the same seed, registry and ``as_of``; one
``random.Random(seed)`` drives the answers and marks and the sittings' draw seeds derive from ``seed``. A candidate's
paper also depends on their candidate id (``services.attempts.attempt_seed``), so papers and scores differ from one
database to another; times stamped by the services themselves (marking, publication of level results, issuance)
are those of the run.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.learning.choices import Occupation
from lms.registry.models import Institution, Person, Post, Role, TrainingProvider
from lms.registry.services.people import person_link_user
from lms.registry.services.roles import role_grant

from . import demo_answers
from .demo import seed_exam_content
from .demo_questions.assessments import BLUEPRINTS, RUBRICS
from .models import (
    Attempt,
    AttemptQuestion,
    Blueprint,
    Candidate,
    PracticalSession,
    Rubric,
    Sitting,
)
from .selectors import proctoring
from .services import attempts, marking, practical, results, sittings

DEFAULT_PASSWORD = "demo12345"  # noqa: S105 - the registry demo's published password, never for production
ASSESSMENT_BODY = "YNPJ"  # 云南省托育服务职业技能评价中心 (registry demo)
TRAINING_PROVIDER = "QJPX"  # 曲靖市职业技能培训学校 (registry demo; its staff account is ``provider``)
COMPLETED_TITLE = "保育师（五级/初级工）职业技能等级认定·理论知识考试（曲靖考点）"
PRACTICAL_TITLE = "保育师（五级/初级工）职业技能等级认定·操作技能考核（曲靖考点）"
OPEN_TITLE = "保育师课程测验：安全健康管理（线上测验）"
PLACE = "云南省托育服务职业技能评价中心曲靖考核站（麒麟区）"
ROOM = "第一考场"
# (theory ability, practical ability) of the candidates: most pass, two fail the theory, one the practical.
PROFILES = [
    (0.95, 0.90), (0.91, 0.85), (0.87, 0.80), (0.84, 0.74), (0.82, 0.48),
    (0.79, 0.79), (0.76, 0.70), (0.55, 0.76), (0.47, 0.66), (0.40, 0.56),
]  # fmt: skip
EXAMINER_BIAS = (0.0, -0.03, 0.03)
DISAGREEING = 2  # index of the candidate whose third examiner marks far lower (a flagged disagreement)
HALF = Decimal("0.5")


def open_sitting_exists(at: datetime) -> bool:
    """Whether the demo's open quiz is still open at ``at`` (after it closes, seeding schedules a new one)."""
    return Sitting.objects.filter(title=OPEN_TITLE, status=Sitting.Status.SCHEDULED, closes_at__gt=at).exists()


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _half_points(value: float, maximum: Decimal) -> Decimal:
    points = (Decimal(str(value)) / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HALF
    return min(maximum, max(Decimal("0"), points))


class ExamDemo:
    def __init__(
        self,
        *,
        as_of: date | None = None,
        seed: int = 530300,
        password: str = DEFAULT_PASSWORD,
        log: Callable[[str], None] | None = None,
    ):
        self.as_of = as_of or timezone.localdate()
        self.seed = seed
        self.rng = random.Random(seed)
        self.password = password
        self.hashed: str | None = None
        self.log = log or (lambda msg: None)
        self.counts = dict.fromkeys(
            ["accounts", "sittings", "candidates", "attempts", "marked", "mark_sheets", "level_results", "passed"], 0
        )

    # ---- accounts -------------------------------------------------------------------------------------------------

    def user(self, username: str, first_name: str):
        if self.hashed is None:  # one hash for every new account (as the registry demo does): hashing is slow
            self.hashed = make_password(self.password)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name, "password": self.hashed}
        )
        self.counts["accounts"] += created
        return user

    def staff(self, username: str, first_name: str, provider: TrainingProvider):
        user = self.user(username, first_name)
        role_grant(user=user, role=Role.PROVIDER_STAFF, provider=provider)
        return user

    def linked(self, username: str, person: Person):
        """The login of a demo person (the registry's ``person_link_user``, as for ``caregiver``)."""
        user = self.user(username, person.name)
        person_link_user(person=person, user=user)
        return user

    # ---- people ---------------------------------------------------------------------------------------------------

    @staticmethod
    def on_duty(post: str) -> Q:
        return Q(
            employments__post=post,
            employments__end_date__isnull=True,
            employments__institution__region__code__startswith="5303",  # 曲靖市
        )

    def examiners(self) -> list[Person]:
        """Three directors of public centres (考评员 are often experienced staff of childcare institutions)."""
        people = (
            Person.objects.filter(self.on_duty(Post.DIRECTOR), employments__institution__kind=Institution.Kind.PUBLIC)
            .filter(Q(user__isnull=True) | Q(user__username__startswith="examiner"))
            .order_by("id_number_hash")
            .distinct()
        )
        return list(people[: len(EXAMINER_BIAS)])

    def candidates(self, examiners: list[Person], exclude: set[int]) -> list[Person]:
        """Ten on-duty caregivers (from the end of the ID-hash order, away from the other demos' picks) who do not
        work where an examiner works (recusal: the practical service would refuse them)."""
        recused = Institution.objects.filter(
            employments__person__in=examiners, employments__end_date__isnull=True
        ).values("pk")
        people = (
            Person.objects.filter(self.on_duty(Post.CAREGIVER))
            .filter(Q(user__isnull=True) | Q(user__username__startswith="examinee"))
            .exclude(pk__in=exclude)
            .exclude(employments__institution__in=recused, employments__end_date__isnull=True)
            .order_by("-id_number_hash")
            .distinct()
        )
        return list(people[: len(PROFILES)])

    # ---- the completed theory sitting -----------------------------------------------------------------------------

    def draw_seed(self, title: str, opens_at: datetime) -> str:
        return hashlib.sha256(f"exam-demo:{self.seed}:{title}:{opens_at.isoformat()}".encode()).hexdigest()[:32]

    def schedule(self, *, title: str, blueprint: Blueprint, provider, opens_at, closes_at, actor, now, **fields):
        sitting = Sitting(
            title=title,
            blueprint=blueprint,
            provider=provider,
            opens_at=opens_at,
            closes_at=closes_at,
            seed=self.draw_seed(title, opens_at),
            **fields,
        )
        sittings.sitting_save(sitting=sitting, actor=actor)
        self.counts["sittings"] += 1
        return sittings.sitting_schedule(sitting=sitting, actor=actor, now=now)

    def take(self, candidate: Candidate, user, ability: float, start: datetime, *, submit: bool) -> Attempt:
        """Start, answer question by question (autosave) and, unless ``submit`` is False, submit."""
        attempt = attempts.attempt_start(candidate=candidate, actor=user, now=start)
        self.counts["attempts"] += 1
        moment = start
        rows = AttemptQuestion.objects.filter(attempt=attempt).order_by("position").values_list("position", "snapshot")
        for seq, (position, snapshot) in enumerate(rows, start=1):
            moment += timedelta(seconds=self.rng.randint(20, 60))
            response = demo_answers.response_for(snapshot, ability, self.rng)
            if response is not None:
                attempts.answer_save(
                    user=user, attempt_id=attempt.pk, position=position, response=response, seq=seq, now=moment
                )
        if submit:
            attempts.attempt_submit(attempt=attempt, actor=user, now=moment + timedelta(minutes=2))
        return attempt

    def completed_sitting(self, body, people, users, staff, proctors) -> Sitting:
        day = self.as_of - timedelta(days=28)
        opens_at, closes_at = _aware(day, 9), _aware(day, 11)
        sitting = self.schedule(
            title=COMPLETED_TITLE,
            blueprint=Blueprint.objects.get(name=self.blueprint_name(5), provider=None),
            provider=body,
            opens_at=opens_at,
            closes_at=closes_at,
            actor=staff,
            now=_aware(day - timedelta(days=21), 10),
        )
        room = sittings.room_save(sitting=sitting, name=ROOM, proctors=proctors, actor=staff)
        candidates = []
        for person in people:
            candidate = sittings.candidate_register(sitting=sitting, person=person, actor=staff)
            candidates.append(sittings.candidate_place(candidate=candidate, room=room, actor=staff))
        self.counts["candidates"] += len(candidates)
        last = len(candidates) - 1
        for i, (candidate, user, (ability, _practical)) in enumerate(zip(candidates, users, PROFILES, strict=True)):
            # the last one never presses "submit": the close submits the attempt when time has run out
            self.take(candidate, user, ability, opens_at + timedelta(minutes=3 + i), submit=i != last)
        sittings.sitting_close(sitting=sitting, actor=staff, now=closes_at)
        return sitting

    def mark_and_publish(self, sitting: Sitting, marker, staff) -> None:
        for aq in proctoring.marking_queue(sitting):
            points = demo_answers.short_answer_points(aq.response, aq.snapshot.get("reference_answer") or "", aq.points)
            marking.answer_mark(attempt_question=aq, points=points, actor=marker)
            self.counts["marked"] += 1
        published = _aware(timezone.localtime(sitting.closes_at).date() + timedelta(days=7), 10)
        marking.sitting_publish_results(sitting=sitting, actor=staff, now=published)

    # ---- practical assessment and level results -------------------------------------------------------------------

    def practical(self, body, sitting: Sitting, examiner_users, staff) -> PracticalSession:
        day = timezone.localtime(sitting.opens_at).date() + timedelta(days=1)
        session = practical.practical_session_create(
            rubric=Rubric.objects.get(name=self.rubric_name(5), provider=None),
            provider=body,
            title=PRACTICAL_TITLE,
            place=PLACE,
            starts_at=_aware(day, 8, 30),
            actor=staff,
        )
        panel = [
            practical.examiner_add(session=session, user=user, is_chief=i == 0, actor=staff)
            for i, user in enumerate(examiner_users)
        ]
        criteria = list(session.rubric.criteria.order_by("sort_order", "pk"))
        candidates = Candidate.objects.filter(sitting=sitting).select_related("person").order_by("pk")
        for i, candidate in enumerate(candidates):
            scheduled = practical.practical_candidate_add(session=session, person=candidate.person, actor=staff)
            ability = PROFILES[i][1]
            for examiner, bias in zip(panel, EXAMINER_BIAS, strict=True):
                if i == DISAGREEING and examiner is panel[-1]:
                    bias = -0.22
                marks = {
                    str(c.pk): str(
                        _half_points(float(c.max_points) * self.rng.gauss(ability + bias, 0.06), c.max_points)
                    )
                    for c in criteria
                }
                practical.marksheet_submit(candidate=scheduled, actor=examiner.user, marks=marks)
                self.counts["mark_sheets"] += 1
        return session

    def level_results(self, sitting: Sitting, session: PracticalSession, staff) -> None:
        decided = []
        for scheduled in session.candidates.order_by("slot"):
            attempt = Attempt.objects.get(candidate__sitting=sitting, candidate__person_id=scheduled.person_id)
            decided.append(results.level_result_decide(attempt=attempt, practical=scheduled, actor=staff))
        results.level_results_publish(results=decided, actor=staff)  # passes: a skill certificate after commit
        self.counts["level_results"] += len(decided)
        self.counts["passed"] += sum(1 for r in decided if r.passed)

    # ---- the open sitting -----------------------------------------------------------------------------------------

    def open_sitting(self, caregiver: Person, staff) -> Sitting:
        opens_at = _aware(self.as_of, 0)
        sitting = self.schedule(
            title=OPEN_TITLE,
            blueprint=Blueprint.objects.get(name=self.blueprint_name(None), provider=None),
            provider=TrainingProvider.objects.get(body_code=TRAINING_PROVIDER),
            opens_at=opens_at,
            closes_at=_aware(self.as_of + timedelta(days=31), 0),
            actor=staff,
            now=opens_at,
            attempts_allowed=2,
        )
        sittings.candidate_register(sitting=sitting, person=caregiver, actor=staff)  # by staff: approved
        self.counts["candidates"] += 1
        return sitting

    # ---- everything -----------------------------------------------------------------------------------------------

    @staticmethod
    def blueprint_name(level: int | None) -> str:
        return next(
            b["name"] for b in BLUEPRINTS if b["occupation"] == Occupation.CHILDCARE_WORKER and b["level"] == level
        )

    @staticmethod
    def rubric_name(level: int) -> str:
        return next(
            r["name"] for r in RUBRICS if r["occupation"] == Occupation.CHILDCARE_WORKER and r["level"] == level
        )

    def run(self) -> dict[str, int]:
        caregiver = Person.objects.filter(user__username="caregiver").first()
        body = TrainingProvider.objects.filter(body_code=ASSESSMENT_BODY, kind=TrainingProvider.Kind.ASSESSMENT).first()
        provider_staff = get_user_model().objects.filter(username="provider").first()
        if caregiver is None or body is None or provider_staff is None:
            raise LookupError("the registry demo is missing: run `manage.py seed_demo` first")
        content = seed_exam_content()
        self.counts["questions"] = content["questions"]
        self.log(f"content: {content}")
        staff = self.staff("assessment", "评价机构", body)
        marker = self.staff("marker", "阅卷员", body)
        if not Sitting.objects.filter(title=COMPLETED_TITLE).exists():
            directors = self.examiners()
            people = self.candidates(directors, exclude={caregiver.pk})
            if len(people) < len(PROFILES) or len(directors) < len(EXAMINER_BIAS):
                raise LookupError("the registry demo has too few caregivers or public centres for the exam demo")
            users = [self.linked(f"examinee{n:02d}", person) for n, person in enumerate(people, start=1)]
            examiner_users = [self.linked(f"examiner{n}", person) for n, person in enumerate(directors, start=1)]
            sitting = self.completed_sitting(body, people, users, staff, proctors=examiner_users[:2])
            self.mark_and_publish(sitting, marker, staff)
            self.log(
                f"theory sitting: {self.counts['attempts']} attempts, {self.counts['marked']} short answers marked"
            )
            session = self.practical(body, sitting, examiner_users, staff)
            self.level_results(sitting, session, staff)
            self.log(f"level results: {self.counts['level_results']}, passed {self.counts['passed']}")
        if not open_sitting_exists(_aware(self.as_of, 0)):
            self.open_sitting(caregiver, provider_staff)
        return self.counts


@transaction.atomic
def seed_exam_demo(
    *, as_of: date | None = None, seed: int = 530300, password: str = DEFAULT_PASSWORD, log=None
) -> dict[str, int]:
    """Seed the exam demo (see the module docstring); returns counts of what was created. Raises LookupError
    without the registry demo. Skill certificates of the passed results are issued after commit."""
    return ExamDemo(as_of=as_of, seed=seed, password=password, log=log).run()
