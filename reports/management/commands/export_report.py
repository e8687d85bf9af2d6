"""``manage.py export_report <indicator> --region <code> --year <yyyy> --format xlsx|csv|json --out <path>``."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation

from lms.registry.models import Region
from reports import exports
from reports.selectors import statistics
from reports.selectors.scope import LEVEL_NAME

FORMATS = ("xlsx", "csv", "json")


class Command(BaseCommand):
    help = (
        "Export one indicator table of a region (rows one level down unless --by says otherwise) as XLSX, CSV "
        "(UTF-8 with BOM) or JSON. Unscoped unless --user names the account whose scope applies."
    )

    def add_arguments(self, parser):
        parser.add_argument("indicator", choices=list(statistics.INDICATORS))
        parser.add_argument("--region", required=True, help="Division code, e.g. 530300.")
        parser.add_argument("--year", type=int, default=None, help="Default: this year.")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="xlsx")
        parser.add_argument("--out", required=True, help="Output file path ('-' for standard output, not XLSX).")
        parser.add_argument("--by", choices=statistics.LEVELS, default=None, help="Row level.")
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="Report date (YYYY-MM-DD).")
        parser.add_argument("--user", default=None, help="Apply this user's reporting scope.")

    def handle(self, *args, indicator, region, year, fmt, out, by, on, user, **options):
        region_obj = Region.objects.filter(code=region).first()
        if region_obj is None:
            raise CommandError(f"No region with code {region}.")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user {user}.")
        if fmt == "xlsx" and out == "-":
            raise CommandError("Write XLSX to a file (--out path).")
        year = year or (on.year if on else timezone.localdate().year)
        by = by or LEVEL_NAME.get(region_obj.level + 1, "institution")
        with translation.override(settings.LANGUAGE_CODE):
            try:
                table = statistics.indicator_table(account, indicator, region=region_obj, by=by, year=year, on=on)
            except PermissionDenied:
                raise CommandError(f"{user} may not report on {region}.") from None
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            if fmt == "xlsx":
                content = exports.to_xlsx([table])
            elif fmt == "csv":
                content = exports.to_csv(table)
            else:
                content = json.dumps(exports.to_json(table), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
                content = content.encode("utf-8")
        if out == "-":
            self.stdout.write(content.decode("utf-8-sig"))
            return
        Path(out).write_bytes(content)
        self.stdout.write(f"{table.title}: {len(table.frame)} rows -> {out}")
