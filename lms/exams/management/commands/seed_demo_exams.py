"""``manage.py seed_demo_exams``: demo exam content, a completed sitting with results and an open sitting."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...demo_reset import reset_exams
from ...demo_sittings import DEFAULT_PASSWORD, seed_exam_demo


class Command(BaseCommand):
    help = (
        "Load the exam demo through the real services, on top of the registry demo (run seed_demo first): question "
        "banks, blueprints and rubrics; a completed 保育师 五级 theory sitting (answered, marked, published) with "
        "its practical assessment and published level results (the passed get skill level certificates); an open "
        "online quiz the demo caregiver can take at /exams/. Idempotent: what exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete ALL exams data first, then seed (run seed_demo_certificates --clear before it: the skill "
            "certificates of the deleted results would stay).",
        )
        parser.add_argument("--clear", action="store_true", help="Only delete all exams data (banks included).")
        parser.add_argument("--seed", type=int, default=530300, help="Random seed; same seed, same data.")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="Reference date (YYYY-MM-DD).")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password of new demo accounts.")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        if options["reset"] or options["clear"]:
            deleted = reset_exams()
            self.stdout.write(f"Deleted exams data: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
            if options["clear"]:
                return
        try:
            counts = seed_exam_demo(
                as_of=options["as_of"],
                seed=options["seed"],
                password=options["password"],
                log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else None,
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded exam demo: {summary} in {elapsed:.1f} s."))
        self.stdout.write(
            "Log in as caregiver and open /exams/ to take the open quiz; examinee01..examinee10 see their published "
            "results, examiner1..examiner3 their sessions at /exams/practical/, assessment and marker the Exams menu "
            f"of /admin/ (password {options['password']} for new accounts)."
        )
