"""The knowledge areas of the 保育师 (2021) and 育婴员 (2019) occupational standards, as editable data."""

from django.db import migrations

AREAS = [
    ("ethics", "职业道德"),
    ("basics", "基础知识"),
    ("life_care", "生活照料"),
    ("health_care", "保健与护理"),
    ("safety_health", "安全健康管理"),
    ("early_learning", "早期学习支持"),
    ("family_cooperation", "合作共育"),
    ("training_guidance", "培训与指导"),
]


def add(apps, schema_editor):
    KnowledgeArea = apps.get_model("exams", "KnowledgeArea")
    for order, (code, name) in enumerate(AREAS):
        KnowledgeArea.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


def remove(apps, schema_editor):
    apps.get_model("exams", "KnowledgeArea").objects.filter(code__in=[c for c, _n in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
