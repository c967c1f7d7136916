"""A job whose extraction fails or runs out of time ends failed and leaves the article's
claims as they were; partners read a plain message, editors the detail."""

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone

from claims import nlp, services
from claims.choices import JobStatus
from claims.models import Article, Claim, ExtractionJob, Source
from claims.nlp import encoder_model, sentence_model

pytestmark = pytest.mark.django_db

ENGLISH = (
    "Inflation fell to 2.1% in October, the lowest in three years, the finance ministry said. "
    "The central bank raised rates twice this year."
)


def _claims_of(article):
    return list(Claim.objects.filter(article=article).order_by("id").values())


def _reextract(article, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.article_reextract(article=article, user=editor)
    job.refresh_from_db()
    return job


def _time_is_up(*args, **kwargs):
    raise SoftTimeLimitExceeded()


def test_a_time_limit_in_the_extractor_fails_the_job_and_keeps_every_claim(
    submit_seed, editor, monkeypatch, django_capture_on_commit_callbacks
):
    article = submit_seed().article
    before = _claims_of(article)
    assert len(before) > 10
    monkeypatch.setattr(nlp, "candidates_from_doc", _time_is_up)

    job = _reextract(article, editor, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.FAILED
    assert _claims_of(article) == before
    assert job.claims_found is None
    assert "took too long" in job.error
    # Retried once (a busy machine may be the cause), not again and again.
    assert job.attempts == 2


def test_a_time_limit_in_the_sentence_model_fails_the_job_and_keeps_the_claims(
    db, settings, editor, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FACTCHECK_SENTENCE_MODEL = True
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_submit(title="Inflation", body=ENGLISH, language="en").article
    before = _claims_of(article)
    assert before and all(any(r.startswith("sentence model ") for r in c["reasons"]) for c in before)
    monkeypatch.setattr(sentence_model.SentenceModel, "predict_proba", _time_is_up)
    monkeypatch.setattr(encoder_model.EncoderModel, "logits", _time_is_up)

    job = _reextract(article, editor, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.FAILED
    assert _claims_of(article) == before


def test_an_extractor_bug_fails_the_job_at_once_and_keeps_the_claims(
    submit_seed, editor, monkeypatch, django_capture_on_commit_callbacks
):
    article = submit_seed().article
    before = _claims_of(article)

    def bug(*args, **kwargs):
        raise KeyError("speaker_memory at /srv/factcheck/claims/nlp/assembly.py")

    monkeypatch.setattr(nlp, "candidates_from_doc", bug)
    job = _reextract(article, editor, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.FAILED
    assert job.attempts == 1  # the same bug would fail again: no retry
    assert _claims_of(article) == before
    # Partners read a plain message; the detail is for editors.
    assert "KeyError" not in job.error and "/srv/" not in job.error
    assert "KeyError" in job.error_detail


def test_a_job_claimed_more_often_than_allowed_ends_failed(db, settings, monkeypatch):
    """A job whose worker keeps dying (killed at the hard time limit, out of memory) is
    handed out again each time; after FACTCHECK_JOB_MAX_ATTEMPTS it is given up."""
    settings.FACTCHECK_JOB_MAX_ATTEMPTS = 3
    settings.FACTCHECK_JOB_LEASE_SECONDS = 0  # each redelivery may take the job over
    article = Article.objects.create(body="Harga beras naik 12 persen pada Maret 2025.", content_hash="h")
    job = ExtractionJob.objects.create(
        article=article, status=JobStatus.RUNNING, attempts=3, started_at=timezone.now() - timedelta(hours=1)
    )
    calls = []
    monkeypatch.setattr(nlp, "extract", lambda *a, **k: calls.append(1) or [])

    services.job_run(job_id=job.pk, task_id="redelivered")

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "3 attempts" in job.error
    assert calls == []


def test_a_job_within_its_attempts_runs(db, settings):
    settings.FACTCHECK_JOB_MAX_ATTEMPTS = 3
    article = Article.objects.create(body="Harga beras naik 12 persen pada Maret 2025.", content_hash="h")
    job = ExtractionJob.objects.create(article=article, attempts=2)
    services.job_run(job_id=job.pk, task_id="t")
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCEEDED, 3)


# --- Re-extraction against an editor's first step -------------------------------------
#
# claims_store reads the article's claims, decides which nobody has worked on, and then
# removes those the extractor no longer finds. An editor's step that lands in between
# (here run from inside the selector, on this same connection) must win.


def _editor_step_during_store(monkeypatch, step):
    real = services.jobs.selectors.claim_is_worked
    done = []

    def worked_then_step(claim):
        answer = real(claim)
        if not done:
            done.append(step())
        return answer

    monkeypatch.setattr(services.jobs.selectors, "claim_is_worked", worked_then_step)
    return done


def test_a_claim_assigned_while_reextraction_runs_is_kept(submit_seed, editor, monkeypatch):
    article = submit_seed().article
    claim = article.claims.order_by("start").first()
    _editor_step_during_store(monkeypatch, lambda: services.claim_assign(claim=claim, user=editor))

    result = services.claims_store(article=article, extracted=[])  # finds nothing any more

    kept = Claim.objects.get(pk=claim.pk)
    assert (kept.status, kept.assignee) == ("in_review", editor)
    assert list(article.claims.values_list("pk", flat=True)) == [claim.pk]
    assert result.kept == 1


def test_a_source_added_while_reextraction_runs_is_kept_with_its_claim(submit_seed, editor, monkeypatch):
    article = submit_seed().article
    claim = article.claims.order_by("start").first()
    _editor_step_during_store(
        monkeypatch, lambda: services.source_add(claim=claim, user=editor, url="https://example.org/bukti")
    )

    services.claims_store(article=article, extracted=[])

    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Source.objects.filter(claim_id=claim.pk).count() == 1


def test_a_claim_worked_on_while_reextraction_runs_keeps_its_text(submit_seed, editor, monkeypatch):
    """The extractor's new reading of a claim is not written over one an editor took."""
    article = submit_seed().article
    extracted = nlp.extract(article.body, article.language, title=article.title)
    first = extracted[0]
    claim = Claim.objects.get(article=article, start=first.start, end=first.end)
    reworded = [replace(first, context="a new extractor's context"), *extracted[1:]]
    _editor_step_during_store(monkeypatch, lambda: services.claim_assign(claim=claim, user=editor))

    services.claims_store(article=article, extracted=reworded)

    assert Claim.objects.get(pk=claim.pk).context == claim.context


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["assign", "source"])
def test_on_postgresql_an_editors_step_and_a_reextraction_never_undo_each_other(editor, monkeypatch, step):
    """Two connections: the editor's step starts while claims_store is between reading the
    claims and removing them. Either the step waits and then finds the claim gone (a
    clear refusal), or it lands first and the claim stays: never a claim removed under an
    editor, and never a foreign-key error."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL)")
    # A transactional test may follow another that emptied the tables, groups included.
    editor.user_permissions.add(Permission.objects.get(codename="work_claim"))
    editor = type(editor).objects.get(pk=editor.pk)
    body = "Harga beras naik 12 persen pada Maret 2025, kata Kepala BPS. Inflasi 3 persen pada 2024."
    article = Article.objects.create(body=body, content_hash="race", language="id")
    services.claims_store(article=article, extracted=nlp.extract(body, "id"))
    claim = article.claims.order_by("start").first()
    assert claim is not None
    outcome = {}

    def editor_step():
        try:
            if step == "assign":
                services.claim_assign(claim=claim, user=editor)
            else:
                services.source_add(claim=claim, user=editor, url="https://example.org/bukti")
            outcome["done"] = True
        except Exception as exc:  # noqa: BLE001 - the test reports what the step met
            outcome["error"] = exc
        finally:
            connection.close()

    def start_step_and_wait_until_it_lands_or_blocks():
        thread = threading.Thread(target=editor_step)
        thread.start()
        with connection.cursor() as cursor:
            for _ in range(200):  # at most about 10 s
                thread.join(0.05)
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
                if not thread.is_alive() or cursor.fetchone()[0]:
                    break
        return thread

    started = _editor_step_during_store(monkeypatch, start_step_and_wait_until_it_lands_or_blocks)
    services.claims_store(article=article, extracted=[])
    started[0].join(30)

    still_there = Claim.objects.filter(pk=claim.pk).first()
    if "done" in outcome:
        assert still_there is not None and still_there.status == "in_review"
        assert Source.objects.filter(claim=still_there).count() == (step == "source")
    else:
        assert isinstance(outcome.get("error"), services.WorkflowError), outcome
        assert still_there is None


def test_a_job_past_its_time_stops_itself_even_without_a_signal(
    submit_seed, editor, settings, django_capture_on_commit_callbacks
):
    """Celery's time-limit signals were seen not to come at all; the extractor checks the
    soft limit itself between chunks (here a limit of 0 s: it stops at the first)."""
    article = submit_seed().article
    before = _claims_of(article)
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 0

    job = _reextract(article, editor, django_capture_on_commit_callbacks)

    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert job.error == services.JOB_ERROR_TIME_LIMIT
    assert _claims_of(article) == before
