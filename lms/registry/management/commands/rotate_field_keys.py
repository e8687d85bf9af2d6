from django.core.management.base import BaseCommand

from lms.registry.services.keys import field_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the first key of FIELD_ENCRYPTION_KEYS. Rotate a key by putting a new "
        "key first (keep the old ones after it), running this command, then removing the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        count = field_keys_rotate(batch_size=options["batch_size"])
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} people under the primary key."))
