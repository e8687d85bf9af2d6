"""Admin pages of one sitting: manage (status, rooms, candidates), proctor's live view, marking queue.

Thin views: each POST names one action, calls one service and redirects back with a message; refusals
(``ValidationError``) become error messages. Sittings come from ``selectors.sittings`` (404 outside the user's
scope); candidates are shown with masked names and ID numbers; markers see answers without candidate names.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lms.learning.selectors.classroom import instructors_for
from lms.registry.masking import mask_name
from lms.registry.selectors import person_by_id_number

from ..models import Candidate, Sitting
from ..selectors import proctoring
from ..selectors import sittings as selectors
from ..services import marking as marking_services
from ..services import sittings as services


class RoomForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Room"), max_length=60)
    proctors = forms.ModelMultipleChoiceField(label=gettext_lazy("Proctors"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proctors"].queryset = instructors_for(user)


class ExtensionForm(forms.Form):
    minutes = forms.IntegerField(label=gettext_lazy("Extra minutes"), min_value=0, max_value=services.MAX_EXTRA_MINUTES)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class MarkForm(forms.Form):
    points = forms.DecimalField(label=gettext_lazy("Points"), max_digits=6, decimal_places=2, min_value=0)
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=300, required=False)


def _sitting(request, pk: int, rows=selectors.sittings_for) -> Sitting:
    sitting = rows(request.user).filter(pk=pk).first()
    if sitting is None:
        raise Http404
    return sitting


def _candidate(sitting: Sitting, pk) -> Candidate:
    candidate = sitting.candidates.filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def _first_error(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _act(request, sitting: Sitting, action: str) -> str:
    """Run one POSTed action; the success message (a ValidationError carries the refusal)."""
    user, post = request.user, request.POST
    if action == "schedule":
        services.sitting_schedule(sitting=sitting, actor=user)
        return _("The sitting is scheduled: candidates can start it once it opens.")
    if action == "close":
        services.sitting_close(sitting=sitting, actor=user)
        return _("The sitting is closed; attempts still open were submitted.")
    if action == "publish":
        marking_services.sitting_publish_results(sitting=sitting, actor=user)
        return _("Results published: candidates can now see their scores.")
    if action == "room":
        form = RoomForm(post, user=user)
        if not form.is_valid():
            raise ValidationError(_first_error(form))
        room = sitting.rooms.filter(pk=post.get("room")).first() if post.get("room") else None
        services.room_save(sitting=sitting, room=room, name=form.cleaned_data["name"],
                           proctors=list(form.cleaned_data["proctors"]), actor=user)  # fmt: skip
        return _("Room saved.")
    if action == "add_person":
        person = person_by_id_number((post.get("id_number") or "").strip().upper())
        if person is None:
            raise ValidationError(_("No person with this ID number is registered."))
        services.candidate_register(sitting=sitting, person=person, actor=user)
        return _("Candidate added.")
    if action == "add_completers":
        added = services.candidates_add_completers(sitting=sitting, actor=user)
        return ngettext("%(n)d course completer added.", "%(n)d course completers added.", added) % {"n": added}
    candidate = _candidate(sitting, post.get("candidate"))
    if action in ("approve", "refuse"):
        services.candidate_decide(candidate=candidate, approve=action == "approve", actor=user)
        return _("Registration approved.") if action == "approve" else _("Registration refused.")
    if action == "extend":
        form = ExtensionForm(post)
        if not form.is_valid():
            raise ValidationError(_first_error(form))
        services.candidate_extend(candidate=candidate, minutes=form.cleaned_data["minutes"],
                                  reason=form.cleaned_data["reason"], actor=user)  # fmt: skip
        return _("Extra time saved.")
    if action == "place":
        room = sitting.rooms.filter(pk=post.get("room")).first() if post.get("room") else None
        services.candidate_place(candidate=candidate, room=room, actor=user)
        return _("Room assigned.")
    raise Http404


def manage_view(request, pk: int):
    sitting = _sitting(request, pk)
    if request.method == "POST":
        try:
            messages.success(request, _act(request, sitting, request.POST.get("action", "")))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("exams_sitting_manage", pk=sitting.pk)
    rooms = sitting.rooms.prefetch_related("proctors").order_by("name")
    candidates = [
        {"candidate": c, "name": mask_name(c.person.name), "id_number": c.person.id_number_masked}
        for c in selectors.sitting_candidates(sitting)
    ]
    context = {
        "sitting": sitting,
        "warnings": selectors.ratio_warnings(sitting),
        "rooms": rooms,
        "room_form": RoomForm(user=request.user),
        "candidates": candidates,
        "awaiting_marking": proctoring.awaiting_marking_count(sitting),
        "publish_refusal": marking_services.publish_refusal(sitting) if not sitting.published_at else None,
        "duration": selectors.duration_minutes(sitting),
    }
    return TemplateResponse(request, "exams/admin/sitting_manage.html", context)


def live_view(request, pk: int):
    """Who is in, answered count and time left; ``?partial=1`` gives only the table (the page refreshes it)."""
    sitting = _sitting(request, pk, rows=selectors.proctored_sittings)
    rows = proctoring.live_rows(sitting, user=request.user)
    for row in rows:
        row["name"] = mask_name(row["candidate"].person.name)
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in ("in", "overdue", "submitted", "absent")}
    template = "exams/admin/sitting_live_table.html" if request.GET.get("partial") else "exams/admin/sitting_live.html"
    return TemplateResponse(request, template, {"sitting": sitting, "rows": rows, "counts": counts})


def marking_view(request, pk: int):
    """The sitting's short answers awaiting marks, oldest submission first, without candidates' names."""
    sitting = _sitting(request, pk)
    if not selectors.can_mark(request.user, sitting):
        raise PermissionDenied
    queue = proctoring.marking_queue(sitting)
    if request.method == "POST":
        aq = queue.filter(pk=request.POST.get("answer")).first()
        form = MarkForm(request.POST)
        if aq is None:
            messages.error(request, _("This answer has been marked already."))
        elif not form.is_valid():
            messages.error(request, _first_error(form))
        else:
            try:
                marking_services.answer_mark(attempt_question=aq, points=form.cleaned_data["points"],
                                             comment=form.cleaned_data["comment"], actor=request.user)  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Mark saved."))
        return redirect("exams_sitting_marking", pk=sitting.pk)
    items = list(queue[:20])
    context = {"sitting": sitting, "items": items, "remaining": queue.count(), "form": MarkForm()}
    return TemplateResponse(request, "exams/admin/sitting_marking.html", context)
