from .children import ChildCount
from .config import ChildGroup, QualifyingCertificateType, QualifyingPost, StaffRatio
from .packs import ReportPack, report_storage
from .targets import INDICATOR_CHOICES, Target

__all__ = [
    "INDICATOR_CHOICES",
    "ChildCount",
    "ChildGroup",
    "QualifyingCertificateType",
    "QualifyingPost",
    "ReportPack",
    "StaffRatio",
    "Target",
    "report_storage",
]
