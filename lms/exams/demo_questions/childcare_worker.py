"""保育师 (childcare worker) theory questions, by knowledge area across the ``childcare_worker_*`` modules."""

from . import childcare_worker_1, childcare_worker_2, childcare_worker_3, childcare_worker_4

QUESTIONS: list[dict] = [
    *childcare_worker_1.QUESTIONS,  # ethics, basics
    *childcare_worker_2.QUESTIONS,  # life_care
    *childcare_worker_3.QUESTIONS,  # safety_health
    *childcare_worker_4.QUESTIONS,  # early_learning, family_cooperation, training_guidance
]
