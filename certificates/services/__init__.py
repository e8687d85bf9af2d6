"""Writes of the certificates app; views, admin, tasks and commands all call these.

``services.verification`` (the public check and its log) is imported from its module.
"""

from .batches import batch_create, batch_issue_run
from .bulk import Outcome, certificates_issue_many
from .completions import completion_certificate, completions_certify, issue_for_completion
from .counters import counter_next
from .documents import certificate_pdf_render, certificate_verify_url, document_snapshot
from .issue import BannedHolder, IssueRequest, certificate_issue
from .keys import active_signer, key_rotate, key_withdraw
from .renewal import certificate_renew, certificate_resign, renewals_and_reminders_run
from .status import certificate_reinstate, certificate_revoke, certificate_suspend, certificates_revoke_for_ban

__all__ = [
    "BannedHolder",
    "IssueRequest",
    "Outcome",
    "active_signer",
    "batch_create",
    "batch_issue_run",
    "certificate_issue",
    "certificate_pdf_render",
    "certificate_reinstate",
    "certificate_renew",
    "certificate_resign",
    "certificate_revoke",
    "certificate_suspend",
    "certificate_verify_url",
    "certificates_issue_many",
    "certificates_revoke_for_ban",
    "completion_certificate",
    "completions_certify",
    "counter_next",
    "document_snapshot",
    "issue_for_completion",
    "key_rotate",
    "key_withdraw",
    "renewals_and_reminders_run",
]
