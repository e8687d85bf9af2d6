"""Audit actions of the certificates app (registered with lms.registry.audit in CertificatesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "certificates.certificate.issue": (_("Issue certificate"), _("Issued certificate")),
    "certificates.certificate.revoke": (_("Revoke certificate"), _("Revoked certificate")),
    "certificates.certificate.suspend": (_("Suspend certificate"), _("Suspended certificate")),
    "certificates.certificate.reinstate": (_("Reinstate certificate"), _("Reinstated certificate")),
    "certificates.certificate.renew": (_("Renew certificate"), _("Renewed certificate")),
    "certificates.certificate.remind": (_("Send renewal reminder"), _("Sent renewal reminder")),
    "certificates.certificate.render": (_("Render certificate PDF"), _("Rendered certificate PDF")),
    "certificates.key.create": (_("Create signing key"), _("Created signing key")),
    "certificates.key.rotate": (_("Rotate signing key"), _("Rotated signing key")),
    "certificates.key.withdraw": (_("Withdraw signing key"), _("Withdrew signing key")),
    "certificates.batch.create": (_("Start bulk issuance"), _("Started bulk issuance")),
    "certificates.batch.finish": (_("Finish bulk issuance"), _("Finished bulk issuance")),
}
