"""The public site in a real browser: a reader finds the ammunition fact-check, on a desktop
and on a phone, in English and in Indonesian, with no JavaScript of ours and none injected.

Screenshots land in test-artifacts/ (public-*.png).
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache

from claims import services
from claims.models import Article, Claim, Rating
from tests.browser.pw import Page, expect

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the serialized rollback brings back the
    # groups, topics and ratings the data migrations made, for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AMMUNITION_CLAIM = "Jumlah pelurunya terbatas, dan kualitasnya rendah"
HEADLINE = "Amunisi Korut memang terbatas, tapi bukan tanpa nilai"
SOURCES = [
    ("https://www.theguardian.com/world/2023/sep/13/kim-jong-un-putin-summit",
     "Kim and Putin meet at Vostochny", "context"),
    ("https://www.reuters.com/world/north-korean-shells-russia-quality",
     "Analysts on the quality of North Korean shells", "supports"),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    cache.clear()
    yield
    cache.clear()


def fact_check(claim: Claim, editor, publisher, *, headline: str, rating: str = "Menyesatkan") -> Claim:
    services.claim_assign(claim=claim, user=editor)
    for url, title, stance in SOURCES:
        services.source_add(claim=claim, user=editor, url=url, title=title, stance=stance)
    services.verdict_draft(
        claim=claim, user=editor, rating=Rating.objects.get(label_id=rating), headline=headline,
        summary="Data intelijen menunjukkan jutaan peluru dikirim; kualitasnya beragam.",
        rationale="Kami membandingkan laporan intelijen Korea Selatan dengan analisis independen.",
    )
    services.verdict_publish(claim=claim, user=publisher)
    return Claim.objects.select_related("verdict").get(pk=claim.pk)


@pytest.fixture
def ammunition(editor, publisher, submit_seed) -> Claim:
    assert submit_seed().job.status == "succeeded"
    return fact_check(Claim.objects.get(text=AMMUNITION_CLAIM), editor, publisher, headline=HEADLINE)


def shoot(page: Page, screenshot, name: str) -> None:
    """A screenshot at desktop width, then the same page at phone width."""
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(f"public-{name}-desktop")
    page.set_viewport_size(PHONE)
    screenshot(f"public-{name}-phone")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_reader_searches_for_the_ammunition_claim_and_reads_the_fact_check(
    page: Page, screenshot, ammunition, editor,
):
    drafted = Claim.objects.exclude(pk=ammunition.pk).filter(status="new").first()
    services.claim_assign(claim=drafted, user=editor)

    page.goto("/")
    expect(page.get_by_role("heading", name="Latest fact-checks", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    shoot(page, screenshot, "home")

    page.get_by_role("searchbox", name="Search fact-checks").fill("pelurunya terbatas")
    page.get_by_role("searchbox", name="Search fact-checks").press("Enter")
    expect(page.get_by_role("heading", name="1 fact-check found")).to_be_visible()
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card-claim")).to_have_text(AMMUNITION_CLAIM)
    shoot(page, screenshot, "search")

    page.get_by_role("link", name=HEADLINE).click()
    expect(page.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()
    assert page.url.endswith(ammunition.get_absolute_url())
    expect(page.locator(".claim-text")).to_have_text(AMMUNITION_CLAIM)
    verdict = page.get_by_role("region", name="Our rating")
    expect(verdict.locator(".rating")).to_have_text("Menyesatkan")
    sources = page.get_by_role("region", name="Sources")
    expect(sources.get_by_role("listitem")).to_have_count(2)
    for _url, title, stance in SOURCES:
        item = sources.get_by_role("listitem").filter(has=page.get_by_role("link", name=title))
        expect(item.locator(".stance")).to_have_text(stance.capitalize())
    expect(page.get_by_text("RIAU24.COM").first).to_be_visible()
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert review["claimReviewed"] == AMMUNITION_CLAIM
    assert review["reviewRating"]["alternateName"] == "Menyesatkan"
    shoot(page, screenshot, "claim")


def test_the_filters_narrow_the_list(page: Page, screenshot, ammunition):
    page.goto("/claims/")
    # One list of ratings, in the reader's language (the fact-check is rated "Menyesatkan").
    page.get_by_label("Rating", exact=True).select_option(label="False")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="0 fact-checks found")).to_be_visible()
    page.get_by_label("Rating", exact=True).select_option(label="Misleading")
    page.get_by_label("Topic", exact=True).select_option(label="Ammunition and military capability")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 fact-check found")).to_be_visible()
    expect(page.get_by_label("Topic", exact=True)).to_have_value("ammunition")
    shoot(page, screenshot, "filters")


def test_a_reader_switches_to_indonesian_with_a_plain_link(page: Page, screenshot, ammunition):
    page.goto(ammunition.get_absolute_url())
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.get_by_role("region", name="Penilaian kami")).to_be_visible()
    assert page.url.endswith(ammunition.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "id"
    expect(page.get_by_role("heading", name="Sumber")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "csrftoken"]
    shoot(page, screenshot, "claim-id")


def test_the_keyboard_reaches_the_skip_link_first(page: Page, ammunition):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    # The jump is the browser's: wait for it, as a reader would, instead of racing it.
    expect(page).to_have_url(re.compile(r"#main$"))


def test_markup_in_a_claim_runs_nothing(page: Page, screenshot, editor, publisher):
    text = "Korut mengirim <script>window.__pwned = 1</script> 1 juta peluru </script><img src=x onerror=\"window.__pwned=2\">"
    article = Article.objects.create(title="<img src=x onerror=\"window.__pwned=3\">", body=text,
                                     outlet="Contoh", language="id", content_hash="xss-public")
    claim = Claim.objects.create(article=article, text=text, start=0, end=len(text), score=0.9,
                                 speaker="<b onmouseover=\"window.__pwned=4\">Budi</b>", language="id")
    claim = fact_check(claim, editor, publisher, headline="<script>window.__pwned=5</script> peluru",
                       rating="Keliru")
    for url in (claim.get_absolute_url(), "/", "/claims/?q=peluru"):
        page.goto(url)
        expect(page.get_by_text("window.__pwned = 1").first).to_be_visible()
        expect(page.locator("main img")).to_have_count(0)
        assert page.evaluate("window.__pwned") is None, url
    review = json.loads(page.goto(claim.get_absolute_url()) and page.locator(
        'script[type="application/ld+json"]').text_content())
    assert review["claimReviewed"] == text
    shoot(page, screenshot, "xss-claim")
