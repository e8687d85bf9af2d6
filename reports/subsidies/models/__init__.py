from .claims import Claim, ClaimBatch, Objection, PayableSlot, PersonYearCounter
from .people import InsuranceRecord, PayeeAccount, WorkingDayOverride, mask_account
from .policies import LEVEL_CHOICES, PolicyRate, SubsidyPolicy, SubsidyType

__all__ = [
    "LEVEL_CHOICES",
    "Claim",
    "ClaimBatch",
    "InsuranceRecord",
    "Objection",
    "PayableSlot",
    "PayeeAccount",
    "PersonYearCounter",
    "PolicyRate",
    "SubsidyPolicy",
    "SubsidyType",
    "WorkingDayOverride",
    "mask_account",
]
