from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from certificates import selectors
from certificates.services import completion_certificate


class Command(BaseCommand):
    help = (
        "Issue the training certificates of course completions that have none yet (idempotent: run it again "
        "after an outage, it issues only what is missing). Prints how many were issued and refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many completions.")
        parser.add_argument("--no-pdf", action="store_true", help="Do not queue the PDF rendering.")

    def handle(self, *args, limit=None, no_pdf=False, **options):
        pending = selectors.completions_without_certificate().select_related("person", "course")
        if limit:
            pending = pending[:limit]
        issued = existing = refused = 0
        for completion in pending.iterator(chunk_size=500):
            try:
                _certificate, created = completion_certificate(completion=completion, render=not no_pdf)
            except ValidationError as exc:
                refused += 1
                self.stderr.write(f"completion {completion.pk}: {'; '.join(exc.messages)}")
                continue
            issued += created
            existing += not created
        self.stdout.write(
            self.style.SUCCESS(f"Issued {issued} certificates; {existing} already existed; {refused} refused.")
        )
