"""The verification log write: one row per check, committed on its own (asynchronously on PostgreSQL), and a
failed write leaves the database connection usable."""

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from certificates.models import VerificationLog
from certificates.services import verification

pytestmark = pytest.mark.django_db(transaction=True)  # autocommit, as in a request


def row(**changes) -> dict:
    return {
        "at": timezone.now(),
        "certificate_id": None,
        "status": "invalid",
        "channel": "api",
        "user_id": None,
        "client": "c" * 16,
        **changes,
    }


def test_a_check_is_logged_and_committed():
    verification.certificate_verify(payload="NOT-A-PAYLOAD", channel="api", client="abc")
    entry = VerificationLog.objects.get()
    assert (entry.status, entry.channel, entry.client, entry.certificate_id) == ("invalid", "api", "abc", None)
    assert connection.get_autocommit() and not connection.in_atomic_block


@pytest.mark.parametrize(
    "bad",
    [
        {"certificate_id": 2_000_000_000},  # a foreign key checked at COMMIT (deferred constraint)
        {"status": None},  # NOT NULL, checked at the INSERT itself
    ],
)
def test_a_failed_write_raises_and_leaves_the_connection_usable(bad):
    with pytest.raises(IntegrityError):
        verification._log(row(**bad))
    assert VerificationLog.objects.count() == 0
    verification._log(row())  # the next request's write works
    assert VerificationLog.objects.count() == 1
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == verification.IDLE
