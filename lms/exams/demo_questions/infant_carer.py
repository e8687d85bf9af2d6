"""育婴员 (infant carer) theory questions, by knowledge area across the ``infant_carer_*`` modules."""

from . import infant_carer_1, infant_carer_2, infant_carer_3, infant_carer_4

QUESTIONS: list[dict] = [
    *infant_carer_1.QUESTIONS,  # ethics, basics
    *infant_carer_2.QUESTIONS,  # life_care
    *infant_carer_3.QUESTIONS,  # health_care
    *infant_carer_4.QUESTIONS,  # early_learning, training_guidance
]
