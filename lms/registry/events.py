"""Domain events emitted by the registry (plain Django signals, sent after commit).

``person_banned(sender=Ban, person_id, ban_id)`` — a lifetime ban was recorded; learning closes
the person's open enrollments, certificates will suspend what they hold.
"""

from django.dispatch import Signal

person_banned = Signal()
