"""Who may call what: the permission matrix of the partner API."""

import pytest

from tests.api.conftest import key_for

pytestmark = pytest.mark.django_db

READ_URL = "/api/v1/claims/"
SUBMIT_URL = "/api/v1/articles/"
ARTICLE = {"text": "Badan Pusat Statistik mencatat inflasi Maret 2025 sebesar 1,2 persen.", "title": "Inflasi"}


def error_of(response) -> dict:
    return response.json()["error"]


def test_no_key_is_refused(api):
    response = api().get(READ_URL)
    assert response.status_code == 401
    assert error_of(response)["status"] == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_wrong_key_is_refused(api, partner):
    key_for(partner, "read")
    for key in ("fc_000000000000_nottherightsecret", "garbage", "fc_"):
        response = api(key).get(READ_URL)
        assert response.status_code == 401, key


def test_a_revoked_key_is_refused(api, revoked_key):
    response = api(revoked_key).get(READ_URL)
    assert response.status_code == 401
    assert "revoked" in error_of(response)["message"]


def test_an_expired_key_is_refused(api, expired_key):
    response = api(expired_key).get(READ_URL)
    assert response.status_code == 401
    assert "expired" in error_of(response)["message"]


def test_an_inactive_partner_is_refused(api, partner):
    key = key_for(partner, "read")
    partner.is_active = False
    partner.save()
    assert api(key).get(READ_URL).status_code == 401


def test_a_read_only_key_cannot_submit(reader):
    response = reader.post(SUBMIT_URL, ARTICLE, format="json")
    assert response.status_code == 403
    assert "submit scope" in error_of(response)["message"]


def test_a_submit_only_key_cannot_read_fact_checks(submitter):
    assert submitter.get(READ_URL).status_code == 403


def test_a_read_key_reads(reader):
    assert reader.get(READ_URL).status_code == 200


def test_anonymous_reading_is_off_by_default_and_can_be_turned_on(api, settings):
    assert api().get(READ_URL).status_code == 401
    settings.FACTCHECK_API_ANONYMOUS_READ = True
    assert api().get(READ_URL).status_code == 200
    assert api().post(SUBMIT_URL, ARTICLE, format="json").status_code in (401, 403)


def test_a_partner_cannot_read_another_partners_job(api, partner, other_partner):
    mine = api(key_for(partner, "submit")).post(SUBMIT_URL, ARTICLE, format="json").json()
    theirs = api(key_for(other_partner, "submit"))
    assert theirs.get(f"/api/v1/jobs/{mine['id']}/").status_code == 404
    assert theirs.get(f"/api/v1/articles/{mine['article'].rstrip('/').rsplit('/', 1)[-1]}/").status_code == 404
    assert theirs.get("/api/v1/articles/").json()["results"] == []


def test_over_the_rate_limit_answers_429_with_retry_after(api, partner):
    partner.rate_limit_per_minute = 2
    partner.save()
    client = api(key_for(partner, "read"))
    assert [client.get(READ_URL).status_code for _ in range(2)] == [200, 200]
    response = client.get(READ_URL)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert error_of(response)["retry_after"] > 0


def test_keys_are_stored_hashed(partner):
    from claims.models import ApiKey

    key = key_for(partner, "read")
    stored = ApiKey.objects.get()
    assert key not in (stored.hashed_key, stored.prefix)
    assert stored.hashed_key != key and len(stored.hashed_key) == 64
