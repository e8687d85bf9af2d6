"""Candidate pages over HTTP: my exams, start, the exam page (never an answer in it), the autosave API, submit,
results after publication."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.exams.models import Attempt, AttemptQuestion
from lms.exams.services.attempts import attempt_start
from lms.exams.services.marking import answer_mark, sitting_publish_results
from lms.exams.services.sittings import sitting_close
from tests import factories as f

from .sittings_fixtures import *  # noqa: F403  (fixtures)
from .sittings_fixtures import correct_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client, exam_world):
    client.force_login(exam_world.user)
    return client


def _post_answer(client, attempt, body, **extra):
    return client.post(reverse("exams:answers", args=[attempt.pk]), json.dumps(body),
                       content_type="application/json", **extra)  # fmt: skip


def _secrets(attempt) -> list[str]:
    """Texts that must never reach the candidate's browser before review: answers, reference answers."""
    found = []
    for aq in attempt.questions.all():
        snap = aq.snapshot
        found.append(json.dumps({"answer": snap["answer"]}, ensure_ascii=False)[1:-1])
        if snap.get("reference_answer"):
            found.append(snap["reference_answer"])
        for alternatives in snap["answer"] if snap["type"] == "fill_blank" else ():
            found.extend(a for a in alternatives if len(a) > 1)  # "2" would match any date
    return [s for s in found if s]


def test_my_exams_lists_the_sitting_and_starts_it(candidate_client, exam_world):
    page = candidate_client.get(reverse("exams:my_exams"))
    assert page.status_code == 200
    assert exam_world.sitting.title in page.content.decode()
    assert b'data-testid="start"' in page.content
    response = candidate_client.post(reverse("exams:start", args=[exam_world.sitting.pk]))
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response.url == reverse("exams:attempt", args=[attempt.pk])
    again = candidate_client.post(reverse("exams:start", args=[exam_world.sitting.pk]))
    assert again.url == response.url and Attempt.objects.count() == 1
    assert b'data-testid="continue"' in candidate_client.get(reverse("exams:my_exams")).content


def test_the_exam_page_holds_no_answers(candidate_client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    page = candidate_client.get(reverse("exams:attempt", args=[attempt.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('data-testid="question"') == 10
    assert all(aq.snapshot["stem"] in html for aq in attempt.questions.all())
    for secret in _secrets(attempt):
        assert secret not in html, secret
    config = json.loads(html.split('id="exam-config" type="application/json">')[1].split("</script>")[0])
    assert set(config) == {"attempt", "deadline", "serverNow", "answersUrl", "questions"}
    assert all(set(q) == {"position", "type", "seq", "response"} for q in config["questions"])


def test_saved_answers_come_back_on_reload(candidate_client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    single = attempt.questions.filter(snapshot__type="single").first()
    key = single.snapshot["options"][2]["key"]
    saved = _post_answer(candidate_client, attempt, {"position": single.position, "response": [key], "seq": 3})
    assert saved.json() == {"position": single.position, "seq": 3, "applied": True}
    html = candidate_client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert f'name="q{single.position}" value="{key}" checked' in html


def test_the_api_is_ordered_idempotent_and_says_why_it_refuses(candidate_client, exam_world, english):
    attempt = attempt_start(candidate=exam_world.candidate)
    tf = attempt.questions.filter(snapshot__type="true_false").first()
    body = {"position": tf.position, "response": [True], "seq": 10}
    assert _post_answer(candidate_client, attempt, body).json()["applied"] is True
    replay = _post_answer(candidate_client, attempt, body).json()
    older = _post_answer(candidate_client, attempt, body | {"response": [False], "seq": 9}).json()
    assert (replay["applied"], replay["seq"], older["applied"], older["seq"]) == (False, 10, False, 10)
    tf.refresh_from_db()
    assert tf.response == [True]
    assert _post_answer(candidate_client, attempt, body | {"response": ["maybe"], "seq": 11}).status_code == 400
    assert _post_answer(candidate_client, attempt, {"position": "1", "seq": 12}).status_code == 400
    broken = candidate_client.post(reverse("exams:answers", args=[attempt.pk]), "{", content_type="application/json")
    assert broken.status_code == 400
    assert _post_answer(candidate_client, attempt, body | {"position": 99, "seq": 13}).status_code == 404
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - dt.timedelta(minutes=2))
    late = _post_answer(candidate_client, attempt, body | {"seq": 14})
    assert late.status_code == 409 and late.json()["code"] == "time_up" and "考试时间已到" in late.json()["error"]


def test_the_api_needs_the_owner_a_login_and_the_csrf_token(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    body = {"position": 1, "response": None, "seq": 1}
    assert _post_answer(Client(), attempt, body).status_code == 403
    other = Client()
    intruder = f.UserFactory()
    f.PersonFactory(user=intruder)
    other.force_login(intruder)
    assert _post_answer(other, attempt, body).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(exam_world.user)
    assert _post_answer(strict, attempt, body).status_code == 403
    strict.get(reverse("exams:attempt", args=[attempt.pk]))
    token = strict.cookies["csrftoken"].value
    assert _post_answer(strict, attempt, body, HTTP_X_CSRFTOKEN=token).status_code == 200
    assert other.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404


def test_submit_then_results_only_after_publication(candidate_client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    for seq, aq in enumerate(attempt.questions.all(), start=1):
        _post_answer(candidate_client, attempt, {"position": aq.position, "response": correct_response(aq), "seq": seq})
    response = candidate_client.post(reverse("exams:submit", args=[attempt.pk]))
    assert response.status_code == 302 and response.url == reverse("exams:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.MARKING
    # the exam page now leads to the result; answers are refused
    assert candidate_client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 302
    assert _post_answer(candidate_client, attempt, {"position": 1, "response": None, "seq": 99}).status_code == 409
    html = candidate_client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert 'data-testid="result-pending"' in html and 'data-testid="score"' not in html
    awarded = AttemptQuestion.objects.filter(attempt=attempt).exclude(snapshot__type="short_answer")
    assert awarded.filter(awarded__isnull=False).count() == 8  # graded on the server, but not shown
    for secret in _secrets(attempt):
        assert secret not in html

    for aq in attempt.questions.filter(snapshot__type="short_answer"):
        answer_mark(attempt_question=aq, points=4, comment="要点不全", actor=exam_world.staff)
    sitting_close(sitting=exam_world.sitting, actor=exam_world.staff)
    sitting_publish_results(sitting=exam_world.sitting, actor=exam_world.staff)
    html = candidate_client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert 'data-testid="score"' in html and "88.00" in html
    assert 'data-testid="review"' in html and "要点不全" in html  # after_publish: the review is open


def test_without_javascript_the_form_saves_its_answers_on_submit(candidate_client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    tf = attempt.questions.filter(snapshot__type="true_false").first()
    fill = attempt.questions.filter(snapshot__type="fill_blank").first()
    right = "true" if tf.snapshot["answer"] == [True] else "false"
    blanks = {f"q{fill.position}_{i}": alts[0] for i, alts in enumerate(fill.snapshot["answer"])}
    candidate_client.post(reverse("exams:submit", args=[attempt.pk]),
                          {"nojs": "1", f"q{tf.position}": right, **blanks})  # fmt: skip
    tf.refresh_from_db()
    fill.refresh_from_db()
    assert tf.awarded == tf.points and fill.awarded == fill.points


def test_someone_elses_result_is_not_found(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    other = Client()
    other.force_login(f.UserFactory())
    assert other.get(reverse("exams:result", args=[attempt.pk])).status_code == 404
    assert other.post(reverse("exams:submit", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
