"""A fact-check in both languages, in a real browser: an editor translates a published
verdict, a publisher publishes the translation, and each language's page shows its own
text and rating label and links to the other (hreflang).

Screenshots land in test-artifacts/ (translation-*.png), at 1,366 px and at phone width.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from claims import services
from claims.models import Article, Claim, Rating, VerdictTranslation
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

TEXT = "Korut telah memasok satu juta peluru artileri ke Rusia."
HEADLINE_ID = "Korut tidak memasok sejuta peluru, kata data bea cukai"
HEADLINE_EN = "North Korea did not send a million shells, customs data show"
SUMMARY_EN = "Customs and satellite data point to far fewer shells than claimed."
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(editor, publisher) -> Claim:
    article = Article.objects.create(title="Korut dan Rusia", body=TEXT, outlet="RIAU24.COM", language="id",
                                     content_hash="browser-translation")
    claim = Claim.objects.create(article=article, text=TEXT, start=0, end=len(TEXT), language="id", score=0.9,
                                 speaker="Budi Santoso", speaker_role="juru bicara")
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://data.example/customs", title="Data bea cukai",
                        stance="refutes")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.get(label_en="False"),
                           headline=HEADLINE_ID, summary="Data bea cukai menunjukkan jauh lebih sedikit.")
    services.verdict_publish(claim=claim, user=publisher)
    return Claim.objects.get(pk=claim.pk)


def shots(page: Page, screenshot, name: str) -> None:
    for label, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        screenshot(f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_an_editor_translates_a_verdict_a_publisher_publishes_it_and_each_page_has_its_language(
    page: Page, log_in, log_out, screenshot, published, editor, publisher,
):
    page.set_viewport_size(DESKTOP)
    admin_url = f"/admin/claims/claim/{published.pk}/change/"

    # The editor writes the English translation of the published Indonesian verdict.
    log_in("editor", "pw-editor-1")
    page.goto(admin_url)
    form = page.locator("form.fc-verdict-form").filter(
        has=page.get_by_role("heading", name="Translate the published verdict"))
    form.get_by_label("Translation into").select_option(label="English")
    form.get_by_label("Headline").fill(HEADLINE_EN)
    form.get_by_label("Summary").fill(SUMMARY_EN)
    form.get_by_label("Rationale").fill("We compared customs records with satellite images.")
    form.get_by_role("button", name="Save translation").click()
    expect(page.get_by_text("Translation saved as a draft; a publisher publishes it.")).to_be_visible()
    translations = page.locator(".fc-translations")
    expect(translations.get_by_text(HEADLINE_EN)).to_be_visible()
    expect(translations.get_by_text("draft", exact=False).first).to_be_visible()
    # An editor is not offered publishing, and readers do not see the draft yet.
    expect(page.get_by_role("button", name="Publish the translation (English)")).to_have_count(0)
    shots(page, screenshot, "translation-drafted-by-editor")
    log_out()
    page.goto(published.get_absolute_url() + "?lang=en")
    expect(page).to_have_url(published.get_absolute_url())  # sent to the Indonesian page
    expect(page.locator('link[rel="alternate"][hreflang]')).to_have_count(0)

    # The publisher publishes it.
    log_in("publisher", "pw-publisher-1")
    page.goto(admin_url)
    page.get_by_role("button", name="Publish the translation (English)").click()
    expect(page.get_by_text("Translation published.")).to_be_visible()
    assert VerdictTranslation.objects.get().published_at is not None
    shots(page, screenshot, "translation-published-by-publisher")
    log_out()

    # The Indonesian page: its own text and label, and links to the English one.
    page.goto(published.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE_ID)
    expect(page.locator(".verdict-rating")).to_have_text("Keliru")
    alternates = page.locator('link[rel="alternate"][hreflang]')
    expect(alternates).to_have_count(3)
    hrefs = {link.get_attribute("hreflang"): link.get_attribute("href") for link in alternates.all()}
    assert hrefs["id"].endswith(published.get_absolute_url())
    assert hrefs["en"].endswith(published.get_absolute_url() + "?lang=en")
    shots(page, screenshot, "translation-page-id")

    # The English page, reached by the reader's link: English text, label and markup.
    page.get_by_role("link", name="Read this fact-check in English").click()
    expect(page).to_have_url(published.get_absolute_url() + "?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE_EN)
    expect(page.locator(".verdict-rating")).to_have_text("False")
    expect(page.get_by_text(SUMMARY_EN)).to_be_visible()
    expect(page.get_by_text("Data bea cukai menunjukkan")).to_have_count(0)
    expect(page.locator('link[rel="alternate"][hreflang]')).to_have_count(3)
    review = page.locator('script[type="application/ld+json"]').text_content()
    assert HEADLINE_EN in review and '"alternateName": "False"' in review and '"inLanguage": "en"' in review
    shots(page, screenshot, "translation-page-en")

    # And back, by the link in Indonesian.
    page.get_by_role("link", name="Baca cek fakta ini dalam Bahasa Indonesia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE_ID)
