"""Writes of the learning domain; views, admin, tasks and commands all call these."""

from .authoring import (
    course_from_template,
    course_templates_seed,
    course_tree_publish,
    hours_requirements_seed,
    learning_setup_ensure,
    provider_catalogue_ensure,
    staff_groups_sync,
    staff_groups_sync_all,
)
from .classroom import attendance_check_in, attendance_check_out, attendance_correct
from .completion import completion_check
from .enrollment import enroll, enroll_many, enrollment_cancel, enrollment_close_for_ban
from .ledger import hours_credit
from .progress import gate_submit, heartbeat_record, learner_heartbeat
from .provider_enroll import provider_roster_enroll

__all__ = [
    "attendance_check_in",
    "attendance_check_out",
    "attendance_correct",
    "completion_check",
    "course_from_template",
    "course_templates_seed",
    "course_tree_publish",
    "enroll",
    "enroll_many",
    "enrollment_cancel",
    "enrollment_close_for_ban",
    "gate_submit",
    "heartbeat_record",
    "learner_heartbeat",
    "hours_credit",
    "hours_requirements_seed",
    "provider_roster_enroll",
    "learning_setup_ensure",
    "provider_catalogue_ensure",
    "staff_groups_sync",
    "staff_groups_sync_all",
]
