"""Database side of the heartbeat benchmark, run in a subprocess with ``bench_settings``.

``python -m tests.benchmarks.heartbeat_db setup N VIDEO_SECONDS OUT.json``: a published course with two
video lessons (a short one that gets credited during the run, then a long one), N learners with a
login each, enrolled, and a logged-in session + CSRF token per learner (no password round-trips).

``python -m tests.benchmarks.heartbeat_db verify IN.json``: what the database credited, per learner
(watched seconds per lesson, hours entries), as JSON on stdout.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.bench_settings")


def setup(n: int, video_seconds: float, out: str) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from wagtail.models import Page

    from lms.learning.models import CoursePage, Enrollment, LessonPage, ProviderCatalogue, TrainingCatalogue
    from lms.registry.models import Person
    from tests import factories as f
    from tests.lms.learning.conftest import make_video

    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=TrainingCatalogue(title="培训课程", slug="courses"))
    provider = f.TrainingProviderFactory()
    section = catalogue.add_child(instance=ProviderCatalogue(title=provider.name, slug="p", provider=provider))
    course = section.add_child(
        instance=CoursePage(title="压测课程", slug="bench", kind="in_service", occupation="childcare_worker",
                            required_hours=Decimal("2.0"))
    )  # fmt: skip
    short, long = make_video(video_seconds, "短视频"), make_video(24 * 3600.0, "长视频")
    lessons = [
        course.add_child(instance=LessonPage(title=title, slug=slug, hours=Decimal("1.0"),
                                             body=[("video", {"video": media, "caption": ""})]))
        for title, slug, media in (("第一课", "l1", short), ("第二课", "l2", long))
    ]  # fmt: skip
    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create([User(username=f"bench{i:05d}", password=password) for i in range(n)])
    people = [f.PersonFactory.build(user=user) for user in users]
    Person.objects.bulk_create(people)
    Enrollment.objects.bulk_create([Enrollment(person=p, course=course) for p in people])
    learners = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        learners.append({"person": user.person.pk, "session": session.session_key, "csrf": secrets.token_hex(16)})
    with open(out, "w") as fh:
        json.dump({
            "lessons": [lesson.pk for lesson in lessons], "media": [str(short.pk), str(long.pk)],
            "durations": [video_seconds, 24 * 3600.0], "learners": learners,
        }, fh)  # fmt: skip


def verify() -> None:
    from lms.learning import progress as rules
    from lms.learning.models import HoursEntry, LessonProgress

    watched: dict[int, dict[int, float]] = {}
    for person, lesson, intervals in LessonProgress.objects.values_list(
        "enrollment__person_id", "lesson_id", "watched"
    ):
        watched.setdefault(person, {})[lesson] = sum(rules.covered(v) for v in intervals.values())
    hours: dict[int, list[str]] = {}
    for person, value, key in HoursEntry.objects.values_list("person_id", "hours", "key"):
        hours.setdefault(person, []).append(f"{key}={value}")
    json.dump({"watched": watched, "hours": hours}, sys.stdout)


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
    else:
        verify()
