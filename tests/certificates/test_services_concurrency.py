"""Two workers issuing the same certificate at the same moment (PostgreSQL: real row locks and constraints)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from certificates.models import Certificate, SigningKey
from certificates.services import certificate_issue
from tests import factories as f

from .factories import certificate_type

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL); SQLite serialises writers"
)


def _race(workers: int, call) -> tuple[list, list]:
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_issue_one_certificate():
    holder = f.PersonFactory()
    type = certificate_type("training")
    provider = f.TrainingProviderFactory(body_code="QJPX")

    def issue():
        certificate, created = certificate_issue(
            type=type,
            holder=holder,
            achievement_key="completion:1",
            snapshot_fields={"course_title": "保育师岗前培训"},
            provider=provider,
            render=False,
        )
        return certificate.pk, created

    results, errors = _race(2, issue)
    assert not errors, errors
    assert sorted(created for _pk, created in results) == [False, True]
    assert len({pk for pk, _created in results}) == 1
    assert Certificate.objects.count() == 1
    assert SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_get_distinct_numbers_and_indexes():
    type = certificate_type("training")
    provider = f.TrainingProviderFactory(body_code="QJPX")
    holders = [f.PersonFactory() for _ in range(4)]
    lock = threading.Lock()

    def issue():
        with lock:
            holder = holders.pop()
        certificate, _created = certificate_issue(
            type=type,
            holder=holder,
            achievement_key="completion:1",
            snapshot_fields={},
            provider=provider,
            render=False,
        )
        return certificate.number, certificate.status_index

    results, errors = _race(4, issue)
    assert not errors, errors
    assert len({number for number, _ in results}) == 4
    assert sorted(index for _, index in results) == [0, 1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_two_bulk_issuances_of_overlapping_requests():
    from certificates.services import IssueRequest, certificates_issue_many

    type = certificate_type("training")
    people = [f.PersonFactory() for _ in range(6)]
    lock = threading.Lock()
    slices = [people[:4], people[2:]]  # people[2:4] in both

    def issue():
        with lock:
            mine = slices.pop()
        requests = [IssueRequest(holder=p, achievement_key="completion:1", snapshot_fields={}) for p in mine]
        outcomes = certificates_issue_many(type=type, requests=requests, render=False)
        return [(o.certificate.pk, o.created) for o in outcomes]

    results, errors = _race(2, issue)
    assert not errors, errors
    assert Certificate.objects.count() == 6
    created = [pk for outcome in results for pk, was_created in outcome if was_created]
    assert sorted(created) == sorted(Certificate.objects.values_list("pk", flat=True))  # each created once
