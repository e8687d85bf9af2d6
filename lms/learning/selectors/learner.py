"""Learner pages: catalogue, course outline, my courses, hours vs requirement, progress API lookups."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from lms.registry.models import Employment, Person, Region
from lms.registry.selectors import ADD, institutions_for, on_duty_q, visible

from .. import progress as rules
from ..choices import HoursSource, Occupation, TrainingKind
from ..models import (
    AnnualHoursRequirement,
    CourseModulePage,
    CoursePage,
    Enrollment,
    HoursEntry,
    LessonPage,
    LessonProgress,
    ProviderCatalogue,
)

RULE_CACHE_SECONDS = 300


def _substring_q(q: str) -> Q:
    """Substring matches that full-text search misses: Chinese has no spaces between words, so
    "照护" does not match the token "婴幼儿回应性照护"; kind, occupation and region match by name."""

    kinds = [value for value, label in TrainingKind.choices if q in str(label)]
    occupations = [value for value, label in Occupation.choices if q in str(label)]
    return (
        Q(title__icontains=q)
        | Q(summary__icontains=q)
        | Q(kind__in=kinds)
        | Q(occupation__in=occupations)
        | Q(region__name__icontains=q)
    )


def catalogue_courses(*, q: str = "", kind: str = "", occupation: str = "", region=None, open_only: bool = False):
    """Live courses for the catalogue page, with ``provider_name`` and ``seats_left`` set on each.

    ``q`` goes through Wagtail search (relevance order); the filters are plain ORM filters.
    ``region``: a Region; courses offered everywhere, in it, above it or below it match.
    """

    qs = CoursePage.objects.live().select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if occupation:
        qs = qs.filter(occupation=occupation)
    if region is not None:
        ancestors, node = [], region
        while node is not None:
            ancestors.append(node.pk)
            node = node.parent
        qs = qs.filter(
            Q(region__isnull=True) | Q(region_id__in=ancestors) | Q(region__code__startswith=region.scope_prefix)
        )
    if open_only:
        today = timezone.localdate()
        qs = qs.filter(Q(enrollment_opens__isnull=True) | Q(enrollment_opens__lte=today)).filter(
            Q(enrollment_closes__isnull=True) | Q(enrollment_closes__gte=today)
        )
    qs = qs.annotate(taken=Count("enrollments", filter=Q(enrollments__status__in=Enrollment.OPEN)))
    if q:
        ranked = [page.pk for page in CoursePage.objects.live().search(q)]
        order = {pk: i for i, pk in enumerate(ranked)}
        matches = qs.filter(Q(pk__in=ranked) | _substring_q(q))
        courses = sorted(matches, key=lambda c: (order.get(c.pk, len(order)), c.pk))
    else:
        courses = list(qs.order_by("-first_published_at", "pk"))
    sections = {
        s.path: s.provider.name
        for s in ProviderCatalogue.objects.filter(
            path__in={c.path[: -CoursePage.steplen] for c in courses}
        ).select_related("provider")
    }
    for course in courses:
        course.provider_name = sections.get(course.path[: -CoursePage.steplen], "")
        course.seats_left = None if course.capacity is None else max(0, course.capacity - course.taken)
    return courses


def catalogue_regions(person=None) -> QuerySet:
    """Regions offered in the catalogue's region filter: those of live courses and the learner's counties."""

    ids = set(CoursePage.objects.live().exclude(region=None).values_list("region_id", flat=True))
    if person is not None:
        codes = person.employments.values_list("institution__region__code", flat=True)
        ids |= set(
            Region.objects.filter(level=Region.Level.COUNTY, code__in={c[:6] for c in codes if c}).values_list(
                "pk", flat=True
            )
        )
    return Region.objects.filter(pk__in=ids).order_by("code")


def course_lessons(course: CoursePage) -> list:
    """The course's live lessons in outline order (modules included as ``lesson.module`` or None)."""

    modules = {m.path: m for m in CourseModulePage.objects.live().descendant_of(course)}
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    for lesson in lessons:
        lesson.module = modules.get(lesson.path[: -LessonPage.steplen])
    return lessons


def course_outline(course: CoursePage, enrollment: Enrollment | None) -> dict:
    """Lessons with each one's state for the learner (``done``/``started``/None) and where to resume."""

    lessons = course_lessons(course)
    progress = {}
    if enrollment is not None:
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrollment=enrollment)}
    for lesson in lessons:
        p = progress.get(lesson.pk)
        lesson.state = None if p is None else ("done" if p.credited_at else "started")
    resume = None
    if enrollment is not None and lessons:
        by_pk = {lesson.pk: lesson for lesson in lessons}
        last = by_pk.get(enrollment.last_lesson_id)
        if last is not None and last.state != "done":
            resume = last
        else:
            resume = next((lesson for lesson in lessons if lesson.state != "done"), last or lessons[0])
    credited = sum(1 for lesson in lessons if lesson.state == "done")
    return {"lessons": lessons, "resume": resume, "credited": credited, "total": len(lessons)}


def learner_enrollments(person) -> list[Enrollment]:
    """The learner's enrollments (newest first) with ``credited``, ``total``, ``percent`` and ``hours`` set."""

    enrollments = list(
        Enrollment.objects.filter(person=person, status__in=Enrollment.OPEN)
        .select_related("course", "last_lesson")
        .order_by("status", "-enrolled_at")
    )
    hours = dict(
        HoursEntry.objects.filter(person=person, course_id__in=[e.course_id for e in enrollments])
        .values("course_id")
        .annotate(total=Sum("hours"))
        .values_list("course_id", "total")
    )
    for e in enrollments:
        lesson_ids = list(LessonPage.objects.live().descendant_of(e.course).values_list("pk", flat=True))
        e.total = len(lesson_ids)
        e.credited = LessonProgress.objects.filter(
            enrollment=e, lesson_id__in=lesson_ids, credited_at__isnull=False
        ).count()
        e.percent = 100 if e.status == Enrollment.Status.COMPLETED else (e.credited * 100 // e.total if e.total else 0)
        e.hours = hours.get(e.course_id) or 0
    return enrollments


def hours_vs_requirement_many(people, year: int | None = None) -> dict[int, list[dict]]:
    """Person id -> for each training kind required of their current post(s): hours required and done.

    Three queries whatever the number of people (current posts, requirements, hours done).
    """
    today = timezone.localdate()
    year = year or today.year
    ids = [p.pk for p in people]
    posts: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, post in Employment.objects.filter(on_duty_q(today), person_id__in=ids).values_list("person_id", "post"):
        posts[pk].add(post)
    by_post: dict[str, list] = {}
    for req in AnnualHoursRequirement.objects.filter(post__in=set().union(*posts.values())):
        by_post.setdefault(req.post, []).append(req)
    done = {
        (pk, kind): total
        for pk, kind, total in HoursEntry.objects.filter(person_id__in=ids, year=year)
        .values("person_id", "kind")
        .annotate(total=Sum("hours"))
        .values_list("person_id", "kind", "total")
    }
    result = {}
    for pk in ids:
        required: dict[str, Decimal] = {}
        for req in (r for post in posts[pk] for r in by_post.get(post, ())):
            required[req.kind] = max(required.get(req.kind, Decimal("0")), req.hours)
        rows = []
        for kind, hours in sorted(required.items()):
            got = done.get((pk, kind)) or Decimal("0")
            rows.append(
                {
                    "kind": kind,
                    "label": TrainingKind(kind).label,
                    "required": hours,
                    "done": got,
                    "met": got >= hours,
                    "percent": 100 if not hours else min(100, int(got * 100 / hours)),
                }
            )
        result[pk] = rows
    return result


def hours_vs_requirement(person, year: int | None = None) -> list[dict]:
    """For each training kind required of the person's current post(s): hours required and done this year."""
    return hours_vs_requirement_many([person], year)[person.pk]


def hours_table(person) -> list[dict]:
    """The learner's ledger summed per year, kind and source (newest year first)."""

    rows = (
        HoursEntry.objects.filter(person=person)
        .values("year", "kind", "source")
        .annotate(total=Sum("hours"))
        .order_by("-year", "kind", "source")
    )
    return [
        {**row, "kind_label": TrainingKind(row["kind"]).label, "source_label": HoursSource(row["source"]).label}
        for row in rows
    ]


def lesson_for_progress(lesson_id: int):
    """The live lesson a heartbeat/quiz refers to (one query; the body is loaded only if needed)."""

    return (
        LessonPage.objects.live()
        .only("path", "depth", "live", "title", "hours", "latest_revision_id", "last_published_at")
        .filter(pk=lesson_id)
        .first()
    )


def enrollment_for_lesson(user, lesson) -> Enrollment | None:
    """The user's open enrollment in the course that holds ``lesson`` (one query, course loaded)."""
    if not user.is_authenticated:
        return None
    steplen = CoursePage.steplen
    ancestors = [lesson.path[:i] for i in range(steplen, len(lesson.path), steplen)]
    return (
        Enrollment.objects.select_related("course")
        .filter(person__user=user, course__path__in=ancestors, status__in=Enrollment.OPEN)
        .first()
    )


def lesson_rule(lesson: LessonPage, course: CoursePage) -> rules.LessonRule:
    """The rule that decides when ``lesson`` counts: its videos' durations, its gates, the course's ratios."""
    return rules.LessonRule(
        videos={str(media.pk): float(media.duration or 0) for media in lesson.videos},
        gates=tuple(block.id for block in lesson.gates),
        ratio=course.video_ratio,
        dwell_seconds=course.text_dwell_seconds,
    )


def lesson_target_key(lesson_id: int) -> str:
    return f"learning:target:{lesson_id}"


def lesson_target(lesson_id: int) -> rules.LessonTarget | None:
    """The live lesson ``lesson_id`` as a heartbeat needs it (rule, hours, course), from the cache.

    Heartbeats arrive from every learner every 10 s, so this is read from the cache and rebuilt
    only when missing: publishing, unpublishing, moving or deleting a course, module or lesson
    drops the entries below it (``receivers.forget_lesson_targets``); the timeout covers edits that
    send no page signal (a video's duration corrected in the media library) and, with a
    per-process cache, other processes.
    """
    key = lesson_target_key(lesson_id)
    target = cache.get(key)
    if target is not None:
        return target
    lesson = lesson_for_progress(lesson_id)
    if lesson is None:
        return None  # not cached: a lesson published a moment later must be found
    course = CoursePage.objects.ancestor_of(lesson).first()
    if course is None:
        return None
    target = rules.LessonTarget(
        lesson_id=lesson.pk,
        title=lesson.title,
        hours=lesson.hours,
        course_id=course.pk,
        course_kind=course.kind,
        rule=lesson_rule(lesson, course),
    )
    cache.set(key, target, RULE_CACHE_SECONDS)
    return target


ENROLLMENT_HOT_FIELDS = ("id", "person_id", "course_id", "status", "last_lesson_id")


def enrollment_in_course(user, course_id: int) -> Enrollment | None:
    """The user's open enrollment in the course, with only the fields a heartbeat uses.

    Used by heartbeats when the locked statement found nothing (a learner's first heartbeat in a lesson,
    or not enrolled): one query written out by hand, loaded as a deferred instance like ``.only()`` would.
    """
    if not user.is_authenticated:
        return None
    open_statuses = [status.value for status in Enrollment.OPEN]
    sql = (
        f"SELECT e.id, e.person_id, e.course_id, e.status, e.last_lesson_id FROM {Enrollment._meta.db_table} e "  # noqa: S608 (names from model meta)
        f"JOIN {Person._meta.db_table} p ON p.id = e.person_id "
        f"WHERE p.user_id = %s AND e.course_id = %s AND e.status IN ({', '.join(['%s'] * len(open_statuses))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, course_id, *open_statuses])
        row = cursor.fetchone()
    return Enrollment.from_db(connection.alias, ENROLLMENT_HOT_FIELDS, row) if row else None


def lesson_block(lesson, block_id: str, block_type: str):
    """The lesson body's block of that type with that id, or None."""
    return next((b for b in lesson.body if b.id == block_id and b.block_type == block_type), None)


def staff_for_enrollment(user) -> QuerySet:
    """People currently employed at institutions whose staff ``user`` may manage (institution admins)."""

    today = timezone.localdate()
    institutions = institutions_for(user, ADD, Employment)
    current = Employment.objects.filter(on_duty_q(today), institution__in=institutions)
    return visible(user, Person).filter(pk__in=current.values("person_id")).order_by("name", "pk")


def staff_hours(user, year: int) -> list[dict]:
    """Per staff member of ``user``'s institutions: this year's hours vs the requirement of their post."""
    people = list(staff_for_enrollment(user))
    rows = hours_vs_requirement_many(people, year)
    return [{"person": person, "rows": rows[person.pk]} for person in people]
