from django.core.management.base import BaseCommand, CommandError

from certificates import selectors
from certificates.services import certificate_verify_url


class Command(BaseCommand):
    help = "Print the verification URL in a certificate's QR code (for support staff reprinting it)."

    def add_arguments(self, parser):
        parser.add_argument("number")

    def handle(self, *args, number, **options):
        certificate = selectors.certificate_by_number(number)
        if certificate is None:
            raise CommandError(f"No certificate numbered {number}.")
        self.stdout.write(certificate_verify_url(certificate))
