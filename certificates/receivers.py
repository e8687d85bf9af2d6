"""Reactions to other domains' events (connected in CertificatesConfig.ready)."""

from django.db import transaction
from django.dispatch import receiver

from lms.competitions.events import competition_results_published
from lms.exams.events import level_result_passed
from lms.learning.events import course_completed
from lms.registry.events import demo_resetting, person_banned


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, completion_id, **kwargs):
    """A completed course earns its training certificate (in a task; a failure never breaks the learner's
    request: the task retries, and ``manage.py issue_certificates`` catches up whatever is left)."""
    from .tasks import issue_for_completion_task

    transaction.on_commit(lambda: issue_for_completion_task.delay(completion_id), robust=True)


@receiver(person_banned, dispatch_uid="certificates.revoke_on_ban")
def revoke_on_ban(sender, person_id, **kwargs):
    """A lifetime ban revokes all the person's certificates (reason ``ban``); issuance refuses them afterwards."""
    from .services import certificates_revoke_for_ban

    certificates_revoke_for_ban(person_id=person_id)


@receiver(demo_resetting, dispatch_uid="certificates.reset_with_registry_demo")
def reset_with_registry_demo(sender, **kwargs):
    """``seed_demo --reset``: certificates point at people, so they go first (keys and types stay)."""
    from .models import Certificate, CertificateReminder, Counter, IssuanceBatch, VerificationLog

    counts = {
        "certificates_verificationlog": VerificationLog.objects.all().delete()[0],
        "certificates_certificatereminder": CertificateReminder.objects.all().delete()[0],
        "certificates_issuancebatch": IssuanceBatch.objects.all().delete()[0],
        "certificates_certificate": Certificate.objects.all().delete()[0],
    }
    Counter.objects.all().delete()
    return counts


@receiver(level_result_passed, dispatch_uid="certificates.issue_on_level_result")
def issue_on_level_result(sender, result_id, **kwargs):
    """A passed, published skill level result earns its 职业技能等级证书 (in a task, like completions: a failure
    never breaks the publishing request, the task retries and refusals are logged)."""
    from .tasks import issue_for_level_result_task

    transaction.on_commit(lambda: issue_for_level_result_task.delay(result_id), robust=True)


@receiver(competition_results_published, dispatch_uid="certificates.issue_on_competition_results")
def issue_on_competition_results(sender, competition_id, **kwargs):
    """A competition's published results earn its prize winners their 竞赛获奖证书 (in a task, like level results:
    a failure never breaks the publishing request, the task retries and refusals are logged)."""
    from .tasks import issue_for_competition_task

    transaction.on_commit(lambda: issue_for_competition_task.delay(competition_id), robust=True)
