"""``manage.py seed_demo_learning``: demo courses, enrollments, progress and hours on top of ``seed_demo``."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...demo import LearningDemo, demo_exists, reset_learning
from ...demo_media import ffmpeg_available


class Command(BaseCommand):
    help = (
        "Load deterministic learning demo data on top of the registry demo (run seed_demo first): published "
        "courses of every training kind with lessons, videos and quizzes, enrollments of demo staff with "
        "varied progress, classroom sessions and hours ledgers. Does nothing if already there, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete ALL learning data and courses first.")
        parser.add_argument(
            "--clear", action="store_true", help="Only delete all learning data (e.g. before seed_demo --reset)."
        )
        parser.add_argument("--seed", type=int, default=530300, help="Random seed; same seed, same data.")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="Reference date (YYYY-MM-DD).")
        parser.add_argument(
            "--no-ffmpeg", action="store_true", help="Use the shipped demo clip even if ffmpeg is installed."
        )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is for dev and test settings only (DEMO_DATA_ALLOWED).")
        started = time.perf_counter()
        if options["reset"] or options["clear"]:
            deleted = reset_learning()
            self.stdout.write(f"Deleted learning data: {', '.join(f'{k} {v}' for k, v in deleted.items())}")
            if options["clear"]:
                return
        elif demo_exists():
            self.stdout.write(self.style.WARNING("Learning demo data already present; nothing done. Use --reset."))
            return
        use_ffmpeg = not options["no_ffmpeg"] and ffmpeg_available()
        demo = LearningDemo(
            as_of=options["as_of"],
            seed=options["seed"],
            use_ffmpeg=use_ffmpeg,
            log=(lambda msg: self.stdout.write(f"  {msg}")) if options["verbosity"] > 1 else None,
        )
        try:
            counts = demo.run()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        videos = "ffmpeg clips" if use_ffmpeg else "the shipped demo clip"
        self.stdout.write(self.style.SUCCESS(f"Seeded learning demo: {summary} in {elapsed:.1f} s (videos: {videos})."))
        self.stdout.write("Log in as caregiver to see 'my courses' (one completed, one half-way, one not started).")
