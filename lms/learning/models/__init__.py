from .classroom import Attendance, ClassSession
from .ledger import AnnualHoursRequirement, CourseCompletion, HoursEntry
from .pages import CourseModulePage, CoursePage, CourseTemplate, LessonPage, ProviderCatalogue, TrainingCatalogue
from .progress import Enrollment, LearnerClock, LessonProgress

__all__ = [
    "AnnualHoursRequirement",
    "Attendance",
    "ClassSession",
    "CourseCompletion",
    "CourseModulePage",
    "CoursePage",
    "CourseTemplate",
    "Enrollment",
    "HoursEntry",
    "LearnerClock",
    "LessonPage",
    "LessonProgress",
    "ProviderCatalogue",
    "TrainingCatalogue",
]
