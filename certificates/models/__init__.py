from .certificates import Certificate, CertificateType, Kind
from .keys import Counter, SigningKey
from .operations import CertificateReminder, IssuanceBatch, VerificationLog

__all__ = [
    "Certificate",
    "CertificateReminder",
    "CertificateType",
    "Counter",
    "IssuanceBatch",
    "Kind",
    "SigningKey",
    "VerificationLog",
]
