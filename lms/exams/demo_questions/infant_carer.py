"""育婴员 (infant carer) theory questions, by knowledge area across the ``infant_carer_*`` modules."""

QUESTIONS: list[dict] = []
