"""Builders for certificate tests: courses and completions to certify, certificates issued through the service.

Certificates are never built field by field: they are issued by ``services.certificate_issue`` so that the
number, status index, snapshot, digest and signature are the real ones. The three certificate types come
from the data migration (``certificate_type("training" | "skill" | "award")``).

Typical use::

    certificate = issue_certificate()                                  # a training certificate, new holder
    completion = make_completion(person=person, course=make_course())  # a completion to certify
    certificate = services.issue_for_completion(completion_id=completion.pk)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.utils import timezone
from wagtail.models import Page

from certificates.models import Certificate, CertificateType
from certificates.services import certificate_issue
from lms.learning.choices import HoursSource, Occupation, TrainingKind
from lms.learning.models import (
    AnnualHoursRequirement,
    CourseCompletion,
    CoursePage,
    Enrollment,
    HoursEntry,
    ProviderCatalogue,
    TrainingCatalogue,
)
from lms.registry.models import Post, TrainingProvider
from tests import factories as f

SEED_TYPES = import_module("certificates.migrations.0002_seed_certificate_types").TYPES


def certificate_type(code: str = "training") -> CertificateType:
    """A seeded type (seeded again if a transactional test flushed the tables)."""
    if not CertificateType.objects.filter(code=code).exists():
        for row in SEED_TYPES:
            CertificateType.objects.get_or_create(code=row["code"], defaults={**row, "layout": row["code"]})
    return CertificateType.objects.get(code=code)


def issue_certificate(
    *,
    holder=None,
    type_code: str = "training",
    achievement_key: str | None = None,
    provider=None,
    issued_on: dt.date | None = None,
    actor=None,
    render: bool = False,
    **fields,
) -> Certificate:
    """Issue a certificate through the service (no PDF unless ``render``); ``fields`` go into the snapshot."""
    holder = holder or f.PersonFactory(name="张丽华")
    snapshot_fields = {"occupation": Occupation.CHILDCARE_WORKER, "course_title": "婴幼儿回应性照护", "hours": "64.0"}
    if type_code == "skill":
        snapshot_fields["level"] = 3
    snapshot_fields.update(fields)
    if type_code == "skill" and provider is None:
        provider = TrainingProvider.objects.filter(body_code="QJPX").first() or f.TrainingProviderFactory(
            body_code="QJPX", kind=TrainingProvider.Kind.ASSESSMENT
        )
    certificate, _created = certificate_issue(
        type=certificate_type(type_code),
        holder=holder,
        achievement_key=achievement_key or f"test:{holder.pk}:{Certificate.objects.count()}",
        snapshot_fields=snapshot_fields,
        provider=provider,
        issued_on=issued_on,
        actor=actor,
        render=render,
    )
    return certificate


def make_course(*, provider=None, **fields) -> CoursePage:
    """A live course (no lessons, so ``completion_check`` completes an enrollment at once) in the provider's
    section of the training catalogue."""
    catalogue = TrainingCatalogue.objects.first()
    if catalogue is None:
        catalogue = Page.get_first_root_node().add_child(instance=TrainingCatalogue(title="培训课程", slug="courses"))
    provider = provider or f.TrainingProviderFactory()
    section = ProviderCatalogue.objects.filter(provider=provider).first()
    if section is None:
        section = catalogue.add_child(
            instance=ProviderCatalogue(title=provider.name, slug=f"p-{provider.pk}", provider=provider)
        )
    values = {
        "title": "保育人员岗前培训",
        "slug": f"cert-course-{CoursePage.objects.count() + 1}",
        "kind": TrainingKind.PRE_JOB,
        "occupation": Occupation.CHILDCARE_WORKER,
        "required_hours": Decimal("64.0"),
        **fields,
    }
    return section.add_child(instance=CoursePage(**values))


def make_enrollment(*, person=None, course=None) -> Enrollment:
    return Enrollment.objects.create(person=person or f.PersonFactory(), course=course or make_course())


def make_completion(*, person=None, course=None, hours: str = "64.0", completed_at=None) -> CourseCompletion:
    """A completion written directly (no event); use ``services.completion_check`` to go through learning."""
    enrollment = make_enrollment(person=person, course=course)
    completed_at = completed_at or timezone.now()
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.completed_at = completed_at
    enrollment.save(update_fields=["status", "completed_at"])
    return CourseCompletion.objects.create(
        enrollment=enrollment,
        person=enrollment.person,
        course=enrollment.course,
        hours=Decimal(hours),
        completed_at=completed_at,
    )


def in_service_requirement(*, post: str = Post.CAREGIVER, hours: str = "24.0") -> AnnualHoursRequirement:
    requirement, _ = AnnualHoursRequirement.objects.update_or_create(
        post=post, kind=TrainingKind.IN_SERVICE, defaults={"hours": Decimal(hours)}
    )
    return requirement


def credit_in_service_hours(person, *, year: int, hours: str = "24.0") -> HoursEntry:
    return HoursEntry.objects.create(
        person=person,
        year=year,
        occurred_on=dt.date(year, 2, 1),
        kind=TrainingKind.IN_SERVICE,
        source=HoursSource.MANUAL,
        hours=Decimal(hours),
        key=f"test:{person.pk}:{year}:{HoursEntry.objects.count()}",
    )
