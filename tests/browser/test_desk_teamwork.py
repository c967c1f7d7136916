"""The desk as a team, in a real browser: an editor pastes an article, it reaches the queue,
claims go to colleagues who see a notice, and internal notes stay off the public page.

Walked in English and in Indonesian, as an editor and as a publisher; screenshots at
1,366 px and 390 px land in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest

from claims import services
from claims.models import Article, Claim, Rating
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

ARTICLE = (
    "Impor beras naik tajam tahun ini\n"
    "Pemerintah mengimpor 2 juta ton beras pada 2024, kata Kepala Bulog Budi Waseso di Jakarta.\n"
    "Jumlah itu naik 40 persen dibanding tahun sebelumnya menurut data Badan Pusat Statistik.\n"
    "Menteri Perdagangan mengatakan harga beras turun 10 persen sejak Januari.\n"
)
NOTE = "Cek ulang angka BPS sebelum terbit (catatan-internal-51)"

WORDS = {
    "en": {"succeeded": "Succeeded", "assigned": "editor assigned you a claim",
           "assigned_back": "publisher assigned you a claim", "noted": "editor wrote a note on your claim", "note_added": "Note added.",
           "claim_assigned": "Claim assigned.", "notices": "Notices"},
    "id": {"succeeded": "Berhasil", "assigned": "editor menugaskan sebuah klaim kepada Anda",
           "assigned_back": "publisher menugaskan sebuah klaim kepada Anda",
           "noted": "editor menulis catatan pada klaim Anda", "note_added": "Catatan ditambahkan.",
           "claim_assigned": None, "notices": "Pemberitahuan"},
}


def shots(page: Page, screenshot, name: str) -> None:
    """The page at desktop and phone width."""
    page.set_viewport_size(DESKTOP)
    screenshot(f"{name}-1366")
    page.set_viewport_size(PHONE)
    screenshot(f"{name}-390")
    page.set_viewport_size(DESKTOP)


def speak(page: Page, language: str) -> None:
    """Switch the desk's language with the switch in its header."""
    if language != "en":
        page.locator("#fc-language").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)


def sign_in(page: Page, username: str) -> None:
    """The admin's login form, in whichever language the desk speaks."""
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(f"pw-{username}-1")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#logout-form")).to_be_visible()


def sign_out(page: Page) -> None:
    page.locator("#logout-form button").click()
    expect(page.locator("#logout-form")).to_have_count(0)


def notices_badge(page: Page):
    return page.locator(".fc-notices-link .fc-count")


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_pasted_article_reaches_the_queue_and_colleagues_work_it_together(
    page: Page, screenshot, editor, publisher, language,
):
    words = WORDS[language]
    page.set_viewport_size(DESKTOP)

    # The editor pastes an article into the desk.
    sign_in(page, "editor")
    speak(page, language)
    page.goto("/admin/claims/article/")
    page.locator(".object-tools a.addlink").click()
    expect(page.locator("#id_text")).to_be_visible()
    page.locator("#id_text").fill(ARTICLE)
    page.locator("#id_outlet").fill("Kompas")
    page.locator("#id_language").select_option("id")
    page.locator("#id_published_on").fill("2025-10-20")
    shots(page, screenshot, f"team-{language}-add-article")
    page.locator(".fc-add-article input[type=submit]").click()

    # Its job page: the extraction ran (in-process in tests) and found claims.
    expect(page.locator(".fc-job-status")).to_have_text(words["succeeded"])
    article = Article.objects.get(outlet="Kompas")
    found = Claim.objects.filter(article=article).count()
    assert found >= 2
    expect(page.locator(".fc-job-claims")).to_have_text(str(found))
    shots(page, screenshot, f"team-{language}-article-job")

    # The link leads to the article's claims in the queue.
    page.locator(".fc-job a.button").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(found)
    shots(page, screenshot, f"team-{language}-article-queue")

    # The editor gives the best claim to the publisher, with a note.
    first, second = Claim.objects.filter(article=article).order_by("-score", "id")[:2]
    page.goto(f"/admin/claims/claim/{first.pk}/change/")
    page.locator(".fc-assign select").select_option(label="publisher")
    page.locator(".fc-assign button").click()
    expect(page.locator(".fc-assignee")).to_have_text("publisher")
    if words["claim_assigned"]:
        expect(page.get_by_text(words["claim_assigned"])).to_be_visible()
    page.locator(".fc-note-form textarea").fill(NOTE)
    page.locator(".fc-note-form button").click()
    expect(page.get_by_text(words["note_added"])).to_be_visible()
    expect(page.locator(".fc-note-text")).to_have_text(NOTE)
    shots(page, screenshot, f"team-{language}-claim-assigned-with-note")
    expect(notices_badge(page)).to_have_count(0)  # the editor has nothing new
    sign_out(page)

    # The publisher sees the notice in the header, reads it, and the badge goes.
    sign_in(page, "publisher")
    expect(page.locator("html")).to_have_attribute("lang", language)  # the language chosen stays
    expect(notices_badge(page)).to_have_text("2")  # the claim, and the note on it
    shots(page, screenshot, f"team-{language}-publisher-notice-badge")
    page.locator(".fc-notices-link").click()
    expect(page.locator(".fc-notices li.fc-unread")).to_have_count(2)
    expect(page.locator(".fc-notices li.fc-unread").last).to_contain_text(words["assigned"])
    expect(page.locator(".fc-notices li.fc-unread").first).to_contain_text(words["noted"])
    shots(page, screenshot, f"team-{language}-publisher-notices")
    page.locator(".fc-notices li a").first.click()
    expect(page.locator(".fc-note-text")).to_have_text(NOTE)
    expect(notices_badge(page)).to_have_count(0)

    # The publisher hands the second claim to the editor, who is told in turn.
    page.goto(f"/admin/claims/claim/{second.pk}/change/")
    page.locator(".fc-assign select").select_option(label="editor")
    page.locator(".fc-assign button").click()
    expect(page.locator(".fc-assignee")).to_have_text("editor")
    sign_out(page)
    sign_in(page, "editor")
    expect(notices_badge(page)).to_have_text("1")
    page.locator(".fc-notices-link").click()
    expect(page.locator(".fc-notices li.fc-unread")).to_contain_text(words["assigned_back"])
    shots(page, screenshot, f"team-{language}-editor-notices")

    # Published, the fact-check's page carries its verdict and never the note.
    first.refresh_from_db()
    services.source_add(claim=first, user=publisher, url="https://bps.go.id/impor-beras", stance="refutes")
    services.verdict_draft(claim=first, user=editor, rating=Rating.objects.order_by("value").first(),
                           headline="Impor beras tidak naik 40 persen", summary="Data BPS menunjukkan lain.")
    services.verdict_publish(claim=first, user=publisher)
    first.refresh_from_db()
    sign_out(page)
    page.goto(first.get_absolute_url())
    expect(page.get_by_role("heading", name=re.compile("Impor beras tidak naik 40 persen"))).to_be_visible()
    shots(page, screenshot, f"team-{language}-public-page")
    assert "catatan-internal-51" not in page.content()
    page.goto("/feeds/rss/")
    assert "catatan-internal-51" not in page.content()
