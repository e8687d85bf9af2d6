"""Forms of the certificates back office (input only: every change goes through ``certificates.services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificateType
from .services.status import NOTE_MAX


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Certificate.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, and the reference of the decision (kept in the audit log)."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a revoked certificate can never become valid again."), required=True
    )


class SuspendForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Certificate.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the certificate is suspended, e.g. the investigation under way."),
    )


class ReinstateForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the certificate is valid again (kept in the audit log)."),
    )


class KeyRotateForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Create a new signing key. New certificates will be signed with it; certificates signed with the "
            "current key stay valid."
        ),
        required=True,
    )


class KeyWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the key is withdrawn (e.g. suspected compromise)."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that every certificate signed with this key will verify as invalid until it is re-issued."
        ),
        required=True,
    )


class BatchRerunForm(forms.Form):
    """No fields: the POST itself (with its CSRF token) is the confirmation."""


class CertificateTypeForm(forms.ModelForm):
    """A type as platform admins edit it; the kind and code are set when the type is created and then fixed
    (the kind is signed into every payload)."""

    class Meta:
        model = CertificateType
        fields = ["name", "number_prefix", "validity", "validity_years", "layout", "active"]

    def clean_number_prefix(self):
        return (self.cleaned_data.get("number_prefix") or "").strip().upper()


class CertificateTypeCreateForm(CertificateTypeForm):
    class Meta(CertificateTypeForm.Meta):
        fields = ["code", "kind", *CertificateTypeForm.Meta.fields]
