"""The morning list in a real browser: an editor opens it from the desk's header and finds
the claims to check first, with the earlier fact-check that matches one; in both languages.
Screenshots at 1,366 px and 390 px land in test-artifacts/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import services
from claims.models import Article, Claim, FactCheck, MatchLink, Topic
from tests.browser.pw import BROWSER_TEST, Page, expect
from tests.browser.test_desk_teamwork import shots, sign_in, speak

pytestmark = BROWSER_TEST

WORDS = {"en": {"link": "Morning list", "desk": "Whole desk", "checked": "Checked by Tempo"},
         "id": {"link": "Daftar pagi", "desk": "Seluruh meja", "checked": "Diperiksa oleh Tempo"}}


@pytest.mark.parametrize("language", ["en", "id"])
def test_an_editor_opens_the_morning_list_from_the_header(page: Page, screenshot, editor, language):
    words = WORDS[language]
    article = Article.objects.create(title="Korut dan Rusia", body="x" * 300, outlet="Kompas", language="id",
                                     content_hash="morning-1")
    top = Claim.objects.create(article=article, text="Korut mengirim 1 juta peluru ke Rusia <b>tahun ini</b>.",
                               start=0, end=10, score=0.91, speaker="Pavel Luzin", language="id")
    top.topics.set(Topic.objects.filter(slug="ammunition"))
    Claim.objects.create(article=article, text="Harga beras naik 10 persen.", start=20, end=30, score=0.62,
                         language="id")
    factcheck = FactCheck.objects.create(
        url="https://cekfakta.tempo.example/peluru", claim_reviewed="Korea Utara mengirim sejuta peluru ke Rusia",
        publisher="Tempo", rating_text="HOAKS", reviewed_at=timezone.now() - timedelta(days=300))
    MatchLink.objects.create(claim=top, factcheck=factcheck, score=0.88, method="words")
    services.digest_send()

    sign_in(page, "editor")
    speak(page, language)
    page.locator(".fc-morning-link").click()
    desk = page.locator("#fc-list-desk")
    expect(desk.get_by_role("heading", name=words["desk"])).to_be_visible()
    expect(desk.locator("tbody tr")).to_have_count(2)
    first = desk.locator("tbody tr").first
    expect(first).to_contain_text("<b>tahun ini</b>")  # shown as written, never as markup
    expect(first).to_contain_text("Pavel Luzin")
    expect(first).to_contain_text("Kompas")
    expect(first.locator(".fc-match")).to_contain_text(words["checked"])
    expect(page.locator("#fc-list-ammunition tbody tr")).to_have_count(1)
    shots(page, screenshot, f"morning-list-{language}")
    first.get_by_role("link").first.click()
    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}/admin/claims/claim/{top.pk}/change/")
