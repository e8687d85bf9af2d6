"""Database side of the exam autosave benchmark, run in a subprocess with ``bench_settings``.

``python -m tests.benchmarks.exam_db setup N QUESTIONS OUT.json``: a provider's bank (1.4 questions per place on
the paper, four objective types), a blueprint of QUESTIONS one-point questions, a sitting open for the next hours,
N approved candidates with a login, each with an attempt started through ``services.attempts.attempt_start`` (so
the papers are real seeded draws, and their shapes cached as when a candidate starts), and a logged-in session
(written through the product's cached_db engine, as a login does) + CSRF token per candidate. The JSON lists, per
candidate, the attempt id and a valid response (two for changes) per position.

``python -m tests.benchmarks.exam_db verify``: every attempt's questions as ``[position, client_seq, response]``
rows, as JSON on stdout (for the count after the run).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sys
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.bench_settings")

MIX = (("true_false", 0.2), ("single", 0.4), ("multiple", 0.2), ("fill_blank", 0.2))


def _responses(snapshot: dict) -> tuple[list, list]:
    """Two different valid responses to a drawn question (the second for a change of mind)."""
    keys = [o["key"] for o in snapshot.get("options") or []]
    qtype = snapshot["type"]
    if qtype == "single":
        return [keys[0]], [keys[1]]
    if qtype == "multiple":
        return [keys[0], keys[1]], [keys[1], keys[2]]
    if qtype == "true_false":
        return [True], [False]
    blanks = len(snapshot["answer"])
    return ["两"] * blanks, ["体育"] * blanks


def setup(n: int, questions: int, out: str) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.cached_db import SessionStore  # the product's engine, as a login
    from django.utils import timezone

    from lms.exams.models import Candidate
    from lms.exams.services.attempts import attempt_start
    from lms.registry.models import Person
    from tests import factories as f
    from tests.lms.exams import factories as xf

    provider = f.TrainingProviderFactory(name="压测培训学校")
    bank = xf.QuestionBankFactory(provider=provider)
    sections = []
    for qtype, share in MIX:
        count = round(questions * share) if qtype != "fill_blank" else questions - sum(c for _t, c, _p in sections)
        for _ in range(int(count * 1.4) + 2):
            xf.QuestionFactory(bank=bank, **({qtype: True} if qtype != "single" else {}))
        sections.append((qtype, count, "1"))
    blueprint = xf.blueprint_with_sections(banks=[bank], sections=sections, provider=provider,
                                           total_points=Decimal(questions), duration_minutes=180)  # fmt: skip
    now = timezone.now()
    sitting = xf.SittingFactory(blueprint=blueprint, provider=provider, opens_at=now - dt.timedelta(minutes=5),
                                closes_at=now + dt.timedelta(hours=6), grace_seconds=60)  # fmt: skip
    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create([User(username=f"exam{i:05d}", password=password) for i in range(n)])
    people = [f.PersonFactory.build(user=user) for user in users]
    Person.objects.bulk_create(people)
    candidates = Candidate.objects.bulk_create(
        [Candidate(sitting=sitting, person=p, status=Candidate.Status.APPROVED) for p in people]
    )
    rows = []
    for user, candidate in zip(users, candidates, strict=True):
        attempt = attempt_start(candidate=candidate)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        answers = {}
        for position, snapshot in attempt.questions.values_list("position", "snapshot"):
            answers[position] = _responses(snapshot)
        rows.append({"attempt": attempt.pk, "session": session.session_key, "csrf": secrets.token_hex(16),
                     "answers": [answers[p] for p in sorted(answers)]})  # fmt: skip
    with open(out, "w") as fh:
        json.dump({"sitting": sitting.pk, "questions": questions, "candidates": rows}, fh)


def verify() -> None:
    from lms.exams.models import AttemptQuestion

    attempts: dict[int, list] = {}
    for attempt_id, position, seq, response in AttemptQuestion.objects.values_list(
        "attempt_id", "position", "client_seq", "response"
    ):
        attempts.setdefault(attempt_id, []).append([position, seq, response])
    json.dump(attempts, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        verify()
