from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates import selectors
from certificates.models import Certificate
from certificates.services import certificate_revoke


class Command(BaseCommand):
    help = "Revoke a certificate by its number (audited as a system action); the status lists change at once."

    def add_arguments(self, parser):
        parser.add_argument("number")
        parser.add_argument("--reason", required=True, choices=Certificate.Reason.values)
        parser.add_argument("--note", default="")

    def handle(self, *args, number, reason, note, **options):
        certificate = selectors.certificate_by_number(number)
        if certificate is None:
            raise CommandError(f"No certificate numbered {number}.")
        was = certificate.status
        try:
            certificate = certificate_revoke(certificate=certificate, reason=reason, note=note, actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if was == Certificate.Status.REVOKED:
            self.stdout.write(f"{certificate.number} was already revoked ({certificate.revocation_reason}).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Revoked {certificate.number} ({reason})."))
