"""The verification log write: one row per check, committed on its own (asynchronously on PostgreSQL), and a
failed write leaves the database connection usable."""

import time

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from certificates.models import VerificationLog
from certificates.services import verification, verification_log

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
        verification_log.write([row(**bad)])
    assert VerificationLog.objects.count() == 0
    verification_log.write([row()])  # the next request's write works
    assert VerificationLog.objects.count() == 1
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == verification_log.IDLE


# --- batched logging (production) ------------------------------------------------------------------------------


@pytest.fixture
def batched(settings):
    settings.CERTIFICATES_VERIFY_LOG_BATCH = 3
    settings.CERTIFICATES_VERIFY_LOG_DELAY = 60  # the background writer stays asleep during the test
    yield
    verification_log.flush()


def test_batched_checks_are_written_when_a_batch_is_full(batched):
    for _ in range(2):
        verification.certificate_verify(payload="NOT-A-PAYLOAD", channel="api", client="abc")
    assert VerificationLog.objects.count() == 0  # answered without a database write
    verification.certificate_verify(payload="NOT-A-PAYLOAD", channel="page", client="abc")
    assert sorted(VerificationLog.objects.values_list("channel", flat=True)) == ["api", "api", "page"]


def test_a_partial_batch_is_written_by_the_flush(batched):
    verification.certificate_verify(payload="NOT-A-PAYLOAD", channel="api", client="abc")
    assert verification_log.flush() == 1
    assert VerificationLog.objects.count() == 1
    assert verification_log.flush() == 0


def test_the_background_writer_flushes_after_the_delay(settings):
    settings.CERTIFICATES_VERIFY_LOG_BATCH = 100
    settings.CERTIFICATES_VERIFY_LOG_DELAY = 0.05
    verification_log._flusher = None  # a fresh writer with this delay
    verification.certificate_verify(payload="NOT-A-PAYLOAD", channel="api", client="abc")
    deadline = time.monotonic() + 10
    while not VerificationLog.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert VerificationLog.objects.count() == 1


def test_a_bad_row_in_a_batch_does_not_lose_the_others(batched):
    verification_log._pending.extend([row(), row(certificate_id=2_000_000_000), row()])
    assert verification_log.flush() == 2
    assert VerificationLog.objects.count() == 2
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == verification_log.IDLE
