"""Admin forms. Choice fields only ever offer rows the user may see (selectors.visible)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .. import selectors
from ..models import Employment, HealthCheck, Institution, Person, Region, TrainingProvider

SCOPED_MODELS = (Region, Institution, TrainingProvider, Person)


class ScopedChoicesForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None:
            return
        for field in self.fields.values():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in SCOPED_MODELS:
                field.queryset = selectors.visible(for_user, model, "view")


class PersonForm(ScopedChoicesForm):
    """Name and photo are model fields; the ID number and phone go through the service (encrypted)."""

    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)

    class Meta:
        model = Person
        fields = ["name", "photo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _(
                "Now %(masked)s. Leave empty to keep it; type the full number to correct it."
            ) % {"masked": self.instance.id_number_masked}
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.phone_masked or "-"
            }


class EmploymentCreateForm(ScopedChoicesForm):
    """Add a staff member: finds the person by ID number or registers them."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)

    class Meta:
        model = Employment
        fields = ["institution", "post", "start_date", "end_date"]

    field_order = ["institution", "name", "id_number", "phone", "post", "start_date", "end_date"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            self.fields["institution"].queryset = selectors.institutions_for(for_user, selectors.ADD, Employment)


class EmploymentEditForm(ScopedChoicesForm):
    class Meta:
        model = Employment
        fields = ["post", "start_date", "end_date"]


class HealthCheckForm(ScopedChoicesForm):
    class Meta:
        model = HealthCheck
        fields = ["person", "checked_on", "certificate_number", "issued_by"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            action = selectors.CHANGE if self.instance.pk else selectors.ADD
            self.fields["person"].queryset = selectors.people_for(for_user, action, HealthCheck)


class RosterUploadForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("An .xlsx workbook or a .csv file (UTF-8 or GBK), with the columns of the template."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = selectors.institutions_for_roster(user)
        self.fields["institution"].queryset = qs
        if qs.count() == 1:
            self.fields["institution"].initial = qs.first()
            self.fields["institution"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload
