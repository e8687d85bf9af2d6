from .bank import KnowledgeArea, Question, QuestionBank
from .blueprints import Blueprint, BlueprintSection
from .practical import Examiner, MarkChange, MarkSheet, PracticalCandidate, PracticalSession, Rubric, RubricCriterion
from .results import LevelResult
from .sittings import Attempt, AttemptQuestion, Candidate, ExamRoom, Sitting

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "Blueprint",
    "BlueprintSection",
    "Candidate",
    "ExamRoom",
    "Examiner",
    "KnowledgeArea",
    "LevelResult",
    "MarkChange",
    "MarkSheet",
    "PracticalCandidate",
    "PracticalSession",
    "Question",
    "QuestionBank",
    "Rubric",
    "RubricCriterion",
    "Sitting",
]
