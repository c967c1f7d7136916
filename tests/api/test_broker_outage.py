"""The partner API and webhooks when the broker (Redis) is down: nothing lost, no 500."""

import pytest

from claims import services
from claims.choices import JobStatus
from claims.models import Article, ExtractionJob, WebhookDelivery
from tests.api.test_webhooks import hooked_partner, receiver  # noqa: F401 - fixtures

ARTICLE = {
    "text": "Menteri Keuangan mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, naik 20 persen.",
    "title": "Anggaran pertahanan", "outlet": "Tempo",
}


@pytest.mark.django_db(transaction=True)
def test_a_submission_while_the_broker_is_down_answers_503_json_and_keeps_the_article(submitter, broker):
    broker.up = False
    response = submitter.post("/api/v1/articles/", ARTICLE, format="json")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["status"] == 503 and error["code"] == "unavailable"
    assert "Connection refused" not in error["message"]  # no internal text for partners
    assert Article.objects.count() == 1
    assert ExtractionJob.objects.get().status == JobStatus.QUEUED

    # Later, with the broker back, the same submission sends the kept job.
    broker.up = True
    again = submitter.post("/api/v1/articles/", ARTICLE, format="json")
    assert again.status_code == 200
    job = submitter.get(f"/api/v1/jobs/{again.json()['id']}/").json()
    assert job["status"] == JobStatus.SUCCEEDED and job["claims_found"] >= 1
    assert Article.objects.count() == 1 and ExtractionJob.objects.count() == 1
    assert len(broker.sent_of("extract_article_claims")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_resubmission_while_still_down_answers_503_again(submitter, broker):
    broker.up = False
    assert submitter.post("/api/v1/articles/", ARTICLE, format="json").status_code == 503
    assert submitter.post("/api/v1/articles/", ARTICLE, format="json").status_code == 503
    assert ExtractionJob.objects.count() == 1
    broker.up = True
    assert services.sweep_due().jobs == 1
    assert ExtractionJob.objects.get().status == JobStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_url_submission_while_the_broker_is_down_answers_503(submitter, broker, page_server):
    broker.up = False
    response = submitter.post("/api/v1/articles/", {"url": f"{page_server}/berita"}, format="json")
    assert response.status_code == 503
    broker.up = True
    assert services.sweep_due().jobs == 1
    assert ExtractionJob.objects.get().status == JobStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_verdict_published_while_the_broker_is_down_is_delivered_by_the_sweep(
    broker, receiver, hooked_partner, make_claim, publish, django_capture_on_commit_callbacks  # noqa: F811
):
    server = receiver()
    hooked_partner(server.url)
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and server.requests == []

    broker.up = True
    assert services.sweep_due().deliveries == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert services.sweep_due().deliveries == 0
    assert len(server.requests) == 1


@pytest.mark.django_db
def test_a_delivery_sent_twice_is_posted_once(broker, receiver, hooked_partner, make_claim, publish,  # noqa: F811
                                             django_capture_on_commit_callbacks):
    from claims.tasks import deliver_webhook

    server = receiver()
    hooked_partner(server.url)
    broker.run = False
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim())
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(due_at=delivery.created_at)  # overdue in the queue
    assert services.sweep_due().deliveries == 1
    sent = broker.sent_of("deliver_webhook")
    assert len(sent) == 2
    for args in sent:
        deliver_webhook.apply(args=list(args))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)
    assert len(server.requests) == 1
