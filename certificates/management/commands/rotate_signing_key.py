from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.services import key_rotate, key_withdraw


class Command(BaseCommand):
    help = (
        "Create a new active certificate signing key; the previous one keeps verifying the certificates it "
        "signed. With --withdraw KID, withdraw a compromised key instead: it leaves the published key set and "
        "its certificates verify as invalid until re-signed. Only key ids are printed, never key material."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--withdraw",
            metavar="KID",
            help="Withdraw this key (its id as in /.well-known/jwks.json; write --withdraw=KID, ids may start with -).",
        )
        parser.add_argument("--note", default="", help="Why the key is withdrawn (kept in the audit trail).")

    def handle(self, *args, withdraw=None, note="", **options):
        if withdraw:
            try:
                key = key_withdraw(kid=withdraw, note=note)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(self.style.WARNING(f"Withdrew signing key {key.kid}."))
            return
        key = key_rotate()
        self.stdout.write(self.style.SUCCESS(f"New active signing key {key.kid}."))
