"""Domain events of the competitions app (plain Django signals; the certificates app subscribes).

``competition_results_published(sender=Competition, competition_id=int)`` is sent after commit when a
competition's results are published: the certificates app issues the award certificates (一/二/三等奖).
"""

from django.dispatch import Signal

competition_results_published = Signal()
