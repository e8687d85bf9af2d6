"""Writes with business rules. Views, admin, commands, tasks and APIs all call these."""

from .bans import person_ban
from .people import (
    employment_register,
    employment_update,
    health_check_record,
    person_link_user,
    person_register,
    person_update,
)
from .roles import role_grant, role_revoke
from .roster import purge_stale_uploads, roster_can_commit, roster_commit, roster_preview, roster_start_commit

__all__ = [
    "employment_register",
    "employment_update",
    "health_check_record",
    "person_ban",
    "person_link_user",
    "person_register",
    "person_update",
    "purge_stale_uploads",
    "role_grant",
    "role_revoke",
    "roster_can_commit",
    "roster_commit",
    "roster_preview",
    "roster_start_commit",
]
