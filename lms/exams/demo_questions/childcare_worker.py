"""保育师 (childcare worker) theory questions, by knowledge area across the ``childcare_worker_*`` modules."""

from . import childcare_worker_1, childcare_worker_2

QUESTIONS: list[dict] = [
    *childcare_worker_1.QUESTIONS,
    *childcare_worker_2.QUESTIONS,
]
