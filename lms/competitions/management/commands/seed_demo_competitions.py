"""``manage.py seed_demo_competitions``: a finished competition with published results and an in-progress one."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.exams.demo_sittings import DEFAULT_PASSWORD

from ...demo import seed_competition_demo
from ...demo_reset import reset_competitions


class Command(BaseCommand):
    help = (
        "Load the competitions demo through the real services, on top of the registry demo (run seed_demo first): "
        "2026年曲靖市托育服务职业技能竞赛, finished, with published results, prizes, organization awards, upgrade "
        "recommendations and award certificates; 2026年云南省托育职业技能大赛（曲靖选拔赛）, under way on --as-of, "
        "theory scored and the practical half marked (judge1 has contestants to mark). Idempotent: a competition "
        "that exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete ALL competitions data first, then seed (run seed_demo_certificates --clear before it: the "
            "award certificates of the deleted entries would stay).",
        )
        parser.add_argument("--clear", action="store_true", help="Only delete all competitions data.")
        parser.add_argument("--seed", type=int, default=530300, help="Random seed; same seed, same data.")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="The in-progress competition's day (YYYY-MM-DD)."
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password of new demo accounts.")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        if options["reset"] or options["clear"]:
            deleted = reset_competitions()
            self.stdout.write(f"Deleted competitions data: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
            if options["clear"]:
                return
        try:
            counts = seed_competition_demo(
                as_of=options["as_of"],
                seed=options["seed"],
                password=options["password"],
                log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else None,
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded competitions demo: {summary} in {elapsed:.1f} s."))
        self.stdout.write(
            "Log in as judge1 and open /competitions/judge/ to mark the contestants still waiting (judge1 is the "
            "chief judge: the chief's overview shows every judge's totals and can reopen a sheet); watch "
            "/competitions/ for the live scoreboard and the published results; hr (or admin) runs both "
            "competitions from the admin's Competitions menu, institution registers its staff; winner finds the "
            f"award certificate at /certificates/my/ (password {options['password']} for new accounts)."
        )
