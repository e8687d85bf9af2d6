"""Reads of the learning domain and who may see what (scoping built on ``registry.selectors``).

One module per part (classroom, learner, authoring); the public reads are re-exported here so callers
write ``selectors.<name>``.
"""

from .authoring import (
    authoring_providers,
    course_templates,
)
from .classroom import (
    attendance_of,
    can_run_session,
    class_sessions_for,
    courses_for_sessions,
    instructors_for,
    open_enrollment,
    provider_id_of_course,
    session_attendances,
    session_checked_in_count,
    session_learners,
)
from .learner import (
    RULE_CACHE_SECONDS,
    catalogue_courses,
    catalogue_regions,
    course_lessons,
    course_outline,
    enrollment_for_lesson,
    enrollment_in_course,
    hours_table,
    hours_vs_requirement,
    learner_enrollments,
    lesson_block,
    lesson_for_progress,
    lesson_rule,
    lesson_target,
    lesson_target_key,
    staff_for_enrollment,
    staff_hours,
)

__all__ = [
    "RULE_CACHE_SECONDS",
    "attendance_of",
    "authoring_providers",
    "can_run_session",
    "catalogue_courses",
    "catalogue_regions",
    "class_sessions_for",
    "course_lessons",
    "course_outline",
    "course_templates",
    "courses_for_sessions",
    "enrollment_for_lesson",
    "enrollment_in_course",
    "hours_table",
    "hours_vs_requirement",
    "instructors_for",
    "learner_enrollments",
    "lesson_block",
    "lesson_for_progress",
    "lesson_rule",
    "lesson_target",
    "lesson_target_key",
    "open_enrollment",
    "provider_id_of_course",
    "session_attendances",
    "session_checked_in_count",
    "session_learners",
    "staff_for_enrollment",
    "staff_hours",
]
