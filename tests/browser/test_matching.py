"""Already checked? An editor sees an Indonesian claim matched to an English fact-check from
another publisher, confirms it and closes the claim as already checked, in a real browser;
in English and in Indonesian, at 1,366 px and on a phone (390 px)."""

from __future__ import annotations

import pytest

from claims import services
from claims.claimreview import claimreviews_read
from claims.models import Claim, FactCheck, MatchLink
from claims.nlp import vectors
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# The seed's claim, said in English by another fact-checker.
ENGLISH_CHECK = "North Korean leader Kim Jong Un travelled to Russia to meet Russian President Vladimir Putin"


def shots(page: Page, screenshot, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    screenshot(f"{name}-1366")
    page.set_viewport_size(PHONE)
    screenshot(f"{name}-390")
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("language", ["en", "id"])
def test_an_editor_confirms_a_match_across_languages_and_closes_the_claim(
    page: Page, log_in, screenshot, editor, submit_seed, settings, language,
):
    if vectors.load_default() is None:
        pytest.skip("the matching encoder is not installed")
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    # The editor's way through a match is what this walks; where the threshold stands is
    # measured elsewhere (claims/nlp/models/README.md): across languages scores run lower.
    settings.FACTCHECK_MATCH_THRESHOLD = 0.4
    items, _ = claimreviews_read({
        "@type": "ClaimReview", "url": "https://factcheck.example/kim-putin", "claimReviewed": ENGLISH_CHECK,
        "datePublished": "2023-09-14", "author": {"name": "Reuters Fact Check"}, "inLanguage": "en",
        "reviewRating": {"alternateName": "True", "ratingValue": 5, "bestRating": 5, "worstRating": 1},
    })
    services.factchecks_store(items=items)
    factcheck = FactCheck.objects.get()
    assert submit_seed().job.status == "succeeded"
    link = MatchLink.objects.filter(factcheck=factcheck).order_by("-score").first()
    assert link is not None, "the Indonesian claim was not matched to the English fact-check"
    claim = Claim.objects.get(pk=link.claim_id)
    assert claim.language == "id" and "Kim Jong Un" in claim.text

    log_in("editor", "pw-editor-1")
    if language == "id":
        page.locator("#fc-language").select_option("id")
        expect(page.locator("html")).to_have_attribute("lang", "id")
    words = {
        "en": ("Checked by Reuters Fact Check", "Confirm", "Close as already checked", "Closed as already checked."),
        "id": ("Diperiksa oleh Reuters Fact Check", "Konfirmasi", "Tutup karena sudah diperiksa",
               "Ditutup karena sudah diperiksa."),
    }[language]
    page.goto("/admin/claims/claim/?folded=all")
    expect(page.locator(".fc-match").filter(has_text=words[0]).first).to_be_visible()
    shots(page, screenshot, f"matching-queue-{language}")

    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    matches = page.locator("#fc-matches")
    expect(matches).to_contain_text(ENGLISH_CHECK[:40])
    matches.get_by_role("button", name=words[1], exact=True).click()
    matches = page.locator("#fc-matches")
    expect(matches.get_by_role("button", name=words[2])).to_be_visible()
    shots(page, screenshot, f"matching-confirmed-{language}")
    matches.get_by_role("button", name=words[2]).click()
    expect(page.get_by_text(words[3])).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == "dismissed"
    assert MatchLink.objects.get(pk=link.pk).state == "confirmed"
