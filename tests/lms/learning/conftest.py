"""Fixtures for learning tests: a published course tree with a video lesson and a text lesson with a gate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from wagtail.models import Page
from wagtailmedia.models import Media

from lms.learning.choices import Occupation, TrainingKind
from lms.learning.models import CoursePage, LessonPage, ProviderCatalogue, TrainingCatalogue
from tests import factories as f

GATE_QUESTIONS = [
    {
        "prompt": "婴幼儿午睡时,保育人员应多久巡视一次?",
        "choices": [{"text": "每15分钟", "correct": True}, {"text": "不需要巡视", "correct": False}],
        "explanation": "午睡期间应定时巡视,观察面色和呼吸。",
    },
    {
        "prompt": "发现婴幼儿发热时应首先做什么?",
        "choices": [
            {"text": "测量体温并通知家长", "correct": True},
            {"text": "立即给予退烧药", "correct": False},
        ],
        "explanation": "",
    },
]


def make_video(duration: float = 60.0, title: str = "午睡照护示范") -> Media:
    return Media.objects.create(
        title=title, type="video", duration=duration, file=ContentFile(b"\x00" * 16, name="demo.mp4")
    )


def build_course(*, provider=None, video_duration: float = 60.0, **course_fields) -> CoursePage:
    """Catalogue → provider section → course with two lessons (video; text + gate), all published."""
    root = Page.get_first_root_node()
    catalogue = TrainingCatalogue.objects.first()
    if catalogue is None:
        catalogue = root.add_child(instance=TrainingCatalogue(title="培训课程", slug="courses"))
    provider = provider or f.TrainingProviderFactory()
    section = ProviderCatalogue.objects.filter(provider=provider).first()
    if section is None:
        section = catalogue.add_child(
            instance=ProviderCatalogue(title=provider.name, slug=f"p-{provider.pk}", provider=provider)
        )
    fields = {
        "title": "保育人员在职年度培训",
        "slug": f"c-{CoursePage.objects.count() + 1}",
        "kind": TrainingKind.IN_SERVICE,
        "occupation": Occupation.CHILDCARE_WORKER,
        "required_hours": Decimal("2.0"),
        "text_dwell_seconds": 30,
        **course_fields,
    }
    course = section.add_child(instance=CoursePage(**fields))
    video = make_video(video_duration)
    course.add_child(
        instance=LessonPage(
            title="第一课 午睡照护",
            slug="l1",
            hours=Decimal("1.0"),
            body=[("video", {"video": video, "caption": "示范视频"})],
        )
    )
    course.add_child(
        instance=LessonPage(
            title="第二课 发热处理",
            slug="l2",
            hours=Decimal("1.0"),
            body=[
                ("text", "<p>婴幼儿体温超过37.5℃时,应及时测量并记录,通知家长。</p>"),
                ("gate", {"title": "检验一下", "questions": GATE_QUESTIONS, "pass_ratio": Decimal("1")}),
            ],
        )
    )
    return course


@pytest.fixture
def course(db) -> CoursePage:
    return build_course()


@pytest.fixture
def learner(db):
    return f.PersonFactory()


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))
