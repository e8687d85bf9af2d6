"""Writes of the subsidy claims; views, admin, commands and the demo all call these (audited, in transactions)."""

from .accounts import payee_account_set
from .claims import (
    ClaimRefused,
    batch_check,
    batch_create,
    batch_submit,
    claim_remove,
    claims_add,
    self_claim_check,
    self_claim_submit,
)
from .evaluation import Evaluation, claim_evaluate
from .export import exportable, payment_xlsx
from .insurance import ImportResult, insurance_import, insurance_record
from .policies import policy_save, workday_set
from .review import (
    batch_approve_pending,
    batch_mark_paid,
    batch_publish,
    claim_approve,
    claim_reject,
    objection_record,
    objection_resolve,
)

__all__ = [
    "ClaimRefused",
    "Evaluation",
    "ImportResult",
    "batch_approve_pending",
    "batch_check",
    "batch_create",
    "batch_mark_paid",
    "batch_publish",
    "batch_submit",
    "claim_approve",
    "claim_evaluate",
    "claim_reject",
    "claim_remove",
    "claims_add",
    "exportable",
    "insurance_import",
    "insurance_record",
    "objection_record",
    "objection_resolve",
    "payee_account_set",
    "payment_xlsx",
    "policy_save",
    "self_claim_check",
    "self_claim_submit",
    "workday_set",
]
