"""Webhooks: a partner's server receives signed ClaimReview deliveries, retried when down."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims import outbound, services
from claims.models import Partner, WebhookDelivery
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it is sent."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/factcheck"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    made: list[Receiver] = []

    def start(*answers: int) -> Receiver:
        made.append(Receiver(list(answers)))
        return made[-1]

    yield start
    for r in made:
        r.close()


@pytest.fixture
def hooked_partner(db):
    def make(url: str) -> Partner:
        return Partner.objects.create(name="Cek Fakta Bersama", webhook_url=url, webhook_secret="s3cret-shared")
    return make


def test_publishing_posts_a_signed_claimreview(receiver, hooked_partner, make_claim, publish,
                                               django_capture_on_commit_callbacks):
    server = receiver()
    hooked_partner(server.url)
    with django_capture_on_commit_callbacks(execute=True):
        claim = publish(make_claim())

    assert len(server.requests) == 1
    request = server.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    signed = {"signature": headers["x-factcheck-signature"], "delivery_id": headers["x-factcheck-delivery"],
              "body": request["body"]}
    assert outbound.webhook_verify("s3cret-shared", **signed)
    assert not outbound.webhook_verify("wrong-secret", **signed)
    payload = json.loads(request["body"])
    assert payload["event"] == "verdict.published"
    assert payload["claim_review"]["@type"] == "ClaimReview"
    assert payload["claim_review"]["reviewRating"]["alternateName"] == "Keliru"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert delivery.claim == claim


def test_a_correction_is_delivered_too(receiver, hooked_partner, make_claim, publish, publisher,
                                       django_capture_on_commit_callbacks):
    from claims.models import Rating

    server = receiver()
    hooked_partner(server.url)
    with django_capture_on_commit_callbacks(execute=True):
        claim = publish(make_claim())
        services.verdict_correct(claim=claim, user=publisher, summary="Koreksi.", note="Data baru.",
                                 rating=Rating.objects.get(label_id="Menyesatkan"))
    events = [json.loads(r["body"])["event"] for r in server.requests]
    assert events == ["verdict.published", "verdict.corrected"]


def test_a_failing_partner_is_retried_and_every_attempt_logged(receiver, hooked_partner, make_claim):
    server = receiver(503, 500)
    partner = hooked_partner(server.url)
    claim = make_claim()
    delivery = WebhookDelivery.objects.create(partner=partner, claim=claim, event="verdict.published",
                                              url=server.url, payload={"x": 1})
    for _ in range(2):
        with pytest.raises(services.WebhookRetry):
            services.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 2, 500)
    services.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)


def test_the_last_retry_ends_the_delivery_as_failed(receiver, hooked_partner, make_claim):
    server = receiver(500)
    partner = hooked_partner(server.url)
    delivery = WebhookDelivery.objects.create(partner=partner, claim=make_claim(), event="verdict.published",
                                              url=server.url, payload={})
    services.webhook_deliver(delivery_id=delivery.pk, final=True)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "500" in delivery.error


def test_the_task_retries_with_backoff(receiver, hooked_partner, make_claim):
    from claims.tasks import deliver_webhook

    server = receiver(503)
    partner = hooked_partner(server.url)
    delivery = WebhookDelivery.objects.create(partner=partner, claim=make_claim(), event="verdict.published",
                                              url=server.url, payload={})
    deliver_webhook.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_the_task_gives_up_after_the_last_attempt(receiver, hooked_partner, make_claim):
    from claims.tasks import deliver_webhook

    server = receiver(*[503] * 20)
    partner = hooked_partner(server.url)
    delivery = WebhookDelivery.objects.create(partner=partner, claim=make_claim(), event="verdict.published",
                                              url=server.url, payload={})
    deliver_webhook.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == services.WEBHOOK_MAX_ATTEMPTS
    assert len(server.requests) == services.WEBHOOK_MAX_ATTEMPTS


def test_a_webhook_to_an_internal_address_is_refused(hooked_partner, make_claim):
    partner = hooked_partner("http://169.254.169.254/latest/meta-data/")
    delivery = WebhookDelivery.objects.create(partner=partner, claim=make_claim(), event="verdict.published",
                                              url=partner.webhook_url, payload={})
    services.webhook_deliver(delivery_id=delivery.pk, final=True)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "169.254.169.254" in delivery.error


def readme_receiver(secret: str) -> tuple:
    """The receiver in the README, run exactly as written there; ``handle`` records events."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- webhook-receiver")[1].split("```python\n", 1)[1].split("```", 1)[0]
    handled: list[dict] = []
    namespace: dict = {"handle": handled.append}
    exec(block, namespace)  # noqa: S102 - our own README
    namespace["SECRET"] = secret.encode()
    return namespace["receive"], handled


@pytest.fixture
def delivered(receiver, hooked_partner, make_claim, publish, django_capture_on_commit_callbacks):
    """One real delivery, as the partner's server received it."""
    server = receiver()
    hooked_partner(server.url)
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim())
    [request] = server.requests
    return request["headers"], request["body"]


def test_the_readme_receiver_accepts_a_real_delivery_once(delivered):
    headers, body = delivered
    receive, handled = readme_receiver("s3cret-shared")
    assert headers["X-Factcheck-Delivery"] == str(WebhookDelivery.objects.get().pk)
    assert receive(headers, body) == 200
    assert receive(headers, body) == 200  # sent again (a retry, or a replay): handled once
    assert [event["event"] for event in handled] == ["verdict.published"]


def test_the_readme_receiver_refuses_a_tampered_body(delivered):
    headers, body = delivered
    receive, handled = readme_receiver("s3cret-shared")
    assert receive(headers, body.replace(b"Keliru", b"Benar")) == 401
    assert receive(headers, body + b" ") == 401
    assert handled == []


def test_the_readme_receiver_refuses_a_changed_delivery_id(delivered):
    headers, body = delivered
    receive, handled = readme_receiver("s3cret-shared")
    assert receive(headers, body) == 200
    changed = {**headers, "X-Factcheck-Delivery": str(int(headers["X-Factcheck-Delivery"]) + 1)}
    assert receive(changed, body) == 401  # a replay under a new id, to get past the seen ids
    assert len(handled) == 1


def test_the_readme_receiver_refuses_an_old_delivery_and_a_changed_time(delivered, monkeypatch):
    headers, body = delivered
    receive, handled = readme_receiver("s3cret-shared")
    stamp = int(headers["X-Factcheck-Timestamp"])
    fresh = headers["X-Factcheck-Signature"].replace(f"t={stamp}", f"t={stamp + 100}")
    assert receive({**headers, "X-Factcheck-Signature": fresh}, body) == 401
    monkeypatch.setattr(time, "time", lambda: stamp + 6 * 60)
    assert receive(headers, body) == 401  # replayed six minutes later, to a receiver that forgot it
    assert receive(headers, body) == 401
    assert handled == []


def test_the_readme_receiver_refuses_another_secret_and_a_missing_signature(delivered):
    headers, body = delivered
    receive, handled = readme_receiver("another-secret")
    assert receive(headers, body) == 401
    receive, handled = readme_receiver("s3cret-shared")
    unsigned = {k: v for k, v in headers.items() if k != "X-Factcheck-Signature"}
    assert receive(unsigned, body) == 401
    assert receive({**headers, "X-Factcheck-Signature": "t=1,v1=é"}, body) == 401
    assert handled == []
