"""Extraction on real Celery workers: the queue survives a worker killed mid-job."""

import pytest

from claims import nlp, services
from claims.choices import JobStatus
from claims.ingest import plain_to_article
from claims.models import Claim, ExtractionJob
from tests.conftest import SEED
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def job_status(job_id: int) -> str:
    return ExtractionJob.objects.values_list("status", flat=True).get(pk=job_id)


def test_a_worker_extracts_a_submitted_article(workers):
    workers.start()
    text = plain_to_article(SEED.read_text(encoding="utf-8"))
    submission = services.article_submit(title=text.title, body=text.body)
    wait_for(lambda: job_status(submission.job.pk) == JobStatus.SUCCEEDED, timeout=90,
             what="the worker to finish the job")
    expected = nlp.extract(text.body, "id", title=text.title)
    claims = Claim.objects.filter(article=submission.article)
    assert sorted(claims.values_list("start", "end")) == sorted((c.start, c.end) for c in expected)


def test_a_killed_worker_loses_no_claim_and_doubles_none(workers):
    paragraphs = plain_to_article(SEED.read_text(encoding="utf-8")).body.split("\n")
    # A long article, so that the worker is surely in the middle of it when killed.
    body = "\n".join(f"({n}) {p}" for n in range(60) for p in paragraphs)
    first = workers.start()
    submission = services.article_submit(title="Long article", body=body, language="id")
    job_id = submission.job.pk
    wait_for(lambda: job_status(job_id) == JobStatus.RUNNING, timeout=90, what="the job to start")
    workers.kill(first)
    assert job_status(job_id) == JobStatus.RUNNING
    assert Claim.objects.filter(article=submission.article).count() == 0

    workers.start()
    wait_for(lambda: job_status(job_id) == JobStatus.SUCCEEDED, timeout=180,
             what="a new worker to take over the job")
    job = ExtractionJob.objects.get(pk=job_id)
    assert job.attempts == 2
    expected = nlp.extract(body, "id", title="Long article")
    stored = list(Claim.objects.filter(article=submission.article).values_list("start", "end"))
    assert len(stored) == len(set(stored)) == len(expected) == job.claims_found
    assert set(stored) == {(c.start, c.end) for c in expected}
