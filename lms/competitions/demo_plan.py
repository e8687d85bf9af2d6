"""What the competitions demo holds: the two competitions' titles, organizers, dates and sizes, and the tracks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from lms.learning.choices import Occupation

from .choices import CompetitionLevel

# (track, occupation, the exams demo's practical rubric, its theory blueprint)
TRACKS = [
    (
        "保育师（职工组）",
        Occupation.CHILDCARE_WORKER,
        "保育师（四级/中级工）操作技能考核评分表",
        "保育师（四级/中级工）理论知识考试",
    ),
    (
        "育婴员（职工组）",
        Occupation.INFANT_CARER,
        "育婴员（四级/中级工）操作技能考核评分表",
        "育婴员（四级/中级工）理论知识考试",
    ),
]


@dataclass(frozen=True)
class Plan:
    title: str
    organizer: str
    level: str
    place: str
    theory_place: str
    starts_on: date
    ends_on: date
    registration_opens_on: date
    registration_closes_on: date
    register_on: date  # the day the units register their contestants
    per_track: int  # contestants registered per track
    min_years_of_work: int
    max_age: int
    complete: bool  # every sheet submitted and the results published (else: the practical half marked)
    published_at: datetime | None = None

    def on(self, as_of: date) -> Plan:
        """The in-progress competition, held the day before ``as_of`` (theory) and on ``as_of`` (practical)."""
        return replace(
            self,
            starts_on=as_of - timedelta(days=1),
            ends_on=as_of,
            registration_opens_on=as_of - timedelta(days=40),
            registration_closes_on=as_of - timedelta(days=10),
            register_on=as_of - timedelta(days=25),
        )


FINISHED_TITLE = "2026年曲靖市托育服务职业技能竞赛"
RUNNING_TITLE = "2026年云南省托育职业技能大赛（曲靖选拔赛）"

FINISHED = Plan(
    title=FINISHED_TITLE,
    organizer="曲靖市人力资源和社会保障局　曲靖市卫生健康委员会　曲靖市总工会",
    level=CompetitionLevel.CITY,
    place="曲靖市职业技能培训学校实训楼（麒麟区）",
    theory_place="曲靖市职业技能培训学校机房",
    starts_on=date(2026, 10, 24),
    ends_on=date(2026, 10, 25),
    registration_opens_on=date(2026, 9, 1),
    registration_closes_on=date(2026, 9, 30),
    register_on=date(2026, 9, 15),
    per_track=12,
    min_years_of_work=1,
    max_age=50,
    complete=True,
    published_at=timezone.make_aware(datetime(2026, 10, 28, 10, 0)),
)

RUNNING = Plan(
    title=RUNNING_TITLE,
    organizer="云南省人力资源和社会保障厅　云南省卫生健康委员会（承办：曲靖市人力资源和社会保障局）",
    level=CompetitionLevel.CITY,
    place="云南省托育服务职业技能评价中心曲靖考核站（麒麟区）",
    theory_place="云南省托育服务职业技能评价中心曲靖考核站机房",
    starts_on=date(2026, 11, 21),
    ends_on=date(2026, 11, 22),
    registration_opens_on=date(2026, 10, 12),
    registration_closes_on=date(2026, 11, 11),
    register_on=date(2026, 10, 28),
    per_track=10,
    min_years_of_work=2,
    max_age=45,
    complete=False,
)
