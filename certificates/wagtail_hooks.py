"""The certificates back office in the Wagtail admin: one "Certificates" menu.

* Certificates — scoped listing, inspect (frozen snapshot), history; revoke / suspend / reinstate; ZIP of PDFs;
* Bulk issuance — completions without a certificate, batches with a progress bar;
* Verification log — platform admins, health and HR officers;
* Certificate types and Signing keys — platform admins only.

Each item shows only to the users who may use it (see ``selectors.admin``). The audit actions of the app are
registered with Wagtail's log by ``lms.registry.wagtail_hooks`` (``CertificatesConfig.ready`` adds them to
``lms.registry.audit.ACTIONS``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .views.admin import CertificateViewSet
from .views.admin_issue import IssuanceViewSet
from .views.admin_keys import CertificateTypeViewSet, SigningKeyViewSet
from .views.admin_verifications import VerificationLogViewSet


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full-inverse"
    menu_name = "certificates"
    menu_order = 250
    items = (
        CertificateViewSet(),
        IssuanceViewSet(),
        VerificationLogViewSet(),
        CertificateTypeViewSet(),
        SigningKeyViewSet(),
    )


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return CertificatesGroup()
