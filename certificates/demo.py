"""Deterministic demo certificates (``manage.py seed_demo_certificates``), on top of the registry and learning demos.

Everything goes through the real services, so the rows, numbers, signatures, audit entries and status lists are
exactly what production would have:

* training certificates for **every** demo course completion still without one, through the admin's bulk path
  (``batch_create`` + ``batch_issue_run``): the learning demo writes most completions in bulk, without the
  ``course_completed`` event that issues certificates automatically;
* skill level certificates (保育师 四级 for the demo ``caregiver``, 保育师 三级, 育婴员 五级) with 22-character
  numbers of the demo assessment body, and a competition award certificate for the caregiver
  (``certificate_issue``; achievement keys ``demo-skill:<person id>``, ``demo-award:<person id>``);
* one example of each status: a completion certificate revoked for fraud, one suspended during a review, and one
  expired (a training certificate issued three years ago that was never renewed: ``demo-expired:<person id>``);
* the daily renewal run (``renewals_and_reminders_run``), as the beat would have done it.

PDFs are rendered now for the caregiver's certificates only; the others are rendered on demand (the holder's
download renders a missing PDF), which keeps the demo fast at province scale. Re-running issues only what is
missing and changes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.learning.choices import Occupation
from lms.registry.models import Person, Post, TrainingProvider

from . import selectors, services
from .fonts import FontMissing
from .models import (
    Certificate,
    CertificateReminder,
    CertificateType,
    Counter,
    IssuanceBatch,
    VerificationLog,
)

SKILL_KEY = "demo-skill:{}"
AWARD_KEY = "demo-award:{}"
EXPIRED_KEY = "demo-expired:{}"
STATUS_KEY = "demo-{}:{}"  # fallback examples when no completion certificate can be revoked or suspended
ASSESSMENT_BODY = "YNPJ"  # the demo's 云南省托育服务职业技能评价中心
AWARD_ISSUER = "曲靖市人力资源和社会保障局"
FRAUD_NOTE = "培训签到记录造假，经核查属实（演示数据）"
REVIEW_NOTE = "收到举报，正在核查培训记录（演示数据）"


def demo_exists() -> bool:
    """Whether the demo certificates were seeded (the skill level examples exist)."""
    return Certificate.objects.filter(achievement_key__startswith=SKILL_KEY.format("")).exists()


@transaction.atomic
def reset_certificates() -> dict[str, int]:
    """Delete every certificate with its stored files, and the logs, reminders, batches and counters that go with
    them. Signing keys and certificate types stay."""
    files = []
    for pdf, photo in Certificate.objects.values_list("pdf", "photo"):
        files += [name for name in (pdf, photo) if name]
    storage = Certificate._meta.get_field("pdf").storage
    deleted = {
        "verificationlog": VerificationLog.objects.all().delete()[0],
        "certificatereminder": CertificateReminder.objects.all().delete()[0],
        "issuancebatch": IssuanceBatch.objects.all().delete()[0],
        "certificate": Certificate.objects.all().delete()[0],
        "counter": Counter.objects.all().delete()[0],
    }

    def delete_files():
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    transaction.on_commit(selectors.status_cache_drop)
    deleted["files"] = len(files)
    return deleted


@contextmanager
def deferred_rendering() -> Iterator[list[tuple[int, bool]]]:
    """Record, instead of running or queueing, the PDF renders the services ask for (``render_pdf(s)_task.delay``).

    The bulk issuance path always queues one render per certificate; at seed time the demo renders only the
    caregiver's and leaves the rest to be rendered on demand. Yields the list of ``(certificate id, force)``.
    """
    from . import tasks

    calls: list[tuple[int, bool]] = []

    def record(certificate_id: int, force: bool = False) -> None:
        calls.append((certificate_id, force))

    def record_many(certificate_ids: list[int]) -> None:
        calls.extend((pk, False) for pk in certificate_ids)

    tasks.render_pdf_task.delay = record  # instance attributes, shadowing Task.delay
    tasks.render_pdfs_task.delay = record_many
    try:
        yield calls
    finally:
        del tasks.render_pdf_task.delay
        del tasks.render_pdfs_task.delay


class CertificatesDemo:
    def __init__(self, *, as_of: date | None = None, log: Callable[[str], None] | None = None):
        self.as_of = as_of or timezone.localdate()
        self.log = log or (lambda msg: None)
        self.counts = dict.fromkeys(
            ["completion_certificates", "skill", "award", "expired", "revoked", "suspended", "renewed", "pdfs"], 0
        )
        self.warnings: list[str] = []
        self.examples: dict[str, Certificate] = {}

    # ---- people -------------------------------------------------------------------------------------------------

    def people(self, caregiver: Person, n: int) -> list[Person]:
        """The first ``n`` on-duty caregivers of the demo city without a login (a stable order), caregiver excluded."""
        return list(
            Person.objects.filter(
                employments__post=Post.CAREGIVER,
                employments__end_date__isnull=True,
                employments__institution__region__code__startswith="5303",
                user__isnull=True,
            )
            .exclude(pk=caregiver.pk)
            .order_by("id_number_hash")
            .distinct()[:n]
        )

    # ---- issuance -----------------------------------------------------------------------------------------------

    def completions(self, actor) -> None:
        """Certify every completion without a certificate through the bulk path (a batch, processed in chunks)."""
        pending = list(selectors.completions_without_certificate().values_list("pk", flat=True))
        if not pending:
            return
        batch = services.batch_create(completion_ids=pending, actor=actor)
        # Without a broker the batch ran when batch_create committed; with one, a worker may be running it too:
        # running it here as well is safe (chunks are locked and issuance is idempotent).
        batch = services.batch_issue_run(batch_id=batch.pk)
        self.counts["completion_certificates"] += batch.issued
        self.log(f"bulk issuance #{batch.pk}: {batch.issued} issued, {batch.failed} refused of {batch.total}")

    def issue(self, *, type_code: str, holder: Person, key: str, fields: dict, issued_on: date, actor, **kw):
        certificate, created = services.certificate_issue(
            type=CertificateType.objects.get(code=type_code),
            holder=holder,
            achievement_key=key,
            snapshot_fields=fields,
            actor=actor,
            issued_on=issued_on,
            **kw,
        )
        return certificate, created

    def skills(self, caregiver: Person, others: list[Person], actor) -> None:
        body = TrainingProvider.objects.select_related("region").filter(body_code=ASSESSMENT_BODY).first()
        if body is None:
            self.warnings.append(f"no assessment body {ASSESSMENT_BODY}: no skill level certificates")
            return
        plan = [
            (caregiver, Occupation.CHILDCARE_WORKER, 4, 120),  # 保育师 四级/中级工
            (others[0], Occupation.CHILDCARE_WORKER, 3, 200),  # 保育师 三级/高级工
            (others[1], Occupation.INFANT_CARER, 5, 45),  # 育婴员 五级/初级工
        ]
        for person, occupation, level, days_ago in plan:
            certificate, created = self.issue(
                type_code="skill",
                holder=person,
                key=SKILL_KEY.format(person.pk),
                fields={"occupation": occupation, "level": level, "direction": "--"},
                issued_on=self.as_of - timedelta(days=days_ago),
                actor=actor,
                provider=body,
            )
            self.counts["skill"] += created
            self.examples.setdefault("skill", certificate)

    def award(self, caregiver: Person, actor) -> None:
        year = self.as_of.year
        certificate, created = self.issue(
            type_code="award",
            holder=caregiver,
            key=AWARD_KEY.format(caregiver.pk),
            fields={
                "competition_title": f"{year}年曲靖市托育服务职业技能竞赛（保育师赛项）",
                "award_label": "二等奖",
                "occupation": Occupation.CHILDCARE_WORKER,
                "issuer": AWARD_ISSUER,
            },
            issued_on=self.as_of - timedelta(days=30),
            actor=actor,
        )
        self.counts["award"] += created
        self.examples["award"] = certificate

    def expired(self, person: Person, actor) -> None:
        """A training certificate issued three years ago and never renewed: expired since 31 March two years ago
        (out of reach of the renewal run, which looks one year back)."""
        provider = TrainingProvider.objects.filter(body_code="QJPX").first()
        certificate, created = self.issue(
            type_code="training",
            holder=person,
            key=EXPIRED_KEY.format(person.pk),
            fields={
                "occupation": Occupation.CHILDCARE_WORKER,
                "course_title": "保育人员岗前培训（旧版课程）",
                "hours": "120.0",
                "training_kind": "pre_job",
            },
            issued_on=date(self.as_of.year - 3, 9, 15),
            actor=actor,
            provider=provider,
        )
        self.counts["expired"] += created
        self.examples["expired"] = certificate

    # ---- status examples ----------------------------------------------------------------------------------------

    def candidate(self, exclude: set[int], purpose: str, person: Person, actor) -> Certificate:
        """A currently valid completion certificate of someone else (stable choice), else a dedicated one."""
        certificate = (
            Certificate.objects.filter(achievement_key__startswith="completion:", status=Certificate.Status.VALID)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=self.as_of))
            .exclude(holder_id__in=exclude)
            .order_by("number")
            .first()
        )
        if certificate is not None:
            return certificate
        certificate, _created = self.issue(
            type_code="training",
            holder=person,
            key=STATUS_KEY.format(purpose, person.pk),
            fields={"occupation": Occupation.CHILDCARE_WORKER, "course_title": "保育人员岗前培训", "hours": "64.0"},
            issued_on=self.as_of - timedelta(days=20),
            actor=actor,
        )
        return certificate

    def statuses(self, exclude: set[int], people: list[Person], actor) -> None:
        revoked = Certificate.objects.filter(
            status=Certificate.Status.REVOKED, revocation_reason=Certificate.Reason.FRAUD
        ).first()
        if revoked is None:
            revoked = services.certificate_revoke(
                certificate=self.candidate(exclude, "revoked", people[0], actor),
                reason=Certificate.Reason.FRAUD,
                note=FRAUD_NOTE,
                actor=actor,
            )
            self.counts["revoked"] += 1
        self.examples["revoked"] = revoked
        suspended = Certificate.objects.filter(status=Certificate.Status.SUSPENDED).first()
        if suspended is None:
            suspended = services.certificate_suspend(
                certificate=self.candidate(exclude | {revoked.holder_id}, "suspended", people[1], actor),
                reason=Certificate.Reason.FRAUD,
                note=REVIEW_NOTE,
                actor=actor,
            )
            self.counts["suspended"] += 1
        self.examples["suspended"] = suspended

    # ---- documents ----------------------------------------------------------------------------------------------

    def render(self, caregiver: Person, requested: list[tuple[int, bool]]) -> None:
        """Render the caregiver's PDFs now; re-render (forced) the others that already had one (a renewal
        changed them); leave the rest to be rendered on demand."""
        forced = {pk for pk, force in requested if force}
        own = set(selectors.holder_certificates(caregiver).values_list("pk", flat=True))
        stale = set(Certificate.objects.filter(pk__in=forced).exclude(pdf="").values_list("pk", flat=True))
        for pk, has_pdf in Certificate.objects.filter(pk__in=own | stale).order_by("pk").values_list("pk", "pdf"):
            if has_pdf and pk not in forced:
                continue
            try:
                services.certificate_pdf_render(certificate_id=pk, force=pk in forced)
            except FontMissing as exc:
                self.warnings.append(f"PDFs not rendered (they will be on demand once a font is set up): {exc}")
                return
            self.counts["pdfs"] += 1

    # ---- everything ---------------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        caregiver = Person.objects.filter(user__username="caregiver").first()
        if caregiver is None:
            raise LookupError("the registry demo is missing: run `manage.py seed_demo` first")
        from lms.learning.demo import demo_exists as learning_demo_exists

        if not learning_demo_exists():
            raise LookupError("the learning demo is missing: run `manage.py seed_demo_learning` first")
        actor = get_user_model().objects.filter(username="admin").first()
        people = self.people(caregiver, 6)
        if len(people) < 5:
            raise LookupError("the registry demo has too few caregivers for the certificate examples")
        with deferred_rendering() as requested:
            self.completions(actor)
            self.skills(caregiver, people[:2], actor)
            self.award(caregiver, actor)
            self.expired(people[2], actor)
            self.statuses({caregiver.pk, *(p.pk for p in people[:3])}, people[3:], actor)
            self.counts["renewed"] = services.renewals_and_reminders_run(today=self.as_of)["renewed"]
        self.render(caregiver, requested)
        self.counts["certificates"] = Certificate.objects.count()
        return self.counts
