"""The shape shared by the ``seed_demo_<area>`` commands built on the registry demo: ``--reset`` / ``--clear`` /
``--seed`` / ``--as-of`` / ``--password``, refused unless ``DEMO_DATA_ALLOWED``, a summary of what was seeded."""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class DemoSeedCommand(BaseCommand):
    """Subclasses set ``data`` ("exams data"), ``demo`` ("exam demo"), ``reset_help``, ``as_of_help`` and
    ``default_password``, and implement :meth:`reset`, :meth:`seed` and :meth:`hint`."""

    data = ""
    demo = ""
    reset_help = ""
    clear_help = ""
    as_of_help = "Reference date (YYYY-MM-DD)."
    default_password = ""

    def reset(self) -> dict[str, int]:
        """Delete the area's data; ``{table: rows deleted}``."""
        raise NotImplementedError

    def seed(self, *, as_of, seed: int, password: str, log) -> dict[str, int]:
        """Seed the demo (idempotent); ``{what: how many were added}``. LookupError: a prerequisite is missing."""
        raise NotImplementedError

    def hint(self, password: str) -> str:
        """What to try next, printed after the summary."""
        return ""

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help=self.reset_help)
        parser.add_argument("--clear", action="store_true", help=self.clear_help)
        parser.add_argument("--seed", type=int, default=530300, help="Random seed; same seed, same data.")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help=self.as_of_help)
        parser.add_argument("--password", default=self.default_password, help="Password of new demo accounts.")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        if options["reset"] or options["clear"]:
            deleted = self.reset()
            self.stdout.write(f"Deleted {self.data}: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
            if options["clear"]:
                return
        try:
            counts = self.seed(
                as_of=options["as_of"],
                seed=options["seed"],
                password=options["password"],
                log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else None,
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {self.demo}: {summary} in {elapsed:.1f} s."))
        hint = self.hint(options["password"])
        if hint:
            self.stdout.write(hint)
