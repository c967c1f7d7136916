"""What one partner can ask of the workers: a size per article and characters per minute;
and what a partner reads when its job fails."""

import threading

import pytest
from django.db import IntegrityError

from claims import services
from claims.choices import JobStatus
from claims.models import Article, Partner
from tests.api.conftest import key_for

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT_URL = "/api/v1/articles/"


def _text(n: int, seed: int = 0) -> str:
    """A distinct Indonesian text of exactly n characters."""
    sentence = f"Harga beras naik {seed} persen pada Maret 2025, kata Kepala BPS. "
    return (sentence * (n // len(sentence) + 1))[:n]


def test_by_default_a_partner_cannot_submit_a_text_of_a_quarter_million_characters(submitter):
    response = submitter.post(SUBMIT_URL, {"text": _text(250_000)}, format="json")
    assert response.status_code == 400
    assert "200,000" in response.json()["error"]["fields"]["text"][0]
    assert Article.objects.count() == 0


def test_the_size_limit_is_the_partners_own(api, partner):
    partner.max_article_chars = 1_000
    partner.save()
    client = api(key_for(partner, "submit"))
    assert client.post(SUBMIT_URL, {"text": _text(1_001)}, format="json").status_code == 400
    assert client.post(SUBMIT_URL, {"text": _text(1_000)}, format="json").status_code == 202


def test_html_is_measured_by_the_text_taken_from_it(api, partner):
    partner.max_article_chars = 1_000
    partner.save()
    html = f"<html><body><article><p>{_text(1_500)}</p></article></body></html>"
    response = api(key_for(partner, "submit")).post(SUBMIT_URL, {"html": html}, format="json")
    assert response.status_code == 400
    assert "html" in response.json()["error"]["fields"]


@pytest.fixture
def one_minute(monkeypatch):
    """The budget counts per clock minute: the test stays inside one, however slow the machine."""
    from claims.services import partners as partner_services

    class Clock:
        @staticmethod
        def time() -> float:
            return 1_800_000_030.0  # half a minute into a minute

    monkeypatch.setattr(partner_services, "time", Clock)


def test_over_its_characters_a_minute_a_partner_waits_with_429(api, partner, other_partner, one_minute):
    partner.chars_per_minute = 3_000
    partner.max_article_chars = 2_000
    partner.save()
    first, second = api(key_for(partner, "submit")), api(key_for(partner, "submit"))
    assert first.post(SUBMIT_URL, {"text": _text(1_500, 1)}, format="json").status_code == 202
    assert second.post(SUBMIT_URL, {"text": _text(1_500, 2)}, format="json").status_code == 202

    response = second.post(SUBMIT_URL, {"text": _text(100, 3)}, format="json")  # same partner, other key

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["code"] == "throttled" and error["retry_after"] > 0
    assert "3,000 characters a minute" in error["message"]
    assert Article.objects.count() == 2
    # An article already here costs nothing; another partner has its own budget.
    assert first.post(SUBMIT_URL, {"text": _text(1_500, 1)}, format="json").status_code == 200
    assert api(key_for(other_partner, "submit")).post(
        SUBMIT_URL, {"text": _text(100, 3)}, format="json"
    ).status_code == 202


def test_the_budget_is_counted_atomically(db, one_minute):
    partner = Partner.objects.create(name="Burst", chars_per_minute=1_000)
    taken = []

    def take():
        try:
            services.partner_budget_take(partner=partner, chars=100)
            taken.append(1)
        except services.SubmitBudgetExceeded:
            pass

    threads = [threading.Thread(target=take) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 10


def test_a_failed_job_tells_the_partner_nothing_internal(submitter, monkeypatch):
    def store_fails(**kwargs):
        raise IntegrityError(
            'insert or update on table "claims_source" violates foreign key constraint '
            '"claims_source_claim_id_fk" DETAIL: Key (claim_id)=(5) is not present in table "claims_claim".'
        )

    monkeypatch.setattr(services.jobs, "claims_store", store_fails)  # where job_run finds it
    job = submitter.post(SUBMIT_URL, {"text": _text(300)}, format="json").json()
    polled = submitter.get(f"/api/v1/jobs/{job['id']}/").json()
    assert polled["status"] == JobStatus.FAILED
    assert polled["error"] == services.JOB_ERROR_INTERNAL
    assert "claims_source" not in str(submitter.get("/api/v1/articles/").json())


def test_the_desk_sets_a_partners_limits_in_the_admin(admin_client, partner):
    page = admin_client.get(f"/admin/claims/partner/{partner.pk}/change/")
    assert b'name="max_article_chars"' in page.content and b'name="chars_per_minute"' in page.content
    admin_client.post(f"/admin/claims/partner/{partner.pk}/change/", {
        "name": partner.name, "is_active": "on", "rate_limit_per_minute": 120,
        "max_article_chars": 50_000, "chars_per_minute": 100_000,
        "keys-TOTAL_FORMS": 0, "keys-INITIAL_FORMS": 0,
    })
    partner.refresh_from_db()
    assert (partner.max_article_chars, partner.chars_per_minute) == (50_000, 100_000)
