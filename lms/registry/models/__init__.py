from .bans import Ban
from .organisations import Institution, TrainingProvider
from .people import Employment, HealthCheck, Person, Post
from .regions import Region
from .roles import Role, RoleGrant
from .roster import RosterImport

__all__ = [
    "Ban",
    "Employment",
    "HealthCheck",
    "Institution",
    "Person",
    "Post",
    "Region",
    "Role",
    "RoleGrant",
    "RosterImport",
    "TrainingProvider",
]
