"""Monthly report packs: an XLSX of every indicator table for each officer's region, kept with its SHA-256.

On the 1st of each month Celery beat runs ``tasks.build_monthly_packs_task``, which builds the pack of the month
just ended for every region a health or HR officer holds (figures as of the month's last day). A pack is built
once per region and month: running the task again (a retry, a second beat, a manual run) returns the stored
pack; concurrent builders meet at the unique constraint and keep the first. Officers download the packs of
their region and below from the dashboard (:func:`packs_for`); the download checks the stored hash.
"""

from __future__ import annotations

import calendar
import dataclasses
import hashlib
import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.registry import audit
from lms.registry.models import Region, RoleGrant

from . import exports
from .models import ReportPack
from .selectors import statistics as stats

log = logging.getLogger(__name__)

ACTIONS = {"reports.pack.build": (_("Build report pack"), _("Built report pack"))}
audit.register_actions(ACTIONS)  # imported by the task and the admin views before any pack is built

OFFICER_ROLES = ("health_officer", "hr_officer")


def previous_month(today: date | None = None) -> date:
    """The first day of the month before ``today``'s (the month a pack built today covers)."""
    today = today or timezone.localdate()
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def pack_regions() -> QuerySet[Region]:
    """Every region a health or HR officer holds."""
    return Region.objects.filter(
        pk__in=RoleGrant.objects.filter(role__in=OFFICER_ROLES, region__isnull=False).values("region_id")
    ).order_by("code")


def pack_levels(region: Region) -> list[str]:
    """The breakdowns in a region's pack: its child level and, below that, institutions."""
    child = stats.LEVELS[region.level]  # Region.Level counts from 1: the next level down
    return [child] if child == "institution" else [child, "institution"]


def pack_tables(*, region: Region, month: date) -> list[stats.Table]:
    """Every indicator of ``region`` as of the month's last day, per child region and per institution (one load
    of the sources per indicator). Sheets are named by indicator and level (the file name has region and month)."""
    on = min(month_end(month), timezone.localdate())
    levels = pack_levels(region)
    out = []
    for code, spec in stats.INDICATORS.items():
        tables = stats.indicator_tables(None, code, region=region, levels=levels, year=on.year, on=on)
        out += [dataclasses.replace(tables[by], title=f"{spec.label} {stats.LEVEL_LABELS[by]}") for by in levels]
    return out


def pack_content(*, region: Region, month: date) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):  # the bureau's language, whoever builds it
        return exports.to_xlsx(pack_tables(region=region, month=month))


def pack_filename(pack: ReportPack) -> str:
    return f"{gettext('report-pack')}-{pack.region.code}-{pack.month:%Y-%m}.xlsx"


def pack_build(*, region: Region, month: date, actor=None) -> ReportPack:
    """The pack of ``region`` for ``month`` (any day of it): the stored one if it exists, else a new one."""
    month = month.replace(day=1)
    existing = ReportPack.objects.filter(region=region, month=month).first()
    if existing is not None:
        return existing
    content = pack_content(region=region, month=month)
    digest = hashlib.sha256(content).hexdigest()
    pack = ReportPack(region=region, month=month, sha256=digest)
    pack.file.save(f"{region.code}-{month:%Y-%m}.xlsx", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            pack.save()
            audit.record(pack, "reports.pack.build", actor=actor, sha256=digest, size=len(content))
    except IntegrityError:
        pack.file.delete(save=False)  # another builder stored this month's pack first: keep theirs
        return ReportPack.objects.get(region=region, month=month)
    return pack


def packs_build_month(*, month: date | None = None) -> dict:
    """Build the packs of ``month`` (default: the month just ended) for every officer region; regions whose
    pack exists are skipped, and one failing region does not stop the others (it is retried next run)."""
    month = (month or previous_month()).replace(day=1)
    built, existing, failed = [], [], []
    for region in pack_regions():
        before = ReportPack.objects.filter(region=region, month=month).exists()
        try:
            pack = pack_build(region=region, month=month)
        except Exception:
            log.exception("report pack %s %s failed", region.code, month)
            failed.append(region.code)
            continue
        (existing if before else built).append(pack.region.code)
    return {"month": month.isoformat(), "built": built, "existing": existing, "failed": failed}


def packs_for(user) -> QuerySet[ReportPack]:
    """The packs of the user's reporting regions and below (none for users without a reporting role)."""
    if not stats.can_report(user):
        return ReportPack.objects.none()
    return ReportPack.objects.filter(region__in=stats.regions_for(user)).select_related("region")


def pack_bytes(pack: ReportPack) -> bytes | None:
    """The pack's file, or None when it is missing or no longer matches the stored SHA-256."""
    try:
        with pack.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return None
    return content if hashlib.sha256(content).hexdigest() == pack.sha256 else None
