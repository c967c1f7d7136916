"""The ClaimReview each claim page embeds: every field, with its value, and safely embedded."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from django.urls import reverse

from claims import services
from claims.models import Rating
from tests.test_public_pages import _no_public_cache, make_claim, publish  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def claim_review_of(client, claim) -> dict:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    scripts = LD_JSON.findall(response.content.decode())
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_the_claim_page_embeds_a_complete_claimreview(client, editor, publisher):
    claim = publish(make_claim(text="Korut memasok 1 juta peluru ke Rusia.", speaker="Budi Santoso",
                               speaker_role="juru bicara", outlet="RIAU24.COM", title="Korut dan Rusia",
                               url="https://news.example/korut"),
                    editor, publisher, headline="Klaim satu juta peluru tidak benar", rating="Keliru")
    verdict = claim.verdict
    review = claim_review_of(client, claim)
    page_url = "https://factcheck.example" + reverse("claims:detail", args=[claim.pk, claim.slug])
    appearance = {
        "@type": "CreativeWork", "headline": "Korut dan Rusia", "url": "https://news.example/korut",
        "publisher": {"@type": "Organization", "name": "RIAU24.COM"}, "datePublished": "2023-09-14",
    }
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": "Korut memasok 1 juta peluru ke Rusia.",
        "headline": "Klaim satu juta peluru tidak benar",
        "datePublished": verdict.published_at.isoformat(),
        "dateModified": verdict.published_at.isoformat(),
        "inLanguage": "id",
        "author": {"@type": "Organization", "name": "Cek Fakta Contoh", "url": "https://factcheck.example/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": "Keliru"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Budi Santoso", "jobTitle": "juru bicara"},
            "datePublished": "2023-09-14",
            "appearance": [appearance],
            "firstAppearance": appearance,
        },
    }
    assert datetime.fromisoformat(review["datePublished"]) == verdict.published_at


def test_a_claim_without_a_speaker_is_attributed_to_its_outlet(client, editor, publisher):
    claim = publish(make_claim(speaker="", speaker_role="", outlet="Daily News", language="en",
                               text="Inflation hit 9 percent."),
                    editor, publisher, headline="Inflation was 5 percent", rating="Menyesatkan")
    review = claim_review_of(client, claim)
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Daily News"}
    assert review["inLanguage"] == "en"
    assert review["reviewRating"]["ratingValue"] == 2
    # The verdict on an English claim is written in English: its rating is named in English.
    assert review["reviewRating"]["alternateName"] == "Misleading"


def test_a_speaker_known_only_by_role_is_shown_as_that_role(client, editor, publisher):
    """'..., a Home Office minister has said': the page and the markup name the role."""
    claim = publish(make_claim(speaker="", speaker_role="Home Office minister", outlet="Daily News",
                               language="en", text="Stop and search will target Muslims."),
                    editor, publisher, headline="Police figures say otherwise", rating="Menyesatkan")
    review = claim_review_of(client, claim)
    assert review["itemReviewed"]["author"] == {"@type": "Person", "jobTitle": "Home Office minister"}
    page = client.get(claim.get_absolute_url()).content.decode()
    assert re.search(r"<dt>[^<]*</dt>\s*<dd>Home Office minister</dd>", page)
    listing = client.get(reverse("claims:list")).content.decode()
    assert "<span>Home Office minister</span>" in listing


def test_date_modified_moves_forward_after_a_correction(client, editor, publisher):
    claim = publish(make_claim(), editor, publisher, headline="Klaim keliru")
    before = claim_review_of(client, claim)
    correction = services.verdict_correct(
        claim=claim, user=publisher, rating=Rating.objects.get(label_id="Tidak terbukti"),
        summary="Belum ada data yang cukup.", note="Sumber awal ditarik kembali.",
    )
    claim.refresh_from_db()
    after = claim_review_of(client, claim)
    assert after["dateModified"] == correction.created_at.isoformat()
    assert datetime.fromisoformat(after["dateModified"]) > datetime.fromisoformat(before["dateModified"])
    assert after["datePublished"] == before["datePublished"]
    assert after["reviewRating"]["alternateName"] == "Tidak terbukti"
    assert after["reviewRating"]["ratingValue"] == 3


def test_a_claim_that_tries_to_close_the_script_cannot_break_out(client, editor, publisher):
    evil = 'Korut </script><script>alert(1)</script> & "peluru" <!-- x'
    claim = publish(make_claim(text=evil, title="</script><b>"), editor, publisher,
                    headline="</SCRIPT><img src=x onerror=alert(2)>")
    html = client.get(claim.get_absolute_url()).content.decode()
    script = LD_JSON.search(html).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    review = json.loads(script)
    assert review["claimReviewed"] == evil
    assert review["headline"] == "</SCRIPT><img src=x onerror=alert(2)>"
    assert review["itemReviewed"]["appearance"][0]["headline"] == "</script><b>"
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_claim_author_is_a_person_an_organisation_or_someone_speaking_for_one(
    client, editor, publisher, django_capture_on_commit_callbacks
):
    """What extraction took the speaker for reaches the markup: 'Lufthansa said' is no
    person named Lufthansa, and 'a BBC spokesman' is a person working for the BBC."""
    body = (
        "German airline Lufthansa said it had to cancel 77 flights on Wednesday.\n\n"
        "A BBC spokesman said 5,000 viewers had complained by Thursday.\n\n"
        "Michael Lamberty, a Lufthansa spokesman, said 92 flights were delayed by an hour."
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.article_submit(title="Flights cancelled", body=body, outlet="Daily News", language="en")
    claims = list(submission.article.claims.order_by("start"))
    assert [(c.speaker, c.speaker_kind) for c in claims] == [
        ("Lufthansa", "organisation"), ("BBC", "representative"), ("Michael Lamberty", "person"),
    ]
    authors = []
    for claim in claims:
        publish(claim, editor, publisher, headline="Checked")
        authors.append(claim_review_of(client, claim)["itemReviewed"]["author"])
    assert authors == [
        {"@type": "Organization", "name": "Lufthansa"},
        {"@type": "Person", "jobTitle": "spokesman", "worksFor": {"@type": "Organization", "name": "BBC"}},
        {"@type": "Person", "name": "Michael Lamberty", "jobTitle": "Lufthansa spokesman"},
    ]


def test_people_the_article_does_not_name_are_no_author_in_the_markup(client, editor, publisher):
    """'Critics say ...': no person or organisation is called "Critics", and the outlet
    did not make the claim either, so the markup names no author rather than a wrong one."""
    claim = publish(make_claim(speaker="Critics", speaker_kind="group", outlet="Daily News", language="en",
                               text="Critics say the pledge cost 5 billion dollars."),
                    editor, publisher, headline="It cost 2 billion", rating="Keliru")
    item = claim_review_of(client, claim)["itemReviewed"]
    assert "author" not in item
    assert item["appearance"][0]["publisher"] == {"@type": "Organization", "name": "Daily News"}
