"""One rating scale with a label per language; a fact-check in each language it is published in."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import selectors, services
from claims.api.serializers import FactCheckSerializer
from claims.models import Rating, VerdictTranslation
from tests.test_public_pages import make_claim, publish

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
SITE = "https://factcheck.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    settings.SITE_URL = SITE
    cache.clear()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def review_in(html: str) -> dict:
    (script,) = LD_JSON.findall(html)
    return json.loads(script)


def api_fact_check(claim) -> dict:
    rows = selectors.fact_check_rows_complete(list(selectors.published_fact_check_rows().filter(pk=claim.pk)))
    return FactCheckSerializer(rows[0]).data


# --- One scale, its label in the verdict's language ----------------------------------------


def test_the_scale_is_one_row_per_rating_with_a_label_in_each_language():
    assert [(r.label_en, r.label_id, r.value) for r in Rating.objects.all()] == [
        ("True", "Benar", 5), ("Mostly true", "Sebagian benar", 4), ("Unproven", "Tidak terbukti", 3),
        ("Misleading", "Menyesatkan", 2), ("False", "Keliru", 1),
    ]


def test_any_rating_fits_any_claim_and_shows_in_the_verdicts_language(client, editor, publisher):
    indonesian = publish(make_claim(language="id"), editor, publisher, rating="Keliru")
    english = publish(make_claim(language="en", text="North Korea sent a million shells."), editor, publisher,
                      rating="Keliru", headline="Not what the data show")
    assert (indonesian.verdict.language, english.verdict.language) == ("id", "en")

    html = page(client, indonesian.get_absolute_url())
    rating = html.split('class="verdict-rating"')[1].split("</p>")[0]
    assert "Keliru" in rating and "False" not in rating
    assert review_in(html)["reviewRating"]["alternateName"] == "Keliru"
    html = page(client, english.get_absolute_url())
    assert review_in(html)["reviewRating"] == {
        "@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"}

    assert api_fact_check(english)["verdict"]["rating"]["label"] == "False"
    assert api_fact_check(english)["verdict"]["language"] == "en"
    assert api_fact_check(indonesian)["verdict"]["rating"] | {"colour": None} == {
        "label": "Keliru", "language": "id", "value": 1, "best": 5, "worst": 1, "colour": None}

    rss = page(client, reverse("claims:feed-rss"))
    assert "Keliru: \u201cKorut" in rss and "False: \u201cNorth Korea" in rss


def test_an_editor_may_write_a_verdict_in_another_language_than_the_claims(editor, publisher):
    claim = publish(make_claim(language="id"), editor, publisher, rating="Menyesatkan", headline="Misleading")
    assert claim.verdict.label == "Menyesatkan"
    other = make_claim(language="id")
    from tests.test_public_pages import draft

    draft(other, editor)
    services.verdict_draft(claim=other, user=editor, rating=Rating.objects.get(label_en="Misleading"),
                           headline="Misleading", summary="In English.", language="en")
    other.verdict.refresh_from_db()
    assert (other.verdict.language, other.verdict.label) == ("en", "Misleading")


def test_the_about_page_and_the_search_list_each_rating_once_in_the_readers_language(client):
    client.cookies["django_language"] = "id"
    about = page(client, reverse("claims:about"))
    assert "Keliru" in about and "False" not in about
    search = page(client, reverse("claims:list"))
    options = re.findall(r'<option value="([^"]*)"', search.split('id="f-rating"')[1].split("</select>")[0])
    assert options == ["", "Benar", "Sebagian benar", "Tidak terbukti", "Menyesatkan", "Keliru"]
    client.cookies["django_language"] = "en"
    assert "Misleading" in page(client, reverse("claims:about"))


def test_the_search_finds_a_rating_by_its_label_in_either_language(client, editor, publisher):
    claim = publish(make_claim(language="id"), editor, publisher, rating="Keliru", headline="Tidak benar sama sekali")
    for label in ("Keliru", "false"):
        assert claim.verdict.headline in page(client, reverse("claims:list") + f"?rating={label}")
    assert claim.verdict.headline not in page(client, reverse("claims:list") + "?rating=Benar")


# --- A fact-check in both languages --------------------------------------------------------


@pytest.fixture
def published(editor, publisher):
    return publish(make_claim(language="id"), editor, publisher, rating="Keliru",
                   headline="Korut tidak memasok sejuta peluru", summary="Data menunjukkan jauh lebih sedikit.")


def translate(claim, user, **text):
    return services.verdict_translate(
        claim=claim, user=user, language=text.get("language", "en"),
        headline=text.get("headline", "North Korea did not send a million shells"),
        summary=text.get("summary", "The data show far fewer."), rationale=text.get("rationale", "Customs records."))


def test_a_drafted_translation_is_not_public(client, published, editor):
    translate(published, editor)
    base = published.get_absolute_url()
    response = client.get(base + "?lang=en")
    assert response.status_code == 302 and response["Location"] == base
    html = page(client, base)
    assert "North Korea did not" not in html and not HREFLANG.findall(html)
    assert "North Korea did not" not in page(client, reverse("claims:feed-rss") + "?lang=en")
    assert "lang=en" not in page(client, "/sitemap.xml")


def test_an_editor_drafts_a_translation_and_only_a_publisher_publishes_it(published, editor, publisher, outsider):
    with pytest.raises(PermissionDenied):
        translate(published, outsider)
    translation = translate(published, editor)
    assert translation.published_at is None and translation.translator == editor
    with pytest.raises(PermissionDenied):
        services.verdict_translation_publish(claim=published, user=editor, language="en")
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    translation.refresh_from_db()
    assert translation.published_at is not None
    with pytest.raises(services.WorkflowError, match="published already"):
        services.verdict_translation_publish(claim=published, user=publisher, language="en")


def test_a_translation_into_the_verdicts_own_language_is_refused(published, editor):
    with pytest.raises(ValidationError, match="written in this language already"):
        translate(published, editor, language="id")
    assert not VerdictTranslation.objects.exists()


def test_only_a_published_verdict_is_translated(editor):
    from tests.test_public_pages import draft

    claim = draft(make_claim(), editor)
    with pytest.raises(services.WorkflowError, match="this step needs it to be: published"):
        translate(claim, editor)


def test_each_language_has_its_page_with_its_own_text_linked_by_hreflang(client, published, editor, publisher):
    translate(published, editor)
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    base = published.get_absolute_url()
    alternates = [("id", SITE + base), ("en", SITE + base + "?lang=en"), ("x-default", SITE + base)]

    original = page(client, base)
    assert HREFLANG.findall(original) == alternates
    assert "Korut tidak memasok sejuta peluru" in original and "Keliru" in original
    assert 'href="' + base + '?lang=en" hreflang="en"' in original  # a link readers can follow
    review = review_in(original)
    assert (review["headline"], review["url"], review["inLanguage"]) == (
        "Korut tidak memasok sejuta peluru", SITE + base, "id")

    english = page(client, base + "?lang=en")
    assert HREFLANG.findall(english) == alternates
    assert '<html lang="en">' in english
    assert "North Korea did not send a million shells" in english and "Customs records." in english
    assert "Data menunjukkan" not in english
    assert "Baca cek fakta ini dalam Bahasa Indonesia" in english  # the way back, in its language
    assert "Read this fact-check in English" in original
    assert '<link rel="canonical" href="' + SITE + base + '?lang=en">' in english
    review = review_in(english)
    assert (review["headline"], review["url"], review["inLanguage"], review["reviewRating"]["alternateName"]) == (
        "North Korea did not send a million shells", SITE + base + "?lang=en", "en", "False")
    assert review["claimReviewed"] == published.text  # the claim as it was made

    # The page in its own language is at the plain address only.
    response = client.get(base + "?lang=id")
    assert response.status_code == 301 and response["Location"] == base
    assert client.get(base + "?lang=fr")["Location"] == base


def test_the_english_page_is_in_english_whatever_the_readers_language(client, published, editor, publisher):
    translate(published, editor)
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    client.cookies["django_language"] = "id"
    english = page(client, published.get_absolute_url() + "?lang=en")
    assert '<html lang="en">' in english and "North Korea did not" in english
    # The header's language switch leads to the fact-check in that language.
    switch = english.split('class="language-switch"')[1].split("</nav>")[0]
    assert f'/language/id/?next={published.get_absolute_url()}"' in switch


def test_each_languages_feed_uses_its_own_text(client, published, editor, publisher):
    english_claim = publish(make_claim(language="en", text="Shells were sent."), editor, publisher,
                            rating="Benar", headline="Yes, shells were sent")
    translate(published, editor)
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    base = published.get_absolute_url()

    english = page(client, reverse("claims:feed-rss") + "?lang=en")
    assert "<title>North Korea did not send a million shells</title>" in english
    assert "False: \u201cKorut memasok" in english
    assert f"<link>{SITE}{base}?lang=en</link>" in english
    assert "Yes, shells were sent" in english and "<language>en</language>" in english

    indonesian = page(client, reverse("claims:feed-atom") + "?lang=id")
    assert "Korut tidak memasok sejuta peluru" in indonesian and "North Korea did not" not in indonesian
    assert "Yes, shells were sent" not in indonesian  # not public in Indonesian
    assert english_claim.verdict.headline in page(client, reverse("claims:feed-rss"))

    topic = page(client, reverse("claims:topic-rss", args=["ammunition"]) + "?lang=en")
    assert "North Korea did not send a million shells" in topic
    assert client.get(reverse("claims:feed-rss") + "?lang=fr").status_code == 404


def test_the_sitemap_lists_both_languages_with_alternates(client, published, editor, publisher):
    translate(published, editor)
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    base = SITE + published.get_absolute_url()
    xml = page(client, "/sitemap.xml")
    assert f"<loc>{base}</loc>" in xml and f"<loc>{base}?lang=en</loc>" in xml
    assert xml.count(f'<xhtml:link rel="alternate" hreflang="en" href="{base}?lang=en"/>') == 2
    assert xml.count(f'<xhtml:link rel="alternate" hreflang="id" href="{base}"/>') == 2


def test_changing_a_published_translation_withdraws_it_until_published_again(
        client, published, editor, publisher):
    translate(published, editor)
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    translate(published, editor, headline="Changed without a second look")
    base = published.get_absolute_url()
    assert client.get(base + "?lang=en").status_code == 302
    assert "Changed without" not in page(client, reverse("claims:feed-rss") + "?lang=en")
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    assert "Changed without a second look" in page(client, base + "?lang=en")


def test_the_claim_page_in_the_admin_offers_translating_to_editors_and_publishing_to_publishers(
        client, published, editor, publisher):
    url = reverse("admin:claims_claim_change", args=[published.pk])
    client.force_login(editor)
    html = page(client, url)
    assert "Translate the published verdict" in html and "Publish the translation" not in html
    client.post(reverse("admin:claims_claim_workflow", args=[published.pk, "translate"]), {
        "language": "en", "headline": "English headline", "summary": "English summary.", "rationale": ""})
    assert VerdictTranslation.objects.get().headline == "English headline"
    client.post(reverse("admin:claims_claim_workflow", args=[published.pk, "translation_publish"]), {"language": "en"})
    assert VerdictTranslation.objects.get().published_at is None  # an editor may not publish

    client.force_login(publisher)
    assert "Publish the translation (English)" in page(client, url)
    client.post(reverse("admin:claims_claim_workflow", args=[published.pk, "translation_publish"]), {"language": "en"})
    assert VerdictTranslation.objects.get().published_at is not None
    assert "English headline" in page(client, published.get_absolute_url() + "?lang=en")


def test_translated_pages_run_no_more_queries_than_the_original(client, published, editor, publisher,
                                                              django_assert_max_num_queries):
    translate(published, editor)
    services.verdict_translation_publish(claim=published, user=publisher, language="en")
    # 9, and the matching index's look at what changed since it last looked (2 queries,
    # every time in tests).
    with django_assert_max_num_queries(11):
        page(client, published.get_absolute_url())
    with django_assert_max_num_queries(11):
        page(client, published.get_absolute_url() + "?lang=en")
