"""Jobs and webhooks survive a broker outage: the row is the truth, the sweep sends what is due."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from claims import selectors, services
from claims.choices import JobStatus
from claims.models import Article, Claim, ExtractionJob

pytestmark = pytest.mark.django_db

TEXT = "Harga beras naik 12 persen pada Maret 2025, kata Menteri Perdagangan."


def submit(body: str = TEXT, capture=None):  # noqa: ANN001, ANN201
    with capture(execute=True):
        return services.article_submit(title="Beras", body=body)


def overdue(job: ExtractionJob, **fields) -> None:
    """Let time pass for a job: whatever it waits for is now in the past."""
    long_ago = timezone.now() - timedelta(hours=1)
    ExtractionJob.objects.filter(pk=job.pk).update(due_at=long_ago, **fields)


def test_a_submission_while_the_broker_is_down_is_kept_and_marked_stuck(
    broker, django_capture_on_commit_callbacks
):
    broker.up = False
    submission = submit(capture=django_capture_on_commit_callbacks)
    assert submission.created
    job = ExtractionJob.objects.get()
    assert job.status == JobStatus.QUEUED
    assert selectors.job_is_stuck(job)
    assert Article.objects.count() == 1


def test_the_sweep_sends_a_job_that_never_reached_the_broker(broker, django_capture_on_commit_callbacks):
    broker.up = False
    submit(capture=django_capture_on_commit_callbacks)
    broker.up = True
    assert services.sweep_due().jobs == 1
    job = ExtractionJob.objects.get()
    assert job.status == JobStatus.SUCCEEDED
    assert Claim.objects.filter(article=job.article).count() == job.claims_found > 0
    assert services.sweep_due().jobs == 0
    assert len(broker.sent_of("extract_article_claims")) == 1


def test_the_sweep_leaves_a_job_alone_while_its_first_send_may_still_happen(
    broker, django_capture_on_commit_callbacks
):
    broker.run = False
    with django_capture_on_commit_callbacks(execute=False):  # committed, not yet sent
        services.article_submit(title="Beras", body=TEXT)
    assert services.sweep_due().jobs == 0
    # The web process died before sending: once its grace has passed, the sweep sends it.
    overdue(ExtractionJob.objects.get())
    assert services.sweep_due().jobs == 1
    assert len(broker.sent) == 1


def test_the_sweep_sends_each_due_row_once_and_never_what_is_in_flight(broker, settings):
    broker.run = False
    article = Article.objects.create(body=TEXT, content_hash="h")
    long_ago = timezone.now() - timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS + 60)

    never_sent = ExtractionJob.objects.create(article=article)
    overdue(never_sent)
    waiting = ExtractionJob.objects.create(article=article)  # sent a moment ago, in the queue
    ExtractionJob.objects.filter(pk=waiting.pk).update(
        sent_at=timezone.now(), due_at=timezone.now() + timedelta(minutes=5)
    )
    running = ExtractionJob.objects.create(article=article)
    assert services.job_claim(job_id=running.pk, task_id="alive")
    dead = ExtractionJob.objects.create(article=article)
    assert services.job_claim(job_id=dead.pk, task_id="killed")
    overdue(dead, started_at=long_ago)
    finished = ExtractionJob.objects.create(article=article, status=JobStatus.SUCCEEDED)
    overdue(finished)
    failed = ExtractionJob.objects.create(article=article, status=JobStatus.FAILED)
    overdue(failed)

    first, second = services.sweep_due(), services.sweep_due()
    assert (first.jobs, second.jobs) == (2, 0)
    assert sorted(args[0] for args in broker.sent_of("extract_article_claims")) == [never_sent.pk, dead.pk]


def test_a_job_sent_twice_runs_once(broker, django_capture_on_commit_callbacks):
    from claims.tasks import extract_article_claims

    broker.run = False
    submit(capture=django_capture_on_commit_callbacks)
    job = ExtractionJob.objects.get()
    overdue(job)  # the first message sits in a queue longer than the sweep expects
    assert services.sweep_due().jobs == 1
    for n, (job_id,) in enumerate(broker.sent_of("extract_article_claims")):
        extract_article_claims.apply(args=[job_id], task_id=f"delivery-{n}")
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCEEDED, 1)
    assert Claim.objects.count() == job.claims_found


def test_the_sweep_stops_at_the_first_broker_error_and_keeps_the_rows_due(broker):
    article = Article.objects.create(body=TEXT, content_hash="h")
    jobs = [ExtractionJob.objects.create(article=article) for _ in range(3)]
    for job in jobs:
        overdue(job)
    broker.up = False
    assert services.sweep_due().jobs == 0
    assert all(selectors.job_is_stuck(job) for job in ExtractionJob.objects.all())
    broker.up, broker.run = True, False
    assert services.sweep_due().jobs == 3


def test_resubmitting_an_article_whose_job_is_stuck_sends_it_again(broker, django_capture_on_commit_callbacks):
    broker.up = False
    submit(capture=django_capture_on_commit_callbacks)
    broker.up = True
    again = submit(capture=django_capture_on_commit_callbacks)
    assert not again.created
    job = ExtractionJob.objects.get()
    assert job.status == JobStatus.SUCCEEDED
    assert not selectors.job_is_stuck(job)
    assert len(broker.sent_of("extract_article_claims")) == 1


def test_a_stuck_queued_job_can_be_retried_by_an_editor(broker, editor, django_capture_on_commit_callbacks):
    broker.up = False
    submit(capture=django_capture_on_commit_callbacks)
    broker.up = True
    job = ExtractionJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_retry(job=job, user=editor)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_queued_job_that_is_not_stuck_is_not_retried(broker, editor, django_capture_on_commit_callbacks):
    broker.run = False
    submit(capture=django_capture_on_commit_callbacks)
    job = ExtractionJob.objects.get()
    assert not selectors.job_is_stuck(job)
    assert not services.job_requeue(job=job)
    assert len(broker.sent) == 1


def test_a_job_running_past_its_lease_is_stuck_and_can_be_retried(broker, settings):
    broker.run = False
    article = Article.objects.create(body=TEXT, content_hash="h")
    job = ExtractionJob.objects.create(article=article)
    assert services.job_claim(job_id=job.pk, task_id="killed")
    job.refresh_from_db()
    assert not selectors.job_is_stuck(job)
    overdue(job, started_at=timezone.now() - timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS + 1))
    job.refresh_from_db()
    assert selectors.job_is_stuck(job)
    assert services.job_requeue(job=job)


# --- The desk -------------------------------------------------------------------------------


# Transactional, so that the retry is sent when the action commits, inside the request. An
# earlier transactional test may have flushed the Editors group: a superuser stands in.
@pytest.mark.django_db(transaction=True)
def test_the_admin_shows_stuck_jobs_and_retries_them(admin_client, broker):
    desk = admin_client
    broker.up = False
    services.article_submit(title="Beras", body=TEXT)
    job = ExtractionJob.objects.get()
    changelist = reverse("admin:claims_extractionjob_changelist")
    page = desk.get(changelist + "?stuck=yes").content.decode()
    assert f"/admin/claims/extractionjob/{job.pk}/change/" in page
    assert "stuck" in page.lower()

    # Still down: the retry is accepted, the job stays due, and the desk is told so.
    answer = desk.post(changelist, {"action": "retry", "_selected_action": [job.pk]}, follow=True)
    assert answer.status_code == 200
    assert "cannot be reached" in answer.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and selectors.job_is_stuck(job)

    broker.up = True
    answer = desk.post(changelist, {"action": "retry", "_selected_action": [job.pk]}, follow=True)
    assert "Queued 1 job(s) again" in answer.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert f"/admin/claims/extractionjob/{job.pk}/change/" not in desk.get(changelist + "?stuck=yes").content.decode()


# --- import_articles ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_import_articles_keeps_going_when_the_broker_is_down(broker, tmp_path: Path):
    broker.up = False
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Judul {n}\n{TEXT} Angka {n} naik {n + 2} persen.", encoding="utf-8")
    out = StringIO()
    call_command("import_articles", str(tmp_path), "--no-progress", stdout=out, stderr=StringIO())
    lines = [line for line in out.getvalue().splitlines() if line.startswith(str(tmp_path))]
    assert len(lines) == 3
    assert all("sent to the workers when they can be reached" in line for line in lines)
    assert "3 imported" in out.getvalue()
    assert ExtractionJob.objects.filter(status=JobStatus.QUEUED).count() == 3

    broker.up = True
    assert services.sweep_due().jobs == 3
    assert ExtractionJob.objects.filter(status=JobStatus.SUCCEEDED).count() == 3


# --- A database outage under the task ---------------------------------------------------------


def test_a_database_outage_does_not_use_up_the_retries_nor_fail_the_job(db, monkeypatch):
    from claims import tasks

    article = Article.objects.create(body=TEXT, content_hash="h")
    job = ExtractionJob.objects.create(article=article)
    delays: list[float] = []
    real_retry = tasks.extract_article_claims.retry

    def retry(*args, countdown=None, **kwargs):  # noqa: ANN001, ANN202
        delays.append(countdown)
        return real_retry(*args, countdown=countdown, **kwargs)

    def db_down(**kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(tasks.extract_article_claims, "retry", retry)
    monkeypatch.setattr(services.jobs, "job_claim", db_down)  # where job_run finds it
    tasks.extract_article_claims.apply(args=[job.pk])
    # Retries are spread over more than ten minutes, so a restart of the database does not
    # use them up; when they are used up, nothing is written to a database that is down.
    assert len(delays) == tasks.extract_article_claims.max_retries
    assert sum(delays) >= 600
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == ""

    monkeypatch.undo()
    overdue(job)
    assert services.sweep_due().jobs == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_sweep_while_the_database_is_down_is_skipped_quietly(db, monkeypatch, caplog):
    from claims import tasks

    def db_down(**kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(services.sending, "sweep_due", db_down)  # where the task finds it
    result = tasks.sweep_due.apply()
    assert result.successful()
    assert "sweep skipped" in caplog.text
