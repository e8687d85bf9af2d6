"""Vocabularies of competitions. Values are stable codes; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetitionLevel(models.TextChoices):
    CITY = "city", _("City (市级)")
    PROVINCE = "province", _("Province (省级)")
    NATIONAL = "national", _("National (国家级)")


class Group(models.TextChoices):
    """Who a track is for: staff in post (职工组) or students (学生组)."""

    STAFF = "staff", _("Staff (职工组)")
    STUDENT = "student", _("Students (学生组)")


class RoundKind(models.TextChoices):
    THEORY = "theory", _("Theory test (理论知识)")
    PRACTICAL = "practical", _("Practical (技能操作)")


class JudgesAggregation(models.TextChoices):
    """How the judges' totals make a station score (the values of ``lms.exams.choices.Aggregation``)."""

    MEAN = "mean", _("Mean of the judges")
    TRIMMED_MEAN = "trimmed_mean", _("Drop the highest and lowest (5 or more judges), then the mean")
    MEDIAN = "median", _("Median of the judges")


class Award(models.TextChoices):
    FIRST = "first", _("First prize (一等奖)")
    SECOND = "second", _("Second prize (二等奖)")
    THIRD = "third", _("Third prize (三等奖)")


# Tie-break keys, applied in order after the weighted total: higher practical score, higher theory score,
# less time. The stored value is the keys joined by commas.
TIE_BREAK_KEYS = ("practical", "theory", "time")


class TieBreak(models.TextChoices):
    PRACTICAL_THEORY_TIME = "practical,theory,time", _("Practical score, then theory score, then time")
    PRACTICAL_TIME_THEORY = "practical,time,theory", _("Practical score, then time, then theory score")
    THEORY_PRACTICAL_TIME = "theory,practical,time", _("Theory score, then practical score, then time")
    THEORY_TIME_PRACTICAL = "theory,time,practical", _("Theory score, then time, then practical score")
    TIME_PRACTICAL_THEORY = "time,practical,theory", _("Time, then practical score, then theory score")
    TIME_THEORY_PRACTICAL = "time,theory,practical", _("Time, then theory score, then practical score")
