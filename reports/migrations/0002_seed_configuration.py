"""Seed the indicator configuration and seed 001's targets for 曲靖市 (530300).

Qualifying posts: caregiver, health-care staff, director. Qualifying certificate types: training and skill
(not award). Staff ratios (托育机构设置标准): 乳儿班 1:3, 托小班 1:5, 托大班 1:7. Targets (seed 001 §三(二)7):
持证上岗率 ≥ 70% by 2026; cumulative 2024-2026 ≥ 600 负责人 and ≥ 1,500 保健/保育 person-times; 400/500/600
people trained in 2024/25/26.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

POSTS = ["caregiver", "health", "director"]
CERTIFICATE_TYPES = ["training", "skill"]
RATIOS = {"infants": 3, "younger": 5, "older": 7}
SOURCE = "曲靖市促进3岁以下婴幼儿照护服务发展实施方案 (seed 001)"
TARGETS = [
    # (indicator, measure, year, from_year, value)
    ("certified_rate", "", 2026, None, "70"),
    ("training_person_times", "director", 2026, 2024, "600"),
    ("training_person_times", "care", 2026, 2024, "1500"),
    ("people_trained", "", 2024, None, "400"),
    ("people_trained", "", 2025, None, "500"),
    ("people_trained", "", 2026, None, "600"),
]


def seed(apps, schema_editor):
    QualifyingPost = apps.get_model("reports", "QualifyingPost")
    QualifyingCertificateType = apps.get_model("reports", "QualifyingCertificateType")
    CertificateType = apps.get_model("certificates", "CertificateType")
    StaffRatio = apps.get_model("reports", "StaffRatio")
    Target = apps.get_model("reports", "Target")
    for post in POSTS:
        QualifyingPost.objects.get_or_create(post=post)
    for certificate_type in CertificateType.objects.filter(code__in=CERTIFICATE_TYPES):
        QualifyingCertificateType.objects.get_or_create(certificate_type=certificate_type)
    for group, children in RATIOS.items():
        StaffRatio.objects.get_or_create(group=group, defaults={"children_per_caregiver": children})
    for indicator, measure, year, from_year, value in TARGETS:
        Target.objects.get_or_create(
            region_id="530300",
            indicator=indicator,
            measure=measure,
            year=year,
            defaults={
                "from_year": from_year,
                "value": Decimal(value),
                "target_date": date(year, 12, 31),
                "source": SOURCE,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Target").objects.filter(region_id="530300", source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("certificates", "0002_seed_certificate_types"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
