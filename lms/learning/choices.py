"""Vocabularies of training (DESIGN.md §2-3). Values are stable codes; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingKind(models.TextChoices):
    PRE_JOB = "pre_job", _("Pre-job training (岗前培训)")
    IN_SERVICE = "in_service", _("Annual in-service training (在职年度培训)")
    SKILL_UPGRADE = "skill_upgrade", _("Skill upgrade training (岗位技能提升培训)")
    TRANSFER = "transfer", _("Transfer training (转岗培训)")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship training (创业培训)")
    DIRECTOR = "director", _("Director training (负责人岗位培训)")
    HEALTH_CARE = "health_care", _("Health-care training (卫生保健培训)")


class Occupation(models.TextChoices):
    """Occupations (codes are data in DESIGN.md §3 and may change with the national standard)."""

    CHILDCARE_WORKER = "childcare_worker", _("Childcare worker (保育师)")
    INFANT_CARER = "infant_carer", _("Infant carer (育婴员)")
    HEALTH_CARE = "health_care", _("Health-care staff (卫生保健人员)")
    DIRECTOR = "director", _("Institution director (托育机构负责人)")


class SkillLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Level 1 / senior technician (一级/高级技师)")
    LEVEL_2 = 2, _("Level 2 / technician (二级/技师)")
    LEVEL_3 = 3, _("Level 3 / senior worker (三级/高级工)")
    LEVEL_4 = 4, _("Level 4 / intermediate worker (四级/中级工)")
    LEVEL_5 = 5, _("Level 5 / junior worker (五级/初级工)")


class HoursSource(models.TextChoices):
    ONLINE = "online", _("Online lesson")
    CLASSROOM = "classroom", _("Classroom session")
    MANUAL = "manual", _("Recorded by an administrator")
