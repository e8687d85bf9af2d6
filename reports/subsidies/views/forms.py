"""Forms of the subsidy admin and front-site pages (input only: the services validate and write)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation

from ..models import LEVEL_CHOICES, SubsidyPolicy, SubsidyType
from ..services.policies import POLICY_FIELDS

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y%m"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class BatchCreateForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Training provider"), queryset=None)
    subsidy_type = forms.ChoiceField(label=_("Subsidy type"), choices=SubsidyType.choices)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label=_("Contact (name and phone)"), max_length=120, required=False)


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Dismiss the objection")), ("1", _("Uphold it and reject the claim"))],
        coerce=lambda value: value == "1",
    )
    resolution = forms.CharField(label=_("Resolution"), max_length=300)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment reference"), max_length=60, required=False)


class AccountForm(forms.Form):
    account_name = forms.CharField(label=_("Account holder"), max_length=120)
    bank_name = forms.CharField(label=_("Bank"), max_length=120)
    number = forms.CharField(label=_("Account number"), max_length=40)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SubsidyPolicy
        fields = list(POLICY_FIELDS)
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class RateForm(forms.Form):
    occupation = forms.ChoiceField(label=_("Occupation"), choices=Occupation.choices)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=9, decimal_places=2, min_value=0.01)


RateFormSet = formset_factory(RateForm, extra=3, can_delete=True)


class InsuranceForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    first_month = forms.DateField(label=_("First month"), input_formats=MONTH_FORMATS, widget=MonthInput())
    last_month = forms.DateField(
        label=_("Last month"),
        input_formats=MONTH_FORMATS,
        widget=MonthInput(),
        required=False,
        help_text=_("Empty = still insured."),
    )
    insurer = forms.CharField(label=_("Insured at"), max_length=120, required=False)


class InsuranceImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns: 身份证号, 起始月份, 终止月份, 参保单位."))


class WorkdayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    working = forms.TypedChoiceField(
        label=_("This day is"),
        choices=[("0", _("a holiday (not worked)")), ("1", _("a working day (调休)"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=60, required=False)


class SelfClaimForm(forms.Form):
    certificate = forms.ModelChoiceField(label=_("Certificate"), queryset=None, empty_label=None)
    subsidy_type = forms.ChoiceField(label=_("Subsidy"))

    def __init__(self, *args, certificates, subsidy_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = certificates
        self.fields["certificate"].label_from_instance = certificate_label
        self.fields["subsidy_type"].choices = subsidy_types


def certificate_label(certificate) -> str:
    from .. import reasons

    parts = [certificate.type.name, reasons.occupation_label(certificate.occupation)]
    if certificate.level:
        parts.append(reasons.level_label(certificate.level))
    return f"{' · '.join(parts)} ({certificate.number}, {certificate.issued_on:%Y-%m-%d})"
