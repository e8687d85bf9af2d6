"""Staff roster import: dry-run preview, then an atomic, idempotent commit.

The preview parses the upload and stores the parsed rows encrypted with its report; the commit
re-validates those rows against the database as it is *then*, and applies every valid row in one transaction using
bulk queries (a few queries per 500 rows rather than several per row). Rows with errors are
skipped and stay listed in the report; re-importing the same file changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, crypto
from ..masking import mask_name
from ..models import Employment, HealthCheck, Institution, Person, RosterImport
from ..roster_file import RosterFileError, RosterTable, dump_table, load_table, read_roster
from ..selectors import institutions_for_roster
from ..staff_rows import COLUMNS, RowError, StaffRow, validate_rows
from .people import id_fields, phone_fields

CHUNK = 500
# States from which an import may be started (again).
RETRYABLE = (RosterImport.Status.PREVIEWED, RosterImport.Status.FAILED)


@dataclass
class RosterPlan:
    """What a commit would do, and the rows it must skip."""

    rows: list[StaffRow]
    errors: list[RowError]
    total: int
    existing: dict[str, Person] = field(default_factory=dict)  # id hash -> person

    @property
    def skipped(self) -> int:
        """Data rows that will not be imported (all of them when a required column is missing)."""
        return self.total - len(self.rows)


def _name_header() -> str:
    return next(c.header for c in COLUMNS if c.key == "name")


def plan_roster(table: RosterTable, *, today: date) -> RosterPlan:
    """Validate a parsed roster against the file's own rules and the registered people."""
    rows, errors = validate_rows(table, today=today)
    hashes = {crypto.lookup_hash(r.id.value): r for r in rows}
    existing: dict[str, Person] = {}
    keys = list(hashes)
    for i in range(0, len(keys), CHUNK):
        for person in Person.objects.filter(id_number_hash__in=keys[i : i + CHUNK]).only(
            "id", "name", "id_number_hash", "phone_encrypted", "phone_masked"
        ):
            existing[person.id_number_hash] = person
    ok: list[StaffRow] = []
    for h, row in hashes.items():
        person = existing.get(h)
        if person is not None and person.name != row.name:
            errors.append(
                RowError(
                    row.row,
                    _name_header(),
                    _("This ID number is registered as “%(registered)s”, not “%(given)s”.")
                    % {"registered": mask_name(person.name), "given": row.name},
                )
            )
        else:
            ok.append(row)
    errors.sort(key=lambda e: (e.row, e.column))
    ok.sort(key=lambda r: r.row)
    return RosterPlan(rows=ok, errors=errors, total=len(table.rows), existing=existing)


def _check_institution(user, institution: Institution) -> None:
    if not institutions_for_roster(user).filter(pk=institution.pk).exists():
        raise PermissionDenied(_("You may not import the staff roster of this institution."))


@transaction.atomic
def roster_preview(*, institution: Institution, data: bytes, filename: str, actor) -> RosterImport:
    """Dry run: validate the file and keep it (encrypted) with its report; changes no staff data."""
    _check_institution(actor, institution)
    try:
        table = read_roster(data, filename)
    except RosterFileError as exc:
        table, plan = None, RosterPlan(rows=[], errors=[RowError(0, "", str(exc))], total=0)
    else:
        plan = plan_roster(table, today=timezone.localdate())
    roster = RosterImport.objects.create(
        institution=institution,
        uploaded_by=actor,
        filename=filename[:200],
        content_sha256=hashlib.sha256(data).hexdigest(),
        # the parsed rows, so the import re-validates them without parsing the workbook again
        content_encrypted=crypto.encrypt_bytes(dump_table(table)) if table else None,
        total_rows=plan.total,
        error_rows=plan.skipped,
        errors=[e.as_dict() for e in plan.errors],
    )
    audit.record(roster, "registry.roster.preview", actor=actor, rows=plan.total, errors=plan.skipped)
    return roster


def roster_can_commit(roster: RosterImport) -> bool:
    return roster.status in RETRYABLE and roster.valid_rows > 0 and bool(roster.content_encrypted)


@transaction.atomic
def roster_start_commit(*, roster: RosterImport, actor) -> bool:
    """Mark a previewed roster as importing and queue the import; False if it cannot be imported."""
    from ..tasks import roster_import_commit

    if roster.valid_rows == 0:
        return False
    claimed = RosterImport.objects.filter(
        pk=roster.pk, status__in=RETRYABLE, content_encrypted__isnull=False, total_rows__gt=0
    ).update(status=RosterImport.Status.COMMITTING)
    if not claimed:
        return False
    transaction.on_commit(lambda: roster_import_commit.delay(roster.pk))
    return True


def roster_commit(*, roster_id: int, actor=None) -> RosterImport:
    """Apply the valid rows of a previewed roster in one transaction (idempotent).

    If the import fails, nothing of it is written and the roster is marked failed, so that the
    user sees it and can start it again, instead of a page that says "importing" for ever.
    """
    try:
        return _roster_commit(roster_id=roster_id, actor=actor)
    except Exception:
        RosterImport.objects.filter(pk=roster_id).exclude(status=RosterImport.Status.COMMITTED).update(
            status=RosterImport.Status.FAILED
        )
        raise


@transaction.atomic
def _roster_commit(*, roster_id: int, actor=None) -> RosterImport:
    roster = RosterImport.objects.select_for_update().select_related("institution").get(pk=roster_id)
    if roster.status == RosterImport.Status.COMMITTED:
        return roster  # already applied: a replayed task or a double click changes nothing
    if not roster.content_encrypted:
        raise ValueError("roster upload already purged")
    table = load_table(crypto.decrypt_bytes(roster.content_encrypted))
    plan = plan_roster(table, today=timezone.localdate())
    counts = apply_roster(roster.institution, plan)

    roster.status = RosterImport.Status.COMMITTED
    roster.errors = [e.as_dict() for e in plan.errors]
    roster.error_rows = plan.skipped
    roster.created_count, roster.updated_count, roster.unchanged_count = counts
    roster.committed_at = timezone.now()
    roster.content_encrypted = None  # the clear upload is no longer needed
    roster.save()
    audit.record(
        roster,
        "registry.roster.commit",
        actor=actor or roster.uploaded_by,
        sha256=roster.content_sha256,
        created=counts[0],
        updated=counts[1],
        unchanged=counts[2],
        skipped=roster.error_rows,
    )
    return roster


def apply_roster(institution: Institution, plan: RosterPlan) -> tuple[int, int, int]:
    """Write the plan's rows; returns (created, updated, unchanged) counted per row."""
    created = updated = unchanged = 0
    # 1. people: create the new ones, update changed phones of known ones
    new_people, changed_people = [], []
    row_hash: dict[int, str] = {}
    changed_rows: set[int] = set()
    for row in plan.rows:
        h = crypto.lookup_hash(row.id.value)
        row_hash[row.row] = h
        person = plan.existing.get(h)
        if person is None:
            new_people.append(Person(name=row.name, **id_fields(row.id, id_hash=h), **phone_fields(row.phone)))
        elif row.phone and row.phone != person.phone:
            for key, value in phone_fields(row.phone).items():
                setattr(person, key, value)
            changed_people.append(person)
            changed_rows.add(row.row)
    Person.objects.bulk_create(new_people, batch_size=CHUNK)
    Person.objects.bulk_update(changed_people, ["phone_encrypted", "phone_masked"], batch_size=CHUNK)
    person_ids = dict(plan.existing.items())
    for person in new_people:
        person_ids[person.id_number_hash] = person
    if any(p.pk is None for p in new_people):  # backends without RETURNING
        hashes = [p.id_number_hash for p in new_people]
        for i in range(0, len(hashes), CHUNK):
            for pk, h in Person.objects.filter(id_number_hash__in=hashes[i : i + CHUNK]).values_list(
                "pk", "id_number_hash"
            ):
                person_ids[h].pk = pk

    # 2. employments at this institution, keyed by (person, post, start)
    pids = [person_ids[row_hash[r.row]].pk for r in plan.rows]
    current: dict[tuple, Employment] = {}
    for i in range(0, len(pids), CHUNK):
        for emp in Employment.objects.filter(institution=institution, person_id__in=pids[i : i + CHUNK]).order_by():
            current[(emp.person_id, emp.post, emp.start_date)] = emp
    new_emps, changed_emps, new_checks = [], [], []
    check_keys: set[tuple[int, date]] = set()
    for row in plan.rows:
        pid = person_ids[row_hash[row.row]].pk
        emp = current.get((pid, row.post, row.start_date))
        if emp is None:
            new_emps.append(
                Employment(
                    person_id=pid,
                    institution=institution,
                    post=row.post,
                    start_date=row.start_date,
                    end_date=row.end_date,
                )
            )
            created += 1
        elif emp.end_date != row.end_date:
            emp.end_date = row.end_date
            changed_emps.append(emp)
            updated += 1
        elif row.row in changed_rows:
            updated += 1
        else:
            unchanged += 1
        if row.health_check_date:
            check_keys.add((pid, row.health_check_date))
    Employment.objects.bulk_create(new_emps, batch_size=CHUNK)
    Employment.objects.bulk_update(changed_emps, ["end_date"], batch_size=CHUNK)

    # 3. health checks (one per person and date)
    if check_keys:
        known = set()
        people = [k[0] for k in check_keys]
        for i in range(0, len(people), CHUNK):
            known.update(
                HealthCheck.objects.filter(person_id__in=people[i : i + CHUNK])
                .order_by()
                .values_list("person_id", "checked_on")
            )
        new_checks = [HealthCheck(person_id=p, checked_on=d) for p, d in check_keys - known]
        HealthCheck.objects.bulk_create(new_checks, batch_size=CHUNK)
    return created, updated, unchanged


def purge_stale_uploads(*, older_than_days: int = 7) -> int:
    """Drop the encrypted uploads of previews nobody committed; returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return RosterImport.objects.filter(
        status=RosterImport.Status.PREVIEWED, created_at__lt=cutoff, content_encrypted__isnull=False
    ).update(content_encrypted=None)
