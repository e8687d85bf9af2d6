"""``manage.py seed_demo_reports``: demo child counts and county targets for the statistics."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.demo import reset_reports, seed_demo_reports


class Command(BaseCommand):
    help = (
        "Seed demo child counts (about four in five institutions of 曲靖市) and demo county targets for the "
        "statistics, on top of seed_demo, seed_demo_learning and seed_demo_certificates. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete child counts and report packs first.")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="Reference date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        if options["reset"]:
            deleted = reset_reports()
            self.stdout.write(f"Deleted: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
        log = (lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else (lambda msg: None)
        try:
            counts = seed_demo_reports(as_of=options["as_of"], log=log)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Reports demo: {counts['child_counts']} child counts, {counts['targets_added']} targets added."
            )
        )
