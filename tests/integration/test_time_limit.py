"""A job past its time on a real worker: it ends failed after one more try, and the
article's claims stay as they were (the time is checked by the job itself, and also
arrives as Celery's soft time limit signal when the pool sends it)."""

import pytest

from claims import nlp, services
from claims.choices import JobStatus
from claims.ingest import content_hash, plain_to_article
from claims.models import Article, Claim, ExtractionJob
from tests.conftest import SEED
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_a_job_past_the_soft_time_limit_fails_and_keeps_every_claim(workers, monkeypatch):
    paragraphs = plain_to_article(SEED.read_text(encoding="utf-8")).body.split("\n")
    # Some 870,000 characters: more than any worker extracts in one second.
    body = "\n".join(f"({n}) {p}" for n in range(300) for p in paragraphs)
    article = Article.objects.create(title="Long article", body=body, content_hash=content_hash(body), language="id")
    services.claims_store(article=article, extracted=nlp.extract(body, "id", title=article.title))
    before = list(Claim.objects.filter(article=article).order_by("id").values())
    assert len(before) > 1000

    monkeypatch.setenv("CELERY_TASK_SOFT_TIME_LIMIT", "1")
    monkeypatch.setenv("CELERY_TASK_TIME_LIMIT", "120")
    workers.start()
    job = services.article_job_queue(article=article)

    wait_for(lambda: ExtractionJob.objects.get(pk=job.pk).status == JobStatus.FAILED, timeout=120,
             what="the job to fail on its time limit")
    job.refresh_from_db()
    assert job.attempts == services.JOB_TIME_LIMIT_TRIES
    assert job.error == services.JOB_ERROR_TIME_LIMIT
    assert "soft time limit" in job.error_detail
    assert list(Claim.objects.filter(article=article).order_by("id").values()) == before
