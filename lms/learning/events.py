"""Domain events emitted by learning (plain Django signals; other apps subscribe, lms imports none of them).

``course_completed(sender=CourseCompletion, completion_id, person_id, course_id)`` is sent once per
completion, after the transaction that wrote it commits.
"""

from django.dispatch import Signal

course_completed = Signal()
