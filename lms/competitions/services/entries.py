"""Entries: units register contestants within their quota, organizers decide, codes are drawn (二次加密).

* A staff track is entered by the contestant's institution, a student track by the school or training provider;
  the unit must lie in the competition's region and registration must be open (status and dates).
* Each unit has ``Track.quota_per_unit`` places in a track unless it has its own ``Quota``; pending and approved
  entries take a place, refused and withdrawn ones free it. The track row is locked while counting, so two
  registrations cannot both take the last place.
* A person whom the track's rules do not admit (:mod:`..eligibility`) is still saved, refused, with the reasons,
  so the unit sees why. A person refused or withdrawn earlier may be registered again (the row is reused).
* At the draw every approved entry of a track gets a number (抽签号, a random permutation) and then a second code
  unique in the competition; judges and the scoreboard see only the code. The draw is audited with the number
  of entries only: the mapping stays with the organizer.
"""

from __future__ import annotations

import random
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.masking import mask_name
from lms.registry.models import Institution, Person, Post, TrainingProvider
from lms.registry.selectors import is_banned

from .. import codes, eligibility
from ..choices import Group
from ..models import Competition, Entry, Quota, Track
from ..selectors import can_manage, may_register_for

TAKING_PLACES = (Entry.Status.PENDING, Entry.Status.APPROVED)
REASON_SEPARATOR = "；"
REASON_MAX = 300


# --- quotas -----------------------------------------------------------------------------------------------------


def _unit_filter(*, institution=None, provider=None) -> dict:
    return {"institution": institution, "provider": None} if institution is not None else {"provider": provider}


def unit_quota(
    track: Track, *, institution: Institution | None = None, provider: TrainingProvider | None = None
) -> int:
    """The unit's places in ``track``: its own ``Quota``, else the track's ``quota_per_unit``."""
    quota = Quota.objects.filter(track=track, **_unit_filter(institution=institution, provider=provider)).first()
    return quota.places if quota else track.quota_per_unit


def places_taken(track: Track, *, institution=None, provider=None) -> int:
    """The unit's pending and approved entries in ``track``."""
    return Entry.objects.filter(
        track=track, status__in=TAKING_PLACES, **_unit_filter(institution=institution, provider=provider)
    ).count()


# --- eligibility ------------------------------------------------------------------------------------------------


def facts_of(person: Person) -> eligibility.Facts:
    jobs = tuple(
        eligibility.Job(start=e.start_date, end=e.end_date, post=e.post, unit_id=e.institution_id)
        for e in person.employments.all()
    )
    return eligibility.Facts(birth_date=person.birth_date, jobs=jobs, banned=is_banned(person.pk))


def rule_of(track: Track) -> eligibility.Rule:
    return eligibility.Rule(
        occupation=track.occupation,
        group=track.group,
        min_years_of_work=track.min_years_of_work,
        min_age=track.min_age,
        max_age=track.max_age,
    )


def refusal_text(refusal: eligibility.Refusal) -> str:
    """One reason, translated."""
    p = refusal.params
    if refusal.code == "banned":
        return _("under a lifetime ban (终身禁入)")
    if refusal.code == "not_on_duty":
        return _("not on duty at the registering institution")
    if refusal.code == "wrong_post":
        post = dict(Post.choices).get(p.get("post"), p.get("post"))
        return _("the post %(post)s does not practise this occupation") % {"post": post}
    if refusal.code == "too_few_years":
        return _("%(actual)s years of work, the track requires %(required)s") % p
    if refusal.code == "too_young":
        return _("aged %(age)s, the track requires at least %(min_age)s") % p
    if refusal.code == "too_old":
        return _("aged %(age)s, the track allows at most %(max_age)s") % p
    return refusal.code


def refusal_reasons(track: Track, person: Person, *, institution=None) -> list[eligibility.Refusal]:
    """Why ``person`` may not enter ``track`` for the unit (empty: eligible); the age and the years of work are
    counted on the competition's first day."""
    return eligibility.refusals(
        rule_of(track),
        facts_of(person),
        on=track.competition.starts_on,
        unit_id=institution.pk if institution is not None else None,
    )


def reason_text(refusals: list[eligibility.Refusal]) -> str:
    return REASON_SEPARATOR.join(refusal_text(r) for r in refusals)[:REASON_MAX]


# --- registration -----------------------------------------------------------------------------------------------


def _check_unit_rights(actor, competition: Competition, *, institution=None, provider=None) -> None:
    if actor is None or can_manage(actor, competition):
        return
    if not may_register_for(actor, institution=institution, provider=provider):
        raise PermissionDenied


def _check_unit(track: Track, competition: Competition, *, institution, provider) -> None:
    if track.group == Group.STAFF and (institution is None or provider is not None):
        raise ValidationError(_("A staff track is entered by the contestant's institution."), code="wrong_unit")
    if track.group == Group.STUDENT and (provider is None or institution is not None):
        raise ValidationError(_("A student track is entered by the school or training provider."), code="wrong_unit")
    unit = institution or provider
    region = competition.region
    if not unit.region.code.startswith(region.scope_prefix):
        raise ValidationError(
            _("%(unit)s is not in %(region)s, where this competition is held.") % {"unit": unit, "region": region.name},
            code="outside_region",
        )


def _check_quota(track: Track, *, institution, provider) -> None:
    quota = unit_quota(track, institution=institution, provider=provider)
    if places_taken(track, institution=institution, provider=provider) >= quota:
        raise ValidationError(
            _("%(unit)s has used all its %(quota)s places in %(track)s.")
            % {"unit": institution or provider, "quota": quota, "track": track.name},
            code="quota",
        )


@transaction.atomic
def entry_register(
    *,
    track: Track,
    person: Person,
    actor,
    institution: Institution | None = None,
    provider: TrainingProvider | None = None,
    today: date | None = None,
) -> Entry:
    """Register ``person`` in ``track`` for the unit; returns the entry, pending, or refused with the reasons
    when the track's rules do not admit the person. Raises ``ValidationError`` (nothing saved) when the unit
    may not register now (see the module docstring)."""
    track = Track.objects.select_for_update().select_related("competition", "competition__region").get(pk=track.pk)
    competition = track.competition
    _check_unit_rights(actor, competition, institution=institution, provider=provider)
    today = today or timezone.localdate()
    if competition.status != Competition.Status.OPEN:
        raise ValidationError(_("Registration for this competition is not open."), code="not_open")
    if not competition.registration_opens_on <= today <= competition.registration_closes_on:
        raise ValidationError(
            _("Registration is open from %(opens)s to %(closes)s.")
            % {"opens": competition.registration_opens_on, "closes": competition.registration_closes_on},
            code="outside_window",
        )
    _check_unit(track, competition, institution=institution, provider=provider)
    entry = Entry.objects.select_for_update().filter(competition=competition, person=person).first()
    if entry is not None and entry.status in TAKING_PLACES:
        raise ValidationError(
            _("%(name)s is already registered in this competition (%(track)s).")
            % {"name": mask_name(person.name), "track": entry.track.name},
            code="already_registered",
        )
    _check_quota(track, institution=institution, provider=provider)
    refusals = refusal_reasons(track, person, institution=institution)
    if entry is None:
        entry = Entry(competition=competition, person=person)
    entry.track = track
    entry.institution, entry.provider = institution, provider
    entry.status = Entry.Status.REFUSED if refusals else Entry.Status.PENDING
    entry.refusal_reason = reason_text(refusals)
    entry.registered_by = actor if actor is not None and actor.is_authenticated else None
    entry.registered_at = timezone.now()
    entry.decided_by, entry.decided_at = None, (timezone.now() if refusals else None)
    entry.draw_number, entry.code = None, ""
    entry.total = entry.rank = entry.stopped_after = None
    entry.award = ""
    entry.save()
    audit.record(entry, "competitions.entry.register", actor=actor, track=track.pk, status=entry.status)
    if refusals:
        audit.record(entry, "competitions.entry.refuse", actor=actor, reasons=[r.code for r in refusals], auto=True)
    return entry


# --- decisions --------------------------------------------------------------------------------------------------


def _locked_entry(entry: Entry) -> Entry:
    return (
        Entry.objects.select_for_update()
        .select_related("competition", "competition__region", "track", "track__competition", "person")
        .get(pk=entry.pk)
    )


@transaction.atomic
def entry_decide(*, entry: Entry, approve: bool, actor, reason: str = "") -> Entry:
    """The organizer approves (the rules are checked again: refused with the reasons if the person no longer
    qualifies) or refuses (with a reason) an entry, until its code is drawn."""
    entry = _locked_entry(entry)
    competition = entry.competition
    if actor is not None and not can_manage(actor, competition):
        raise PermissionDenied
    if competition.status not in (Competition.Status.OPEN, Competition.Status.RUNNING):
        raise ValidationError(_("Entries can no longer be decided in this competition."), code="closed")
    if entry.code:
        raise ValidationError(_("The contestant's code is drawn: the entry can no longer change."), code="coded")
    if entry.status == Entry.Status.WITHDRAWN:
        raise ValidationError(_("The unit has withdrawn this entry."), code="withdrawn")
    reason = (reason or "").strip()
    if approve:
        refusals = refusal_reasons(entry.track, entry.person, institution=entry.institution)
        if refusals:
            status, reason = Entry.Status.REFUSED, reason_text(refusals)
        else:
            if entry.status not in TAKING_PLACES:
                Track.objects.select_for_update().get(pk=entry.track_id)
                _check_quota(entry.track, institution=entry.institution, provider=entry.provider)
            status, reason = Entry.Status.APPROVED, ""
    else:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for refusing the entry.")}, code="reason")
        status, reason = Entry.Status.REFUSED, reason[:REASON_MAX]
    entry.status, entry.refusal_reason = status, reason
    entry.decided_by = actor if actor is not None and actor.is_authenticated else None
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    action = "competitions.entry.approve" if status == Entry.Status.APPROVED else "competitions.entry.refuse"
    audit.record(entry, action, actor=actor, reason=reason)
    return entry


@transaction.atomic
def entry_withdraw(*, entry: Entry, actor) -> Entry:
    """The unit (or the organizer) withdraws a pending or approved entry before the codes are drawn; its place
    in the quota is free again."""
    entry = _locked_entry(entry)
    _check_unit_rights(actor, entry.competition, institution=entry.institution, provider=entry.provider)
    if entry.competition.status == Competition.Status.PUBLISHED:
        raise ValidationError(_("The results are published: the entry can no longer change."), code="published")
    if entry.code:
        raise ValidationError(
            _("The contestant's code is drawn: ask the organizer to withdraw the contestant."), code="coded"
        )
    if entry.status not in TAKING_PLACES:
        raise ValidationError(_("Only a pending or approved entry can be withdrawn."), code="not_active")
    entry.status = Entry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    audit.record(entry, "competitions.entry.withdraw", actor=actor)
    return entry


# --- the draw ---------------------------------------------------------------------------------------------------


@transaction.atomic
def codes_draw(*, competition: Competition, actor, rng: random.Random | None = None) -> int:
    """Draw numbers and second codes for the approved entries that have none (idempotent); returns how many
    entries were coded. Numbers continue after the track's highest; codes are unique in the competition."""
    competition = Competition.objects.select_for_update().select_related("region").get(pk=competition.pk)
    if actor is not None and not can_manage(actor, competition):
        raise PermissionDenied
    if competition.status != Competition.Status.RUNNING:
        raise ValidationError(
            _("Codes are drawn once registration is closed and the competition is under way."), code="not_running"
        )
    rng = rng or random.SystemRandom()
    taken = set(Entry.objects.filter(competition=competition).exclude(code="").values_list("code", flat=True))
    coded = []
    for track in competition.tracks.order_by("sort_order", "pk"):
        entries = list(
            Entry.objects.filter(track=track, status=Entry.Status.APPROVED, code="", draw_number__isnull=True).order_by(
                "pk"
            )
        )
        if not entries:
            continue
        highest = Entry.objects.filter(track=track).aggregate(m=Max("draw_number"))["m"] or 0
        numbers = codes.draw_numbers([e.pk for e in entries], rng)
        entries.sort(key=lambda e: numbers[e.pk])
        second = codes.second_codes(len(entries), rng, taken=taken)
        taken |= set(second)
        for entry, code in zip(entries, second, strict=True):
            entry.draw_number, entry.code = highest + numbers[entry.pk], code
        coded.extend(entries)
    if coded:
        Entry.objects.bulk_update(coded, ["draw_number", "code"])
        Competition.board_changed(competition.pk)
        audit.record(competition, "competitions.entry.draw", actor=actor, count=len(coded))
    return len(coded)
