"""Domain events of the exams app (plain Django signals; lms imports nothing of ours, certificates subscribes).

``level_result_passed(sender=LevelResult, result_id=int)`` is sent after commit when a candidate passes a
skill level (theory and practical, plus the comprehensive review where required): the certificates app
turns it into a 职业技能等级证书.
"""

from django.dispatch import Signal

level_result_passed = Signal()

# Sent by ``demo_reset.reset_exams`` before it deletes anything: apps whose rows point at the exams' rubrics and
# sittings (competition stations) delete their demo rows first; a receiver returns ``{table: rows deleted}``.
exams_demo_resetting = Signal()
