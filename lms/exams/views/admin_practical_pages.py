"""Admin pages of one practical session: its panel and candidates, and its level results (decide, publish).

Reached from the session listing (``admin_practical``). The session is looked up through
``selectors.practical.practical_sessions_for`` (404 outside the user's providers); every write goes through the
services, whose refusals (recusal, panel fixed, published…) are shown on the form that caused them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from lms.registry.masking import mask_name
from lms.registry.models import Institution
from lms.registry.selectors import person_by_id_number
from lms.registry.validators import normalize

from ..models import Attempt, Examiner, LevelResult, PracticalCandidate
from ..selectors import practical as sel
from ..selectors import results as results_sel
from ..services import practical as svc
from ..services import results as results_svc

# --- forms ------------------------------------------------------------------------------------------------------


class ExaminerForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Examiner's user name"), max_length=150)
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Own institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty to use the institution where the examiner works today."),
    )
    is_chief = forms.BooleanField(label=gettext_lazy("Chief examiner"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.order_by("name")

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active user with this user name."))
        return user


class CandidateForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("Candidate's ID number"), max_length=18, min_length=18)
    slot = forms.IntegerField(
        label=gettext_lazy("Slot"), min_value=1, required=False, help_text=gettext_lazy("Empty: the next free slot.")
    )

    def clean_id_number(self):
        person = person_by_id_number(normalize(self.cleaned_data["id_number"]))
        if person is None:
            raise forms.ValidationError(_("No one with this ID number is in the registry."))
        return person


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _session(request, pk: int):
    session = sel.practical_sessions_for(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


# --- panel and candidates ---------------------------------------------------------------------------------------


def _panel_post(request, session):
    """Handle one of the page's forms; returns (examiner_form, candidate_form, done)."""
    action = request.POST.get("action")
    examiner_form, candidate_form = ExaminerForm(prefix="examiner"), CandidateForm(prefix="candidate")
    try:
        if action == "add_examiner":
            examiner_form = ExaminerForm(request.POST, prefix="examiner")
            if not examiner_form.is_valid():
                return examiner_form, candidate_form, False
            data = examiner_form.cleaned_data
            try:
                svc.examiner_add(
                    session=session,
                    user=data["username"],
                    institution=data["institution"],
                    is_chief=data["is_chief"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _add_errors(examiner_form, exc)
                return examiner_form, candidate_form, False
            messages.success(request, _("Examiner added."))
        elif action == "add_candidate":
            candidate_form = CandidateForm(request.POST, prefix="candidate")
            if not candidate_form.is_valid():
                return examiner_form, candidate_form, False
            data = candidate_form.cleaned_data
            try:
                svc.practical_candidate_add(
                    session=session, person=data["id_number"], slot=data["slot"], actor=request.user
                )
            except ValidationError as exc:
                _add_errors(candidate_form, exc)
                return examiner_form, candidate_form, False
            messages.success(request, _("Candidate scheduled."))
        elif action in ("remove_examiner", "make_chief"):
            examiner = Examiner.objects.filter(session=session, pk=request.POST.get("examiner")).first()
            if examiner is None:
                raise Http404
            if action == "make_chief":
                svc.examiner_make_chief(examiner=examiner, actor=request.user)
            else:
                svc.examiner_remove(examiner=examiner, actor=request.user)
            messages.success(request, _("Panel updated."))
        elif action == "remove_candidate":
            candidate = PracticalCandidate.objects.filter(session=session, pk=request.POST.get("candidate")).first()
            if candidate is None:
                raise Http404
            svc.practical_candidate_remove(candidate=candidate, actor=request.user)
            messages.success(request, _("Candidate removed."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return examiner_form, candidate_form, True


@require_http_methods(["GET", "POST"])
def panel_view(request, pk: int):
    session = _session(request, pk)
    examiner_form, candidate_form = ExaminerForm(prefix="examiner"), CandidateForm(prefix="candidate")
    if request.method == "POST":
        examiner_form, candidate_form, done = _panel_post(request, session)
        if done:
            return redirect("exams_practical_panel", pk=session.pk)
    examiners = [
        (e, sel.display_name(e.user)) for e in session.examiners.select_related("user", "institution").order_by("pk")
    ]
    candidates = session.candidates.select_related("person", "institution").order_by("slot", "pk")
    return TemplateResponse(
        request,
        "exams/admin/practical_panel.html",
        {
            "session": session,
            "examiners": examiners,
            "candidates": candidates,
            "examiner_form": examiner_form,
            "candidate_form": candidate_form,
            "problems": sel.panel_problems(session),
            "ratio_warning": sel.ratio_warning(session),
            "marking_started": sel.marking_started(session),
        },
    )


# --- results ----------------------------------------------------------------------------------------------------


def _decide(request, session) -> None:
    candidate = PracticalCandidate.objects.filter(session=session, pk=request.POST.get("candidate")).first()
    attempt = Attempt.objects.filter(pk=request.POST.get("attempt") or 0).first()
    if candidate is None:
        raise Http404
    if attempt is None:
        messages.error(request, _("Choose the candidate's graded theory attempt."))
        return
    review = (request.POST.get("review_score") or "").strip() or None
    try:
        result = results_svc.level_result_decide(
            attempt=attempt, practical=candidate, review_score=review, actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{mask_name(candidate.person.name)}: {message}")
        return
    if result.passed:
        messages.success(request, _("%(name)s: passed.") % {"name": mask_name(candidate.person.name)})
    else:
        messages.warning(request, _("%(name)s: not passed.") % {"name": mask_name(candidate.person.name)})


@require_http_methods(["GET", "POST"])
def results_view(request, pk: int):
    """Decide each scored candidate's level result from a graded theory attempt (and the review score at the
    levels that need it); publish the decided results of the session."""
    session = _session(request, pk)
    if request.method == "POST":
        if request.POST.get("action") == "publish":
            published = results_svc.level_results_publish(
                results=LevelResult.objects.filter(practical__session=session), actor=request.user
            )
            messages.success(
                request,
                ngettext("%(n)d result published.", "%(n)d results published.", len(published)) % {"n": len(published)},
            )
        else:
            _decide(request, session)
        return redirect("exams_practical_results", pk=session.pk)
    rows = results_sel.decision_rows(session)
    return TemplateResponse(
        request,
        "exams/admin/practical_results.html",
        {
            "session": session,
            "rows": [(row, mask_name(row.candidate.person.name)) for row in rows],
            "unpublished": sum(1 for row in rows if row.result and row.result.published_at is None),
            "review_pass_mark": sel.review_pass_mark(),
        },
    )
