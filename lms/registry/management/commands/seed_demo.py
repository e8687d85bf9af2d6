"""``manage.py seed_demo``: load deterministic demo data (Qujing city, or all of Yunnan) and demo accounts."""

import argparse
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...demo import DemoSeeder
from ...demo_reset import demo_exists, reset_registry

DEFAULT_PASSWORD = "demo12345"  # noqa: S105 - published demo accounts, never for production


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: 曲靖市 with its 9 counties, ~150 childcare institutions, ~2,000 staff, "
        "training providers, and one demo account per role (--scale province: all of 云南省, ~100x). "
        "Does nothing if the demo data is already there, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["city", "province"], default="city", help="How much data (city).")
        parser.add_argument("--seed", type=int, default=530300, help="Random seed; same seed, same data.")
        parser.add_argument("--reset", action="store_true", help="Delete ALL registry data first, then seed.")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password of the demo accounts.")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="Reference date (YYYY-MM-DD) for ages, employment and health-check dates; default today.",
        )
        # Size overrides, for tests and experiments.
        parser.add_argument("--institutions", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--staff", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data (with published passwords) is not allowed with these settings; "
                "it is for dev and test settings only (DEMO_DATA_ALLOWED)."
            )
        if options["institutions"] is not None and options["institutions"] < 6:
            raise CommandError("--institutions must be at least 6 (one per institution kind).")
        started = time.perf_counter()
        with transaction.atomic():
            if options["reset"]:
                deleted = reset_registry()
                self.stdout.write(f"Deleted registry data: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
            elif demo_exists():
                self.stdout.write(
                    self.style.WARNING("Demo data already present (region 530300 exists); nothing done. Use --reset.")
                )
                return
            seeder = DemoSeeder(
                seed=options["seed"],
                scale=options["scale"],
                institutions=options["institutions"],
                staff=options["staff"],
                as_of=options["as_of"],
                password=options["password"],
                log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else (lambda msg: None),
            )
            counts, accounts = seeder.run()
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {counts} in {elapsed:.1f} s (seed {options['seed']})."))
        rows = [("username", "role", "scope")] + accounts
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        self.stdout.write(f"\nDemo accounts (password: {options['password']}):")
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
