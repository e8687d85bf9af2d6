"""Domain events emitted by the registry (plain Django signals, sent after commit).

``person_banned(sender=Ban, person_id, ban_id)`` — a lifetime ban was recorded; learning closes
the person's open enrollments, certificates will suspend what they hold.
``role_granted(sender=RoleGrant, user_id, role, region_id, institution_id, provider_id)`` — a
role was granted; ``role_revoked`` (same arguments) — it was revoked. Learning keeps the Wagtail
groups of course authors and reviewers in step with them.
``demo_resetting(sender=None)`` — ``seed_demo --reset`` is about to delete every registry row
(dev and test settings only), inside its transaction; apps whose rows point at people delete
their own data first and return ``{table: rows deleted}``.
"""

from django.dispatch import Signal

person_banned = Signal()
role_granted = Signal()
role_revoked = Signal()
demo_resetting = Signal()
