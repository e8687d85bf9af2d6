"""Vocabularies of exams. Values are stable codes; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice (单选题)")
    MULTIPLE = "multiple", _("Multiple choice (多选题)")
    TRUE_FALSE = "true_false", _("True or false (判断题)")
    FILL_BLANK = "fill_blank", _("Fill in the blank (填空题)")
    SHORT_ANSWER = "short_answer", _("Short answer (简答题)")


OBJECTIVE_TYPES = frozenset(
    {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE, QuestionType.FILL_BLANK}
)


class MultipleRule(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Partial credit (no wrong option chosen: points in proportion)")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")
    MEDIUM = 2, _("Medium")
    HARD = 3, _("Hard")


class ReviewPolicy(models.TextChoices):
    """What a candidate may see of a finished attempt, and when."""

    NEVER = "never", _("Score only, once results are published")
    AFTER_PUBLISH = "after_publish", _("Score and correct answers, once results are published")
    AFTER_CLOSE = "after_close", _("Score and correct answers, once the sitting has closed and results are published")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the examiners")
    TRIMMED_MEAN = "trimmed_mean", _("Drop the highest and lowest (5 or more examiners), then the mean")
    MEDIAN = "median", _("Median of the examiners")
