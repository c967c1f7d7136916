"""Submitting an article, running its extraction job, and what editors' work survives."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError

from claims import nlp, services
from claims.choices import ClaimStatus, JobStatus
from claims.models import Article, Claim, ExtractionJob, Source

pytestmark = pytest.mark.django_db


def test_submitting_an_article_runs_its_job_after_commit(submit_seed):
    submission = submit_seed()
    job = submission.job
    assert submission.created
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 1
    assert job.extractor_version == nlp.EXTRACTOR_VERSION
    assert job.claims_found == submission.article.claims.count() > 0
    assert job.duration_ms is not None and job.finished_at >= job.started_at
    assert submission.article.language == "id"


def test_job_is_not_sent_before_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = services.article_submit(title="T", body="Harga beras naik 12 persen pada Maret 2025.")
    assert len(callbacks) == 1
    assert ExtractionJob.objects.get().status == JobStatus.QUEUED
    callbacks[0]()
    submission.job.refresh_from_db()
    assert submission.job.status == JobStatus.SUCCEEDED


def test_claim_spans_point_into_the_article_body(submit_seed):
    article = submit_seed().article
    for claim in article.claims.all():
        assert article.body[claim.start:claim.end] == claim.text


def test_the_same_text_twice_is_one_article(submit_seed):
    first = submit_seed()
    second = submit_seed()
    assert not second.created
    assert second.article == first.article
    assert Article.objects.count() == 1
    assert ExtractionJob.objects.count() == 1


def test_running_a_job_twice_changes_nothing(submit_seed):
    submission = submit_seed()
    before = list(Claim.objects.order_by("id").values())
    assert services.job_run(job_id=submission.job.pk, task_id="another-delivery") is None
    assert list(Claim.objects.order_by("id").values()) == before
    submission.job.refresh_from_db()
    assert submission.job.attempts == 1


def test_only_one_delivery_can_claim_a_job(db):
    article = Article.objects.create(body="x", content_hash="h")
    job = ExtractionJob.objects.create(article=article)
    assert services.job_claim(job_id=job.pk, task_id="a")
    assert not services.job_claim(job_id=job.pk, task_id="b")
    # The broker hands the same message out again when the worker holding it died.
    assert services.job_claim(job_id=job.pk, task_id="a")
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_dead_workers_job_is_taken_over_after_its_lease(db, settings):
    settings.FACTCHECK_JOB_LEASE_SECONDS = 0
    article = Article.objects.create(body="x", content_hash="h")
    job = ExtractionJob.objects.create(article=article)
    assert services.job_claim(job_id=job.pk, task_id="a")
    assert services.job_claim(job_id=job.pk, task_id="b")


def test_storing_the_same_extraction_again_changes_nothing(submit_seed):
    article = submit_seed().article
    # What the job stored: extract, then refine (the encoder's second pass).
    extracted = nlp.refine(nlp.extract(article.body, article.language, title=article.title))
    before = list(Claim.objects.order_by("id").values())
    result = services.claims_store(article=article, extracted=extracted)
    assert (result.created, result.updated, result.removed) == (0, 0, 0)
    assert list(Claim.objects.order_by("id").values()) == before


def test_reextraction_keeps_claims_editors_worked_on(submit_seed, editor):
    article = submit_seed().article
    claims = list(article.claims.order_by("start"))
    assert len(claims) >= 3
    assigned, sourced, dismissed = claims[:3]
    Claim.objects.filter(pk=assigned.pk).update(assignee=editor, status=ClaimStatus.IN_REVIEW)
    Source.objects.create(claim=sourced, url="https://example.org/evidence")
    Claim.objects.filter(pk=dismissed.pk).update(status=ClaimStatus.DISMISSED, text="edited by hand")

    # A new extractor version that finds nothing any more:
    result = services.claims_store(article=article, extracted=[])

    remaining = set(article.claims.values_list("pk", flat=True))
    assert remaining == {assigned.pk, sourced.pk, dismissed.pk}
    assert result.kept == 3 and result.removed == len(claims) - 3
    assert Claim.objects.get(pk=dismissed.pk).text == "edited by hand"


def test_a_failing_extractor_is_recorded_on_the_job_and_can_be_retried(
    db, monkeypatch, editor, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("extractor exploded")

    monkeypatch.setattr(nlp, "extract", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.article_submit(title="T", body="Inflasi naik 3 persen.").job
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "extractor exploded" in job.error_detail  # for the desk; partners read job.error
    assert "extractor exploded" not in job.error
    assert Claim.objects.count() == 0

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_retry(job=job, user=editor)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 1  # the desk's retry is a new start
    assert job.error == job.error_detail == ""


def test_a_transient_database_error_puts_the_job_back_for_a_retry(db, monkeypatch):
    article = Article.objects.create(body="Inflasi naik 3 persen.", content_hash="h")
    job = ExtractionJob.objects.create(article=article)

    def db_down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services.jobs, "claims_store", db_down)  # where job_run finds it
    with pytest.raises(OperationalError):
        services.job_run(job_id=job.pk, task_id="t1")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert Claim.objects.count() == 0


def test_a_half_written_claim_set_is_rolled_back(db, monkeypatch):
    article = Article.objects.create(body="Inflasi naik 3 persen. Harga beras naik 12 persen.",
                                     content_hash="h")
    job = ExtractionJob.objects.create(article=article)
    real_bulk_update = Claim.objects.bulk_create

    def create_then_fail(objs, *args, **kwargs):
        real_bulk_update(objs[:1], *args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Claim.objects, "bulk_create", create_then_fail)
    services.job_run(job_id=job.pk, task_id="t1")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert Claim.objects.count() == 0


def test_retrying_needs_staff_and_a_failed_job(submit_seed, outsider, editor):
    job = submit_seed().job
    with pytest.raises(PermissionDenied):
        services.job_retry(job=job, user=outsider)
    assert not services.job_retry(job=job, user=editor)  # it succeeded: nothing to retry


@pytest.mark.parametrize("body, message", [("", "no text"), ("   \n ", "no text")])
def test_an_empty_article_is_refused(db, body, message):
    with pytest.raises(ValidationError, match=message):
        services.article_submit(title="T", body=body)
    assert Article.objects.count() == 0


def test_a_too_long_article_is_refused(db, settings):
    settings.FACTCHECK_ARTICLE_MAX_CHARS = 100
    with pytest.raises(ValidationError, match="too long"):
        services.article_submit(title="T", body="kata " * 50)
    assert Article.objects.count() == 0


def test_the_task_records_an_unexpected_failure_but_not_a_database_outage(db):
    from claims.tasks import extract_article_claims

    article = Article.objects.create(body="x", content_hash="h")
    job, waiting = ExtractionJob.objects.create(article=article), ExtractionJob.objects.create(article=article)
    extract_article_claims.on_failure(RuntimeError("gone"), "tid", (job.pk,), {}, None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "gone" in job.error_detail and "gone" not in job.error
    # The database was down: the job stays waiting in its row, for the sweep to send again.
    extract_article_claims.on_failure(OperationalError("db gone"), "tid", (waiting.pk,), {}, None)
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.QUEUED and waiting.error == ""


ENGLISH = (
    "Inflation fell to 2.1% in October, the lowest in three years, the finance ministry said. "
    "The central bank raised rates twice this year."
)


@pytest.mark.parametrize("sentence_model", [True, False])
def test_english_claims_are_stored_with_the_sentence_models_score(db, settings, sentence_model, django_capture_on_commit_callbacks):
    settings.FACTCHECK_SENTENCE_MODEL = sentence_model
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.article_submit(title="Inflation", body=ENGLISH, language="en")
    claims = list(submission.article.claims.all())
    assert claims
    for claim in claims:
        assert any(r.startswith("sentence model ") for r in claim.reasons) is sentence_model
