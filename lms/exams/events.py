"""Domain events of the exams app (plain Django signals; lms imports nothing of ours, certificates subscribes).

``level_result_passed(sender=LevelResult, result_id=int)`` is sent after commit when a candidate passes a
skill level (theory and practical, plus the comprehensive review where required): the certificates app
turns it into a 职业技能等级证书.
"""

from django.dispatch import Signal

level_result_passed = Signal()
