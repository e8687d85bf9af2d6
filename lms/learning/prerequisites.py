"""Who may take a course: prerequisite courses here, prerequisite certificates via a pluggable check.

lms may not import certificates (DESIGN.md §4), so the certificates app registers a function
that answers "does this person hold a valid certificate of this occupation at this level or
higher?" with :func:`register_certificate_check`. Until one is registered, a course that requires
a certificate refuses enrollment with a clear message rather than letting everyone in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

CertificateCheck = Callable[[int, str, int], bool]  # (person_id, occupation, level) -> holds one
_certificate_checks: list[CertificateCheck] = []


def register_certificate_check(check: CertificateCheck) -> None:
    if check not in _certificate_checks:
        _certificate_checks.append(check)


def refusal(person, course) -> str | None:
    from .models import CourseCompletion

    prereq = course.prerequisite_course
    if prereq and not CourseCompletion.objects.filter(person=person, course=prereq).exists():
        return _("Complete “%(course)s” first.") % {"course": prereq.title}
    needs = (course.prerequisite_occupation, course.prerequisite_level)
    if all(needs) and not any(check(person.pk, *needs) for check in _certificate_checks):
        return _("This course requires a valid %(occupation)s certificate at %(level)s or higher.") % {
            "occupation": course.get_prerequisite_occupation_display(),
            "level": course.get_prerequisite_level_display(),
        }
    return None
