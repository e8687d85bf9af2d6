"""Deterministic competitions demo (``manage.py seed_demo_competitions``), on top of the registry demo.

:func:`seed_competition_demo` writes, through the competitions services wherever one exists (so the rows, audit
entries and events are what the admin and the judges' pages would have written):

* demo accounts (password ``demo12345``, like the registry demo's): ``judge1``–``judge5``, the judges (裁判员:
  directors of five public centres of 曲靖市, with their own login; ``judge1`` is the chief judge of every
  practical station), and ``winner``, the login of the 保育师 track's champion of the finished competition;
* a **finished** city competition, 2026年曲靖市托育服务职业技能竞赛 (registration in September 2026, the event on
  24–25 October, results published on 28 October), tracks 保育师（职工组） and 育婴员（职工组）, a theory round
  (20%, pass mark 60) and a practical round (80%) judged by five judges on the exams demo's 四级 practical rubrics:
  contestants registered by their institutions within quota (one ineligible registration refused automatically
  with its reason), approved, codes drawn, theory scores, every judge's sheet submitted (recusal respected, one
  outlying judge flagged), results computed and published: prizes, 优秀组织奖, upgrade recommendations, and
  the award certificates the certificates app issues after commit (``competition_results_published``);
* an **in-progress** one, 2026年云南省托育职业技能大赛（曲靖选拔赛）, held yesterday and today (``as_of``): codes
  drawn, the theory round scored, the practical stations half marked, ``judge1`` with contestants still to mark
  (one draft) and the live scoreboard showing the partial results.

The theory scores are written as :class:`~lms.competitions.models.StationScore` rows directly, as
``theory_import`` would have written them from a sitting's graded attempts: taking ~40 exams question by question
would make the demo slow for no new insight (the exams demo shows a real sitting). Each theory station still has
its closed sitting.

Idempotent: a competition is found by its title and skipped when present; the accounts are found by username.
Deterministic: one ``random.Random(seed)`` drives the picks, the abilities and the marks, so the same seed,
registry and ``as_of`` give the same contestants, codes and marks; times stamped by the services are those of the
run, except the finished competition's publication, dated 28 October 2026 (and so its certificates).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lms.exams.demo import seed_exam_content
from lms.exams.demo_sittings import DEFAULT_PASSWORD, ExamDemo
from lms.exams.models import Blueprint, Rubric, Sitting
from lms.exams.services import sittings
from lms.registry.models import Institution, Person, Post, Region, Role, RoleGrant, TrainingProvider

from .demo_people import eligible_picks, judge_people, unit_of
from .demo_plan import FINISHED, RUNNING, TRACKS, Plan
from .demo_scores import Marker
from .models import Competition, Entry, Round, Station, Track
from .services import competitions as competition_services
from .services import entries as entry_services
from .services import judging, results

CITY = "530300"  # 曲靖市
ASSESSMENT_BODY = "YNPJ"  # 云南省托育服务职业技能评价中心 (registry demo): holds the theory sittings
JUDGES = 5


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class CompetitionDemo:
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
        self.accounts = ExamDemo(as_of=self.as_of, seed=seed, password=password)  # its account helpers
        self.log = log or (lambda msg: None)
        self.counts = dict.fromkeys(
            ["accounts", "competitions", "entries", "refused", "sheets", "submitted", "prizes", "recommended"], 0
        )

    # ---- set-up ---------------------------------------------------------------------------------------------------

    def competition(self, plan: Plan, region, actor) -> Competition:
        """The competition with its tracks and rounds, as an organizer saves it in the admin (a draft)."""
        competition = Competition.objects.create(
            title=plan.title,
            year=plan.starts_on.year,
            level=plan.level,
            region=region,
            organizer=plan.organizer,
            place=plan.place,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            registration_opens_on=plan.registration_opens_on,
            registration_closes_on=plan.registration_closes_on,
            upgrade_top=2,
            created_by=actor,
        )
        for position, (name, occupation, _rubric, _blueprint) in enumerate(TRACKS):
            Track.objects.create(
                competition=competition,
                name=name,
                occupation=occupation,
                min_years_of_work=plan.min_years_of_work,
                min_age=18,
                max_age=plan.max_age,
                quota_per_unit=2,
                sort_order=position,
            )
        Round.objects.create(
            competition=competition,
            name="理论知识",
            kind="theory",
            weight=Decimal("20"),
            pass_mark=Decimal("60"),
            sort_order=0,
        )
        Round.objects.create(
            competition=competition, name="技能操作", kind="practical", weight=Decimal("80"), sort_order=1
        )
        self.counts["competitions"] += 1
        return competition

    def sitting(self, plan: Plan, track: Track, blueprint_name: str, body, staff):
        """The theory test of a track: scheduled before, closed after the competition's first morning."""
        opens_at, closes_at = aware(plan.starts_on, 9), aware(plan.starts_on, 10, 30)
        sitting = Sitting(
            title=f"{plan.title}·理论知识（{track.name}）",
            blueprint=Blueprint.objects.get(name=blueprint_name, provider=None),
            provider=body,
            opens_at=opens_at,
            closes_at=closes_at,
            seed=f"competition-demo-{self.seed}-{track.pk}",
        )
        sittings.sitting_save(sitting=sitting, actor=staff)
        sittings.sitting_schedule(sitting=sitting, actor=staff, now=opens_at - timedelta(days=7))
        return sittings.sitting_close(sitting=sitting, actor=staff, now=closes_at)

    def stations(self, plan: Plan, competition: Competition, judges, body, staff, actor) -> None:
        """Per track: the theory station (its sitting) and the practical station (rubric, five judges)."""
        theory, practical = competition.rounds.order_by("sort_order")
        for track, (_name, _occupation, rubric_name, blueprint_name) in zip(
            competition.tracks.order_by("sort_order"), TRACKS, strict=True
        ):
            Station.objects.create(
                round=theory,
                track=track,
                name="理论考试",
                place=plan.theory_place,
                sitting=self.sitting(plan, track, blueprint_name, body, staff),
            )
            station = Station.objects.create(
                round=practical,
                track=track,
                name="实操赛场",
                place=plan.place,
                rubric=Rubric.objects.get(name=rubric_name, provider=None),
            )
            for i, user in enumerate(judges):
                judging.judge_add(station=station, user=user, actor=actor, is_chief=i == 0)

    # ---- registration ---------------------------------------------------------------------------------------------

    def register(self, plan: Plan, competition: Competition, actor, unit_admin, judge_units: list[int]) -> None:
        """Units register their contestants within quota (the demo ``institution`` registers its own staff); the
        organizer approves. One director registered in a caregivers' track is refused automatically."""
        tracks = list(competition.tracks.order_by("sort_order"))
        taken: set[int] = set()
        for n, track in enumerate(tracks):
            first = [unit_admin.institution_id] if n == 0 else []
            first += judge_units[2:3] if n == 0 else []  # a contestant of judge3's centre: recusal shows
            for person, institution in eligible_picks(
                track, self.rng, count=plan.per_track, taken=taken, first=first, region_prefix=CITY[:4]
            ):
                registrar = unit_admin.user if institution.pk == unit_admin.institution_id else actor
                entry_services.entry_register(
                    track=track, person=person, institution=institution, actor=registrar, today=plan.register_on
                )
                taken.add(person.pk)
        # a director is not a caregiver: the service refuses the entry with the reason ("wrong post")
        director = (
            Person.objects.filter(
                employments__post=Post.DIRECTOR,
                employments__end_date__isnull=True,
                employments__institution__region__code__startswith=CITY[:4],
                user__isnull=True,
            )
            .exclude(pk__in=taken)
            .order_by("id_number_hash")
            .first()
        )
        if director is not None:
            institution = Institution.objects.get(
                employments__person=director, employments__end_date__isnull=True, employments__post=Post.DIRECTOR
            )
            entry_services.entry_register(
                track=tracks[0], person=director, institution=institution, actor=actor, today=plan.register_on
            )
        for entry in competition.entries.filter(status=Entry.Status.PENDING).order_by("pk"):
            entry_services.entry_decide(entry=entry, approve=True, actor=actor)
        entries = competition.entries
        self.counts["entries"] += entries.filter(status=Entry.Status.APPROVED).count()
        self.counts["refused"] += entries.filter(status=Entry.Status.REFUSED).count()

    # ---- one competition ------------------------------------------------------------------------------------------

    def build(self, plan: Plan, region, actor, unit_admin, judges, judge_units, body, staff) -> Competition:
        competition = self.competition(plan, region, actor)
        self.stations(plan, competition, judges, body, staff, actor)
        competition_services.competition_open(competition=competition, actor=actor)
        self.register(plan, competition, actor, unit_admin, judge_units)
        competition_services.competition_start(competition=competition, actor=actor)
        entry_services.codes_draw(competition=competition, actor=actor, rng=random.Random(f"{self.seed}:{plan.title}"))
        marker = Marker(self.rng, competition)
        marker.theory()
        results.results_compute(competition=competition, actor=actor)  # who goes on to the practical round
        for station in Station.objects.filter(round__competition=competition, rubric__isnull=False):
            judging.sheets_assign(station=station, actor=actor)
        marker.practical(complete=plan.complete)
        self.counts["sheets"] += marker.sheets
        self.counts["submitted"] += marker.submitted
        if plan.complete:
            results.results_publish(competition=competition, actor=actor)
            # dated as the organizers published them (the award certificates, issued after commit, take this date)
            Competition.objects.filter(pk=competition.pk).update(published_at=plan.published_at)
            competition.refresh_from_db()
            self.counts["prizes"] += competition.entries.exclude(award="").count()
            self.counts["recommended"] += competition.upgrade_recommendations.count()
        else:
            results.results_compute(competition=competition, actor=actor)
        return competition

    def champion(self, competition: Competition) -> None:
        """The 保育师 track's winner gets a login (``winner``) to find the award certificate in 我的证书."""
        entry = competition.entries.filter(rank=1, award="first").order_by("track__sort_order", "pk").first()
        if entry is not None and entry.person.user_id is None:
            before = get_user_model().objects.filter(username="winner").exists()
            self.accounts.linked("winner", entry.person)
            self.counts["accounts"] += not before

    def run(self) -> dict[str, int]:
        users = get_user_model().objects
        actor = users.filter(username="hr").first()
        unit_admin = UnitAdmin.of(users.filter(username="institution").first())
        body = TrainingProvider.objects.filter(body_code=ASSESSMENT_BODY, kind=TrainingProvider.Kind.ASSESSMENT).first()
        region = Region.objects.filter(code=CITY).first()
        if actor is None or unit_admin is None or body is None or region is None:
            raise LookupError("the registry demo is missing: run `manage.py seed_demo` first")
        seed_exam_content()  # the rubrics and blueprints (idempotent; the exams demo seeds them too)
        before = users.count()
        staff = self.accounts.staff("assessment", "评价机构", body)  # the exams demo's staff of the body
        directors = judge_people(JUDGES, region_prefix=CITY[:4])
        if len(directors) < JUDGES:
            raise LookupError("the registry demo has too few public centres for the competition demo's judges")
        judges = [self.accounts.linked(f"judge{n}", person) for n, person in enumerate(directors, start=1)]
        self.counts["accounts"] += users.count() - before
        judge_units = [unit_of(person) for person in directors]
        for plan in (FINISHED, RUNNING.on(self.as_of)):
            if Competition.objects.filter(title=plan.title).exists():
                continue
            competition = self.build(plan, region, actor, unit_admin, judges, judge_units, body, staff)
            self.log(f"{plan.title}: {competition.entries.count()} entries, status {competition.status}")
            if plan.complete:
                self.champion(competition)
        return self.counts


@dataclass(frozen=True)
class UnitAdmin:
    """The demo institution admin and the institution it registers for."""

    user: object
    institution_id: int

    @classmethod
    def of(cls, user) -> UnitAdmin | None:
        grant = RoleGrant.objects.filter(user=user, role=Role.INSTITUTION_ADMIN).first() if user else None
        return cls(user, grant.institution_id) if grant else None


@transaction.atomic
def seed_competition_demo(
    *, as_of: date | None = None, seed: int = 530300, password: str = DEFAULT_PASSWORD, log=None
) -> dict[str, int]:
    """Seed the competitions demo (see the module docstring); returns counts of what was created. Raises
    LookupError without the registry demo. Award certificates are issued after commit."""
    return CompetitionDemo(as_of=as_of, seed=seed, password=password, log=log).run()
