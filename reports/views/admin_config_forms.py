"""Forms of the statistics settings screens (``admin_config``): choices limited to the user's scope.

A target is identified by its region, indicator, figure and year, and a child count by its institution and
date: the edit forms change only the values (to move one, add the new one and delete the old).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from lms.registry.models import Institution, Region

from ..models import ChildCount, Target
from ..selectors import editing
from ..selectors.indicators import INDICATORS, columns

KEY_COLUMNS = {"code", "name", "region"}


def measure_choices() -> list[tuple[str, str]]:
    """The figures a target can apply to: the main figure ("") or any figure column of an indicator."""
    choices, seen = [("", gettext("The indicator's main figure"))], {""}
    for code in INDICATORS:
        for key, label in columns(code, "county"):
            if key not in KEY_COLUMNS and key not in seen:
                seen.add(key)
                choices.append((key, label))
    return choices


class TargetForm(WagtailAdminModelForm):
    class Meta:
        model = Target
        fields = ["region", "indicator", "measure", "year", "from_year", "value", "target_date", "source"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "region" in self.fields:
            self.fields["region"].queryset = editing.target_regions(for_user) if for_user else Region.objects.none()
        if "measure" in self.fields:
            self.fields["measure"] = forms.ChoiceField(
                label=self.fields["measure"].label,
                choices=measure_choices(),
                required=False,
                help_text=gettext_lazy("E.g. director or health-care/caregiver person-times of the training target."),
            )
        self.fields["target_date"].required = False
        self.fields["target_date"].help_text = gettext_lazy("Empty: 31 December of the target year.")


class TargetValuesForm(TargetForm):
    """Changing a target: its values only."""

    class Meta(TargetForm.Meta):
        fields = ["from_year", "value", "target_date", "source"]


class ChildCountForm(WagtailAdminModelForm):
    class Meta:
        model = ChildCount
        fields = ["institution", "counted_on", "infants", "younger", "older"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "institution" in self.fields:
            none = Institution.objects.none()
            self.fields["institution"].queryset = editing.child_count_institutions(for_user) if for_user else none


class ChildCountValuesForm(ChildCountForm):
    """Correcting a child count: the numbers only."""

    class Meta(ChildCountForm.Meta):
        fields = ["infants", "younger", "older"]
