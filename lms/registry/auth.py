"""Authentication backend that derives Wagtail admin access from registry roles.

Roles live in :class:`~lms.registry.models.RoleGrant` (one source of truth); this backend
answers ``wagtailadmin.access_admin`` for anyone holding a back-office role, so no group needs
to be kept in step with the grants. Object-level rights come from ``selectors``.
"""

from django.contrib.auth.backends import BaseBackend

ACCESS_ADMIN = "wagtailadmin.access_admin"


class RoleBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if perm != ACCESS_ADMIN or not user_obj.is_active:
            return False
        from .selectors import user_scope

        return user_scope(user_obj).is_back_office
