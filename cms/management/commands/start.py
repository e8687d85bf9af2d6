"""``manage.py start``: get a laptop from a fresh checkout to a running site in one command.

Applies migrations, loads the demo data set (``seed_demo``) the first time only (while the
database has no regions), the demo courses (``seed_demo_learning``) while there are no
courses, the demo certificates (``seed_demo_certificates``) while they are missing and the
demo exams (``seed_demo_exams``: question banks, a completed sitting with results and skill
certificates, an open quiz for the demo caregiver) while they are missing, the demo child
counts and county targets of the statistics (``seed_demo_reports``) while there are none, the demo
subsidy claims (``seed_demo_subsidies``) while they are missing and the demo skill competitions
(``seed_demo_competitions``: a finished one with published results and award certificates, one under way)
while they are missing, then serves the
site with Django's development server. Static files are served by ``runserver`` itself in
development, so no ``collectstatic`` is needed.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, load demo data once (when there are no regions yet), then serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="Address and port to serve on (default 127.0.0.1:8000)."
        )
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database only; do not serve.")

    def handle(self, *args, addrport: str, no_serve: bool, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)

        from lms.registry.models import Region

        if Region.objects.exists():
            self.stdout.write("Demo data: the database already has regions; not loading it again.")
        else:
            self.stdout.write("Demo data: empty database, running seed_demo ...")
            call_command("seed_demo", verbosity=verbosity)
        from lms.learning.models import CoursePage

        if not CoursePage.objects.exists():
            self.stdout.write("Demo courses: no courses yet, running seed_demo_learning ...")
            call_command("seed_demo_learning", verbosity=verbosity)
        from certificates.demo import demo_exists as certificates_demo_exists

        if not certificates_demo_exists():
            self.stdout.write("Demo certificates: none yet, running seed_demo_certificates ...")
            try:
                call_command("seed_demo_certificates", verbosity=verbosity)
            except CommandError as exc:  # a database with other data than the demo's: serve it anyway
                self.stdout.write(self.style.WARNING(f"Demo certificates skipped: {exc}"))
        from lms.exams.demo_reset import demo_exists as exams_demo_exists

        if not exams_demo_exists():
            self.stdout.write("Demo exams: none yet, running seed_demo_exams ...")
            try:
                call_command("seed_demo_exams", verbosity=verbosity)
            except CommandError as exc:  # a database with other data than the demo's: serve it anyway
                self.stdout.write(self.style.WARNING(f"Demo exams skipped: {exc}"))
        from reports.models import ChildCount

        if not ChildCount.objects.exists():
            self.stdout.write("Demo statistics: no child counts yet, running seed_demo_reports ...")
            try:
                call_command("seed_demo_reports", verbosity=verbosity)
            except CommandError as exc:  # a database with other data than the demo's: serve it anyway
                self.stdout.write(self.style.WARNING(f"Demo statistics skipped: {exc}"))
        from reports.subsidies.demo import demo_exists as subsidies_demo_exists

        if not subsidies_demo_exists():
            self.stdout.write("Demo subsidy claims: none yet, running seed_demo_subsidies ...")
            try:
                call_command("seed_demo_subsidies", verbosity=verbosity)
            except CommandError as exc:  # a database with other data than the demo's: serve it anyway
                self.stdout.write(self.style.WARNING(f"Demo subsidy claims skipped: {exc}"))
        from lms.competitions.demo_reset import demo_exists as competitions_demo_exists

        if not competitions_demo_exists():
            self.stdout.write("Demo competitions: none yet, running seed_demo_competitions ...")
            try:
                call_command("seed_demo_competitions", verbosity=verbosity)
            except CommandError as exc:  # a database with other data than the demo's: serve it anyway
                self.stdout.write(self.style.WARNING(f"Demo competitions skipped: {exc}"))
        if no_serve:
            return
        self.stdout.write(self.style.SUCCESS(f"Serving on http://{addrport}/ (back office: /admin/). Ctrl-C stops."))
        call_command("runserver", addrport, use_reloader=False)
