"""Admin forms of question banks: scoped choices, questions edited as option texts + answer text, the import upload.

The forms only present and parse; the rules are in ``lms.exams.questions`` (shared with the XLSX template) and the
writes in ``services.bank``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from lms.registry.selectors import user_scope

from ..choices import QuestionType
from ..questions import OPTION_KEYS, AnswerError, format_answer, options_from_texts, parse_answer, question_errors
from ..selectors import bank as selectors

OPTION_FIELDS = [f"option_{k.lower()}" for k in OPTION_KEYS]


class ProviderScopedForm(WagtailAdminModelForm):
    """``provider`` limited to the user's providers; required unless the user is a platform admin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "provider" in self.fields and self.for_user is not None:
            field = self.fields["provider"]
            field.queryset = selectors.provider_choices(self.for_user)
            if not user_scope(self.for_user).is_platform_admin:
                field.required = True
                field.empty_label = None


class QuestionBankForm(ProviderScopedForm):
    def clean_occupation(self):
        occupation = self.cleaned_data["occupation"]
        bank = self.instance
        if bank.pk and occupation != bank.occupation and bank.questions.exists():
            # its questions are tagged with the bank's occupation, and blueprints draw by occupation
            raise forms.ValidationError(_("A bank that has questions keeps its occupation."))
        return occupation


class QuestionForm(WagtailAdminModelForm):
    """A question with its options as six text boxes and its answer as text (the template's 答案 notation)."""

    answer_text = forms.CharField(
        label=gettext_lazy("Answer"),
        required=False,
        help_text=gettext_lazy(
            "Single choice: one letter (B). Multiple choice: two or more letters (ACD). True or false: 对 or 错. "
            "Fill in the blank: blanks separated by ';', alternatives by '|' (2|两;体育). "
            "Short answer: leave empty and write the reference answer below."
        ),
    )

    option_a = forms.CharField(label=gettext_lazy("Option A"), required=False)
    option_b = forms.CharField(label=gettext_lazy("Option B"), required=False)
    option_c = forms.CharField(label=gettext_lazy("Option C"), required=False)
    option_d = forms.CharField(label=gettext_lazy("Option D"), required=False)
    option_e = forms.CharField(label=gettext_lazy("Option E"), required=False)
    option_f = forms.CharField(label=gettext_lazy("Option F"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "bank" in self.fields and self.for_user is not None:
            self.fields["bank"].queryset = selectors.banks_for(self.for_user, "change")
        instance = self.instance
        if instance.pk:
            texts = {o.get("key"): o.get("text", "") for o in instance.options or ()}
            for key, name in zip(OPTION_KEYS, OPTION_FIELDS, strict=True):
                self.initial.setdefault(name, texts.get(key, ""))
            if instance.type != QuestionType.SHORT_ANSWER:
                self.initial.setdefault("answer_text", format_answer(instance.type, instance.answer))

    def clean(self):
        data = super().clean()
        qtype = data.get("type")
        if not qtype:
            return data
        options = options_from_texts([data.get(name, "") for name in OPTION_FIELDS])
        try:
            answer, _reference = parse_answer(qtype, data.get("answer_text", ""))
        except AnswerError as exc:
            self.add_error("answer_text", str(exc))
            return data
        data["options"], data["answer"] = options, answer
        problems = question_errors(
            qtype=qtype,
            stem=data.get("stem", ""),
            options=options,
            answer=answer,
            multiple_rule=data.get("multiple_rule", ""),
            reference_answer=data.get("reference_answer", ""),
        )
        for name, messages in problems.items():
            target = {"options": OPTION_FIELDS[0], "answer": "answer_text"}.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
        return data

    def question_fields(self) -> dict:
        """The cleaned data as keyword arguments of ``services.bank.question_create/question_update``."""
        names = [
            "type",
            "stem",
            "options",
            "answer",
            "multiple_rule",
            "reference_answer",
            "explanation",
            "level",
            "knowledge_area",
            "difficulty",
            "external_id",
            "active",
        ]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class BlueprintForm(ProviderScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "banks" in self.fields and self.for_user is not None:
            self.fields["banks"].queryset = selectors.blueprint_bank_choices(self.for_user)

    def unsaved_sections(self) -> list:
        """The sections as they will be saved (kept and new forms, not the deleted ones)."""
        formset = self.formsets["sections"]
        return [
            form.instance
            for form in formset.forms
            if not formset._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file (.xlsx)"),
        help_text=gettext_lazy("In the question template: download it below, or export a bank."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx workbook."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
