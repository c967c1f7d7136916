"""Celery beat's sweep on a real worker sends what never reached Redis, or was lost there."""

import pytest

from claims.choices import JobStatus
from claims.models import Article, ExtractionJob
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

TEXT = "Harga beras naik 12 persen pada Maret 2025, kata Menteri Perdagangan."


def test_a_job_whose_message_never_reached_redis_is_sent_by_the_sweep(workers):
    # Committed, never sent (the web process died first): due now, and no message anywhere.
    article = Article.objects.create(title="Beras", body=TEXT, content_hash="sweep-1", language="id")
    job = ExtractionJob.objects.create(article=article)
    workers.start(beat=True, FACTCHECK_SWEEP_SECONDS="1")
    wait_for(lambda: ExtractionJob.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED, timeout=90,
             what="the sweep to send the job and the worker to run it")
    job.refresh_from_db()
    assert (job.sends, job.attempts) == (1, 1)
