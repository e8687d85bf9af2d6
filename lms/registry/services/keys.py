"""Re-encrypting personal data under the newest field key."""

from __future__ import annotations

import logging

from django.db import transaction

from .. import crypto
from ..models import Person, RosterImport

logger = logging.getLogger(__name__)


def field_keys_rotate(*, batch_size: int = 1000) -> int:
    """Re-encrypt every encrypted value under the primary key in FIELD_ENCRYPTION_KEYS.

    Safe to stop and re-run: each batch commits on its own and re-encrypting an already current
    value only changes its ciphertext. Returns the number of people re-encrypted.
    """
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            people = list(
                Person.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "id_number_encrypted", "phone_encrypted")[:batch_size]
            )
            if not people:
                break
            for person in people:
                person.id_number_encrypted = crypto.rotate(person.id_number_encrypted)
                if person.phone_encrypted:
                    person.phone_encrypted = crypto.rotate(person.phone_encrypted)
            Person.objects.bulk_update(people, ["id_number_encrypted", "phone_encrypted"])
        done += len(people)
        last_pk = people[-1].pk
    for roster in RosterImport.objects.filter(content_encrypted__isnull=False):
        roster.content_encrypted = crypto.encrypt_bytes(crypto.decrypt_bytes(roster.content_encrypted))
        roster.save(update_fields=["content_encrypted"])
    logger.info("re-encrypted %d people under the primary field key", done)
    return done
