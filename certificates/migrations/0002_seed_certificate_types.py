"""Seed the three certificate types (data that platform admins may edit afterwards).

* 培训合格证书 (training, ``PX`` numbers): valid while the holder's annual in-service hours are met — it
  expires on 31 March of the year after the last year covered and is renewed when the next year's hours
  meet the requirement of the holder's post (the platform's default; an admin may switch it to ``none``).
* 职业技能等级证书 (skill, 22-character ``Y``/``S`` numbers): does not expire (national practice).
* 竞赛获奖证书 (award, ``HJ`` numbers): does not expire.
"""

from django.db import migrations

TYPES = [
    {"code": "training", "kind": 1, "name": "培训合格证书", "number_prefix": "PX", "validity": "in_service_hours"},
    {"code": "skill", "kind": 2, "name": "职业技能等级证书", "number_prefix": "", "validity": "none"},
    {"code": "award", "kind": 3, "name": "竞赛获奖证书", "number_prefix": "HJ", "validity": "none"},
]


def seed(apps, schema_editor):
    CertificateType = apps.get_model("certificates", "CertificateType")
    for row in TYPES:
        CertificateType.objects.get_or_create(code=row["code"], defaults={**row, "layout": row["code"]})


def unseed(apps, schema_editor):
    CertificateType = apps.get_model("certificates", "CertificateType")
    CertificateType.objects.filter(code__in=[row["code"] for row in TYPES], certificates__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
