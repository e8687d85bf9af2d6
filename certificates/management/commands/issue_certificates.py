from django.core.management.base import BaseCommand

from certificates import selectors
from certificates.services import completions_certify
from certificates.services.awards import award_certificates_catch_up

CHUNK = 500


class Command(BaseCommand):
    help = (
        "Issue the training certificates of course completions that have none yet, and the award certificates of "
        "published competitions' prize winners (idempotent: run it again after an outage, it issues only what is "
        "missing). Prints how many were issued and refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many completions.")
        parser.add_argument("--no-pdf", action="store_true", help="Do not queue the PDF rendering.")

    def handle(self, *args, limit=None, no_pdf=False, **options):
        pending = selectors.completions_without_certificate().select_related("person", "course")
        if limit:
            pending = pending[:limit]
        issued = existing = refused = 0
        chunk = []
        for completion in [*pending.iterator(chunk_size=CHUNK), None]:
            if completion is not None:
                chunk.append(completion)
                if len(chunk) < CHUNK:
                    continue
            for done, outcome in zip(chunk, completions_certify(completions=chunk, render=not no_pdf), strict=True):
                if outcome.certificate is None:
                    refused += 1
                    self.stderr.write(f"completion {done.pk}: {outcome.error}")
                else:
                    issued += outcome.created
                    existing += not outcome.created
            chunk = []
        self.stdout.write(
            self.style.SUCCESS(f"Issued {issued} certificates; {existing} already existed; {refused} refused.")
        )
        self.stdout.write(self.style.SUCCESS(f"Issued {award_certificates_catch_up()} award certificates."))
