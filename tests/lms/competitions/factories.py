"""Factories of the competitions app (factory-boy), and builders of whole set-ups for service and view tests.

``competition_with_rounds()`` makes a competition under way with one 保育师 staff track, a theory round (20%,
pass mark 60) and a practical round (80%); ``practical_station(track, round, judges=5)`` adds a station with a
three-criterion rubric (30/30/40) and a panel whose first judge is chief; ``entry(track)`` an approved entry
of a new institution's caregiver (``coded=True`` draws its codes).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from lms.competitions.choices import Group, RoundKind
from lms.competitions.models import Competition, Entry, Judge, Quota, Round, Sheet, Station, StationScore, Track
from lms.learning.choices import Occupation
from tests import factories as f
from tests.lms.exams.practical_factories import rubric_with_criteria


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    title = factory.Sequence(lambda n: f"2026年测试市托育服务职业技能竞赛{n}")
    year = 2026
    region = factory.SubFactory(f.CityFactory)
    organizer = "测试市人力资源和社会保障局"
    starts_on = dt.date(2026, 10, 20)
    ends_on = dt.date(2026, 10, 21)
    registration_opens_on = dt.date(2026, 9, 1)
    registration_closes_on = dt.date(2026, 9, 30)
    status = Competition.Status.RUNNING


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"保育师（职工组）{n}")
    occupation = Occupation.CHILDCARE_WORKER
    group = Group.STAFF
    min_years_of_work = 0
    quota_per_unit = 2
    sort_order = factory.Sequence(lambda n: n)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"第{n}轮")
    kind = RoundKind.PRACTICAL
    weight = Decimal("80")
    pass_mark = None
    advance_top = None
    sort_order = factory.Sequence(lambda n: n)


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    track = factory.SubFactory(TrackFactory)
    institution = factory.SubFactory(f.InstitutionFactory)
    places = 3


class EntryFactory(factory.django.DjangoModelFactory):
    """An approved entry of a caregiver employed (since 2020) at a new institution in the competition's region."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    track = factory.SubFactory(TrackFactory)
    competition = factory.LazyAttribute(lambda o: o.track.competition)
    person = factory.SubFactory(f.PersonFactory)
    institution = factory.LazyAttribute(
        lambda o: f.InstitutionFactory(region=f.CountyFactory(parent=o.competition.region))
    )
    provider = None
    status = Entry.Status.APPROVED

    @factory.post_generation
    def employed(obj, create, extracted, **kwargs):  # noqa: N805
        if create and obj.institution_id and extracted is not False:
            f.EmploymentFactory(person=obj.person, institution=obj.institution, start_date=dt.date(2020, 3, 1))


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    round = factory.SubFactory(RoundFactory)
    track = factory.SubFactory(TrackFactory, competition=factory.SelfAttribute("..round.competition"))
    name = factory.Sequence(lambda n: f"赛位{n}")
    rubric = factory.LazyFunction(rubric_with_criteria)
    weight = Decimal("1")


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge

    station = factory.SubFactory(StationFactory)
    user = factory.SubFactory(f.UserFactory)
    is_chief = False


class SheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sheet

    station = factory.SubFactory(StationFactory)
    entry = factory.SubFactory(EntryFactory)
    judge = factory.SubFactory(JudgeFactory, station=factory.SelfAttribute("..station"))
    marks = factory.LazyFunction(dict)


class StationScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationScore

    station = factory.SubFactory(StationFactory)
    entry = factory.SubFactory(EntryFactory)
    score = Decimal("80")
    judges = 5


def competition_with_rounds(**fields) -> tuple[Competition, Track, Round, Round]:
    """A competition under way: one staff track, theory (20%, pass 60) then practical (80%)."""
    competition = CompetitionFactory(**fields)
    track = TrackFactory(competition=competition, name="保育师（职工组）")
    theory = RoundFactory(
        competition=competition, name="理论知识", kind=RoundKind.THEORY, weight=Decimal("20"), pass_mark=Decimal("60")
    )
    practical = RoundFactory(competition=competition, name="技能操作", kind=RoundKind.PRACTICAL, weight=Decimal("80"))
    return competition, track, theory, practical


def practical_station(track: Track, round: Round, *, judges: int = 5, **fields) -> Station:
    """A station with a 30/30/40 rubric and ``judges`` judges (users ``judge-<station>-<i>``), the first chief;
    each judge works at a new institution of their own."""
    station = StationFactory(track=track, round=round, **fields)
    for i in range(judges):
        JudgeFactory(
            station=station,
            user=f.UserFactory(username=f"judge-{station.pk}-{i}"),
            institution=f.InstitutionFactory(region=f.CountyFactory(parent=track.competition.region)),
            is_chief=(i == 0),
        )
    return station


def coded(entry: Entry, number: int, code: str) -> Entry:
    entry.draw_number, entry.code = number, code
    entry.save(update_fields=["draw_number", "code"])
    return entry


def criterion_ids(station: Station) -> list[str]:
    return [str(pk) for pk in station.rubric.criteria.order_by("sort_order").values_list("pk", flat=True)]


def marks_for(station: Station, *points) -> dict[str, str]:
    """Marks per criterion of the station's rubric, in the criteria's order: ``marks_for(s, 25, 28, 35)``."""
    return {key: str(p) for key, p in zip(criterion_ids(station), points, strict=True)}


def single_round_competition(**fields) -> tuple[Competition, Track, Round]:
    """A competition under way with one staff track and a single practical round weighing 100%
    (every approved entry takes part in it)."""
    competition = CompetitionFactory(**fields)
    track = TrackFactory(competition=competition, name="保育师（职工组）")
    final = RoundFactory(competition=competition, name="技能操作", kind=RoundKind.PRACTICAL, weight=Decimal("100"))
    return competition, track, final


def coded_entries(track: Track, codes, *, first: int = 1, **fields) -> list[Entry]:
    """Approved entries of the track with drawn numbers from ``first`` on and the given codes, in that order."""
    return [coded(EntryFactory(track=track, **fields), n, code) for n, code in enumerate(codes, start=first)]
