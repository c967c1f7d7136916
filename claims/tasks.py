"""Celery tasks: ids in, one service call, nothing else."""

from __future__ import annotations

from celery import Task, shared_task

from . import services


class ExtractionTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:  # noqa: ANN001
        # Retries are exhausted (or the job could not even be claimed): say so on the job.
        if args:
            services.job_fail(job_id=args[0], error=f"gave up after retries: {exc!r}")


@shared_task(
    bind=True,
    base=ExtractionTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.JOB_RETRY_ERRORS,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def extract_article_claims(self, job_id: int) -> None:
    services.job_run(job_id=job_id, task_id=self.request.id or "")


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.WebhookRetry,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def deliver_webhook(self, delivery_id: int) -> None:
    services.webhook_deliver(delivery_id=delivery_id, final=self.request.retries >= self.max_retries)
