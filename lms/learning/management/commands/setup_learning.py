"""``manage.py setup_learning``: the course catalogue, review workflow, author groups and outline data.

Idempotent: run it after every deploy (or let the first provider-staff grant do the same lazily).
"""

from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = (
        "Create (if missing) the training catalogue page, the reviewers' group and the review workflow "
        "'课程发布审核', every provider's course section, group and collection for its staff; sync group "
        "membership with role grants; load the course templates and the EXAMPLE annual hours requirement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-examples",
            action="store_true",
            help="Do not load the example annual hours requirement (it is not a national rule).",
        )

    def handle(self, *args, **options):
        catalogue = services.learning_setup_ensure()
        self.stdout.write(f"Catalogue: {catalogue.url_path}")
        users = services.staff_groups_sync_all()
        self.stdout.write(f"Author and reviewer groups synced for {users} users.")
        templates = services.course_templates_seed()
        self.stdout.write(f"Course templates loaded: {len(templates)}.")
        if not options["no_examples"]:
            rows = services.hours_requirements_seed()
            self.stdout.write(f"Example hours requirements loaded: {len(rows)} (example data, edit in the admin).")
