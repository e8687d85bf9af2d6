"""Deterministic demo data for learning (``manage.py seed_demo_learning``), on top of the registry demo.

Courses of every training kind (texts in ``demo_content``, videos from ``demo_media``), published
under one section per demo training provider; enrollments of demo staff with varied progress;
classroom sessions; example yearly requirements; hours ledgers over the last three years.

The demo ``caregiver`` account's progress goes through the real services (``enroll``,
``heartbeat_record``, ``gate_submit``, ``attendance_check_in``), so it is exactly what the
learner pages would have written. The other staff's progress is written in bulk (same rows and
ledger keys as the services) so that the whole demo takes a few seconds at city scale.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection

from lms.registry.models import Employment, Person, Post, TrainingProvider

from . import demo_content as content
from .choices import HoursSource, TrainingKind
from .demo_media import delete_demo_videos, demo_video
from .models import (
    AnnualHoursRequirement,
    Attendance,
    ClassSession,
    CourseCompletion,
    CoursePage,
    Enrollment,
    HoursEntry,
    LearnerClock,
    LessonPage,
    LessonProgress,
    ProviderCatalogue,
    TrainingCatalogue,
)
from .services import classroom, enroll, gate_submit, heartbeat_record
from .services.authoring import provider_catalogue_ensure, provider_group

READ_SECONDS = 60  # text_dwell_seconds of the demo courses (a short demo; real courses set their own)
STAFF = {Post.CAREGIVER: 150, Post.DIRECTOR: 24, Post.HEALTH: 18}  # demo learners per post
COURSES_BY_POST = {
    Post.CAREGIVER: ["pre-job-care-safety", "in-service-2026"],
    Post.DIRECTOR: ["director-duties", "in-service-2026"],
    Post.HEALTH: ["health-care-staff"],
}


def demo_exists() -> bool:
    return CoursePage.objects.filter(slug=content.COURSES[0]["slug"]).exists()


def html_of(text: str) -> str:
    """The tiny markup of ``demo_content`` as rich text (headings, lists, paragraphs)."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines[0].startswith("## "):
            out.append(f"<h3>{lines[0][3:]}</h3>")
            lines = lines[1:]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
        else:
            out.append(f"<p>{''.join(lines)}</p>")
    return "".join(out)


def _aware(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def reset_learning() -> dict[str, int]:
    """Delete all learning rows and the course pages (children before parents; ledger rows included)."""
    deleted = {}
    for model in (Attendance, ClassSession, CourseCompletion, HoursEntry, LessonProgress, LearnerClock, Enrollment):
        deleted[model._meta.model_name] = model.objects.all().delete()[0]
    deleted["annualhoursrequirement"] = AnnualHoursRequirement.objects.all().delete()[0]
    pages = 0
    for catalogue in TrainingCatalogue.objects.all():
        pages += catalogue.get_descendant_count() + 1
        catalogue.delete()
    deleted["pages"] = pages
    deleted["media"] = delete_demo_videos()
    return deleted


class LearningDemo:
    def __init__(self, *, as_of: date | None = None, seed: int = 530300, use_ffmpeg: bool = False, log=None):
        self.as_of = as_of or timezone.localdate()
        self.rng = random.Random(seed)
        self.use_ffmpeg = use_ffmpeg
        self.log: Callable[[str], None] = log or (lambda msg: None)
        self.counts = dict.fromkeys(["courses", "lessons", "videos", "enrollments", "completions", "sessions"], 0)
        self.clock: dict[int, datetime] = {}  # person id -> time of their last simulated heartbeat
        self.collections: dict[int, Collection | None] = {}  # provider id -> its media collection
        self.enrolled_at: dict[int, datetime] = {}  # enrollment id -> when the demo says it happened

    # ---- catalogue and courses ------------------------------------------------------------------

    def section(self, provider: TrainingProvider) -> ProviderCatalogue:
        """The provider's section, its Wagtail group, permissions and collection (as authoring sets them up)."""
        section = provider_catalogue_ensure(provider=provider)
        group = provider_group(provider)
        self.collections[provider.pk] = Collection.objects.filter(group_permissions__group=group).first()
        return section

    def build_courses(self, providers: dict[str, TrainingProvider], author) -> dict[str, CoursePage]:
        courses = {}
        for spec in content.COURSES:
            section = self.section(providers[spec["provider"]])
            course = section.add_child(
                instance=CoursePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    kind=spec["kind"],
                    occupation=spec["occupation"],
                    target_level=spec["level"],
                    summary=spec["summary"],
                    description=f"<p>{spec['summary']}</p>",
                    required_hours=sum(Decimal(lesson["hours"]) for lesson in spec["lessons"])
                    + Decimal(spec["classroom_hours"]),
                    classroom_hours_required=Decimal(spec["classroom_hours"]),
                    text_dwell_seconds=READ_SECONDS,
                    owner=author,
                )
            )
            course.save_revision(user=author).publish(skip_permission_checks=True)
            for n, spec_lesson in enumerate(spec["lessons"], start=1):
                lesson = course.add_child(
                    instance=LessonPage(
                        title=spec_lesson["title"],
                        slug=f"lesson-{n}",
                        hours=Decimal(spec_lesson["hours"]),
                        body=self.lesson_body(
                            spec_lesson, f"{spec['slug']}-{n}", self.collections.get(section.provider_id)
                        ),
                        owner=author,
                    )
                )
                lesson.save_revision(user=author).publish(skip_permission_checks=True)
                self.counts["lessons"] += 1
            courses[spec["slug"]] = course
            self.counts["courses"] += 1
        return courses

    def lesson_body(self, spec: dict, slug: str, collection) -> list:
        body = []
        if spec["video"]:
            video = demo_video(title=spec["title"], slug=slug, use_ffmpeg=self.use_ffmpeg, collection=collection)
            self.counts["videos"] += 1
            body.append(("video", {"video": video, "caption": f"示范视频：{spec['title']}"}))
        body.append(("text", html_of(spec["text"])))
        if spec["practice"]:
            body.append(("practice_quiz", {"title": "练一练", "questions": spec["practice"]}))
        if spec["gate"]:
            body.append(("gate", {"title": "检验一下", "questions": spec["gate"], "pass_ratio": Decimal("1")}))
        return body

    # ---- the caregiver account, through the services ---------------------------------------------

    def _tick(self, person_id: int, seconds: float, start: datetime | None = None) -> datetime:
        now = start if start is not None else self.clock[person_id] + timedelta(seconds=seconds)
        self.clock[person_id] = now
        return now

    def study(self, enrollment: Enrollment, lesson: LessonPage, *, share: float, start: datetime | None) -> None:
        """Play the lesson's videos (or read it) up to ``share``, then pass its gates if it was finished."""
        pid = enrollment.person_id
        self._tick(pid, 0, start or self.clock[pid] + timedelta(minutes=2))
        for media in lesson.videos:
            played, target = 0.0, float(media.duration) * share
            while played < target - 0.01:
                step = min(10.0, target - played)
                now = self._tick(pid, step)
                heartbeat_record(enrollment=enrollment, lesson=lesson, media_id=str(media.pk), start=played,
                                 end=played + step, now=now)  # fmt: skip
                played += step
        if not lesson.videos:
            for _ in range(int(READ_SECONDS * share) // 15):
                heartbeat_record(enrollment=enrollment, lesson=lesson, media_id=None, now=self._tick(pid, 15))
        if share >= 1:
            for gate in lesson.gates:
                answers = [
                    [i for i, choice in enumerate(q["choices"]) if choice["correct"]] for q in gate.value["questions"]
                ]
                gate_submit(enrollment=enrollment, lesson=lesson, block_id=gate.id, answers=answers,
                            now=self._tick(pid, 30))  # fmt: skip

    def caregiver(self, person: Person, courses: dict[str, CoursePage]) -> None:
        plan = [("pre-job-care-safety", 1.0, 400), ("in-service-2026", 0.5, 6), ("skill-upgrade-observation", 0, 0)]
        for slug, share, days_ago in plan:
            enrollment = enroll(person=person, course=courses[slug])
            self.counts["enrollments"] += 1
            if not share:
                continue
            lessons = list(LessonPage.objects.live().descendant_of(courses[slug]).order_by("path"))
            start = _aware(self.as_of - timedelta(days=days_ago), 19, 30)
            self.enrolled_at[enrollment.pk] = start - timedelta(days=1)
            if share >= 1:
                for n, lesson in enumerate(lessons):
                    self.study(enrollment, lesson, share=1.0, start=start if n == 0 else None)
            else:  # half-way: the first lesson done, the second one half-watched or half-read
                self.study(enrollment, lessons[0], share=1.0, start=start)
                self.study(enrollment, lessons[1], share=0.5, start=None)

    # ---- other staff, in bulk ------------------------------------------------------------------

    def staff(self, exclude: set[int]) -> dict[str, list[Person]]:
        out, seen = {}, set(exclude)
        for post, n in STAFF.items():
            ids = (
                Employment.objects.filter(post=post, end_date__isnull=True)
                .filter(institution__region__code__startswith="5303")
                .exclude(person_id__in=seen)
                .order_by("person__id_number_hash")
                .values_list("person_id", flat=True)
                .distinct()[:n]
            )
            out[post] = list(Person.objects.filter(pk__in=list(ids)).order_by("id_number_hash"))
            seen.update(p.pk for p in out[post])
        return out

    def bulk_progress(self, people_by_post: dict[str, list[Person]], courses: dict[str, CoursePage], actor) -> None:
        """Enroll the staff; ~40% finish, ~30% are part-way, ~30% have not started (bulk writes, same rows)."""
        lessons = {}
        for slug, course in courses.items():
            lessons[slug] = [
                (lesson, lesson.videos, [g.id for g in lesson.gates])
                for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
            ]
        plans = []
        for post, people in people_by_post.items():
            for person in people:
                for slug in COURSES_BY_POST[post]:
                    roll = self.rng.random()
                    day = self.as_of - timedelta(days=self.rng.randint(3, 500 if slug != "in-service-2026" else 60))
                    when = _aware(day, self.rng.randint(8, 21), self.rng.randint(0, 59))
                    enrollment = Enrollment(person=person, course=courses[slug], enrolled_by=actor,
                                            source=Enrollment.Source.INSTITUTION)  # fmt: skip
                    plans.append((enrollment, slug, roll, when, when - timedelta(days=self.rng.randint(1, 20))))
        Enrollment.objects.bulk_create([plan[0] for plan in plans], batch_size=2000)
        self.counts["enrollments"] += len(plans)
        progress, entries, completions = [], [], []
        for enrollment, slug, roll, when, enrolled_at in plans:
            self.enrolled_at[enrollment.pk] = enrolled_at
            course, course_lessons = courses[slug], lessons[slug]
            if roll < 0.4:  # finished every lesson
                upto, partial = len(course_lessons), False
            elif roll < 0.7:  # part-way: some lessons credited, the next one started
                upto, partial = self.rng.randint(0, len(course_lessons) - 1), True
            else:  # not started
                continue
            for n, (lesson, videos, gates) in enumerate(course_lessons[: upto + partial]):
                credited = n < upto
                share = 1.0 if credited else self.rng.uniform(0.2, 0.7)
                row = LessonProgress(
                    enrollment=enrollment,
                    lesson=lesson,
                    watched={str(m.pk): [[0.0, round(float(m.duration) * share, 1)]] for m in videos},
                    position={str(m.pk): round(float(m.duration) * share, 1) for m in videos},
                    dwell_seconds=0 if videos else int(READ_SECONDS * share),
                    gates_passed=gates if credited else [],
                    credited_at=when + timedelta(minutes=10 * n) if credited else None,
                )
                progress.append(row)
                if credited:
                    entries.append(self._entry(enrollment, lesson, course, row.credited_at))
            if not partial and course.classroom_hours_required == 0:  # else completed by attendance
                done_at = when + timedelta(minutes=10 * len(course_lessons))
                enrollment.status, enrollment.completed_at = Enrollment.Status.COMPLETED, done_at
                hours = sum((lesson.hours for lesson, _, _ in course_lessons), Decimal("0"))
                completions.append(CourseCompletion(
                    enrollment=enrollment, person_id=enrollment.person_id, course=course, hours=hours,
                    completed_at=done_at,
                ))  # fmt: skip
        LessonProgress.objects.bulk_create(progress, batch_size=2000)
        HoursEntry.objects.bulk_create(entries, batch_size=2000)
        CourseCompletion.objects.bulk_create(completions, batch_size=2000)
        Enrollment.objects.bulk_update([c.enrollment for c in completions], ["status", "completed_at"], batch_size=2000)

    @staticmethod
    def _entry(enrollment: Enrollment, lesson: LessonPage, course: CoursePage, when: datetime) -> HoursEntry:
        day = timezone.localdate(when)
        return HoursEntry(
            person_id=enrollment.person_id, year=day.year, occurred_on=day, kind=course.kind,
            source=HoursSource.ONLINE, hours=lesson.hours, course=course, key=f"lesson:{enrollment.pk}:{lesson.pk}",
            note=lesson.title,
        )  # fmt: skip

    def history(self, people_by_post: dict[str, list[Person]], actor) -> None:
        """Recorded (manual) in-service hours of the two previous years: the ledger back to ``as_of - 2`` years."""
        rows = []
        for people in people_by_post.values():
            for person in people:
                for year in (self.as_of.year - 2, self.as_of.year - 1):
                    if self.rng.random() < 0.2:
                        continue  # some staff were not employed or missed the year's training
                    hours = Decimal(self.rng.choice(["12.0", "16.0", "24.0", "24.0", "30.0"]))
                    day = date(year, self.rng.randint(3, 11), self.rng.randint(1, 28))
                    rows.append(HoursEntry(
                        person=person, year=year, occurred_on=day, kind=TrainingKind.IN_SERVICE,
                        source=HoursSource.MANUAL, hours=hours, key=f"demo:{person.pk}:{year}:in_service",
                        note=f"{year}年度在职培训（线下集中培训，补录）", created_by=actor,
                    ))  # fmt: skip
        HoursEntry.objects.bulk_create(rows, batch_size=2000)

    def sessions(self, courses: dict[str, CoursePage], instructor, directors: list[Person]) -> None:
        """Past and upcoming classroom sessions; the enrolled directors who finished online attended the past one."""
        director_course = courses["director-duties"]
        past_day, next_day = self.as_of - timedelta(days=21), self.as_of + timedelta(days=14)
        place = "曲靖市麒麟区职业技能培训学校 3楼实训室"
        specs = [
            (director_course, "负责人岗位培训·集中面授（应急演练组织）", past_day, "4.0", 40),
            (director_course, "负责人岗位培训·集中面授（第二期）", next_day, "4.0", 40),
            (courses["pre-job-care-safety"], "婴幼儿急救与伤害处置实操", next_day + timedelta(days=3), "2.0", 30),
        ]
        made = []
        for course, title, day, hours, capacity in specs:
            made.append(ClassSession.objects.create(
                course=course, title=title, place=place, starts_at=_aware(day, 9), ends_at=_aware(day, 13),
                capacity=capacity, instructor=instructor, hours=Decimal(hours),
            ))  # fmt: skip
            self.counts["sessions"] += 1
        past = made[0]
        now = past.starts_at + timedelta(minutes=5)
        token = classroom.checkin_token(session=past, kind="in", now=now)
        credited_online = set(
            LessonProgress.objects.filter(enrollment__course=director_course, credited_at__isnull=False)
            .values_list("enrollment__person_id", flat=True)
            .distinct()
        )
        for person in directors:
            if person.pk in credited_online and self.rng.random() < 0.85:
                classroom.attendance_check_in(session=past, person=person, token=token, now=now)

    # ---- everything ---------------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> dict[str, int]:
        users = {u.username: u for u in get_user_model().objects.filter(username__in=["provider", "institution"])}
        providers = {p.body_code: p for p in TrainingProvider.objects.filter(body_code__in=["QJPX", "YNTY", "YNPJ"])}
        caregiver = Person.objects.filter(user__username="caregiver").first()
        if len(providers) < 3 or "provider" not in users or caregiver is None:
            raise LookupError("the registry demo is missing: run `manage.py seed_demo` first")
        for provider in providers.values():
            self.section(provider)
        courses = self.build_courses(providers, users["provider"])
        self.log(f"courses: {self.counts['courses']}, lessons: {self.counts['lessons']}")
        for post, kind, hours in content.EXAMPLE_REQUIREMENTS:
            AnnualHoursRequirement.objects.update_or_create(post=post, kind=kind, defaults={"hours": Decimal(hours)})
        self.caregiver(caregiver, courses)
        people = self.staff(exclude={caregiver.pk})
        self.bulk_progress(people, courses, users.get("institution"))
        self.sessions(courses, users["provider"], people[Post.DIRECTOR])
        enrollments = list(Enrollment.objects.filter(pk__in=self.enrolled_at))
        for enrollment in enrollments:
            enrollment.enrolled_at = self.enrolled_at[enrollment.pk]
        Enrollment.objects.bulk_update(enrollments, ["enrolled_at"], batch_size=2000)
        self.counts["completions"] = CourseCompletion.objects.count()
        self.history(people, users.get("institution"))
        self.counts["hours_entries"] = HoursEntry.objects.count()
        return self.counts
