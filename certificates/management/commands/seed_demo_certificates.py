"""``manage.py seed_demo_certificates``: demo certificates of every kind and status, on top of the learning demo."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...demo import CertificatesDemo, reset_certificates
from ...services import certificate_verify_url


class Command(BaseCommand):
    help = (
        "Issue demo certificates through the real services (run seed_demo and seed_demo_learning first): training "
        "certificates for every course completion (bulk issuance), skill level certificates (保育师 四级/三级, "
        "育婴员 五级), an award certificate, and one revoked (fraud), one suspended and one expired certificate. "
        "Only the caregiver account's PDFs are rendered now; the others are rendered on demand when downloaded "
        "(rendering thousands takes a while). Idempotent: running it again issues only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete ALL certificates (and their files) first.")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Only delete all certificates (e.g. before seed_demo_learning --reset).",
        )
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="Reference date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        if options["reset"] or options["clear"]:
            deleted = reset_certificates()
            self.stdout.write(f"Deleted certificate data: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
            if options["clear"]:
                return
        demo = CertificatesDemo(
            as_of=options["as_of"],
            log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else None,
        )
        try:
            counts = demo.run()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in demo.warnings:
            self.stderr.write(self.style.WARNING(warning))
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded certificate demo: {summary} in {elapsed:.1f} s."))
        self.stdout.write("Log in as caregiver and open /certificates/my/ (PDF download, Open Badge export).")
        self.stdout.write("Verify pages of the examples (open them on a phone, or in the offline verifier):")
        for label, certificate in demo.examples.items():
            self.stdout.write(f"  {label:<10} {certificate.number}  {certificate_verify_url(certificate)}")
