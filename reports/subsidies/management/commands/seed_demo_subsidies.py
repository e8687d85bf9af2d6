"""``manage.py seed_demo_subsidies``: policies, insurance records and claim batches on top of the other demos."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...demo import SubsidiesDemo, reset_subsidies


class Command(BaseCommand):
    help = (
        "Seed the subsidy demo through the real services (run seed_demo, seed_demo_learning and "
        "seed_demo_certificates first): three policies of 曲靖市 (职业培训补贴, 技能评价补贴, 技能提升补贴), insurance "
        "periods, a batch of the demo provider reviewed by `hr` and on public notice, and a draft batch with passing "
        "and failing claims. Idempotent: once the demo policies exist, running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete ALL subsidy data first.")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="Reference date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        if options["reset"]:
            deleted = reset_subsidies()
            self.stdout.write(f"Deleted subsidy data: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
        demo = SubsidiesDemo(
            as_of=options["as_of"],
            log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else None,
        )
        try:
            counts = demo.run()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in demo.warnings:
            self.stderr.write(self.style.WARNING(warning))
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Seeded subsidy demo: {summary} in {elapsed:.1f} s."))
        self.stdout.write(
            "Log in to /admin/ as provider (Subsidies → Claim batches: the draft batch) or hr (the batch on public "
            "notice, the payment list); the public notice is at /subsidies/notice/, caregivers claim at /subsidies/."
        )
