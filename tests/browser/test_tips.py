"""A reader sends a claim in Indonesian, keeps the private link, and later finds the
fact-check there; in between, an editor sees the tip in the queue. Screenshots land in
test-artifacts/tips-*.png."""

from __future__ import annotations

import re

from claims import services
from claims.models import Rating, Tip
from tests.browser.pw import BROWSER_TEST, expect

pytestmark = BROWSER_TEST

TIP_TEXT = "Katanya pemerintah membeli 1 juta peluru dari Korea Utara tahun ini."
CONTACT = "0812-3456-7890"


def test_a_reader_sends_a_tip_and_finds_the_fact_check_at_the_private_link(
        page, editor, publisher, log_in, screenshot):
    # The reader, in Indonesian, finds the form from the site's header.
    page.goto("/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Bahasa Indonesia").click()
    page.get_by_role("navigation", name="Utama").get_by_role("link", name="Kirimkan klaim kepada kami").click()
    expect(page.get_by_role("heading", name="Kirimkan klaim kepada kami")).to_be_visible()
    # The honeypot is there for robots, not for people.
    expect(page.get_by_label("Biarkan kolom ini kosong")).not_to_be_in_viewport()

    # Sending nothing says what is missing, in Indonesian.
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_text("Tuliskan klaimnya, atau berikan tautan")).to_be_visible()

    page.get_by_label("Klaim", exact=True).fill(TIP_TEXT)
    page.get_by_label("Email atau nomor telepon Anda (tidak wajib)").fill(CONTACT)
    screenshot("tips-form-id")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_role("heading", name="Terima kasih: klaim Anda sudah kami terima")).to_be_visible()
    link = page.locator(".tip-link a").get_attribute("href")
    assert re.search(r"/tips/[A-Za-z0-9_-]{20,}/$", link)
    screenshot("tips-sent-id")

    page.goto(link)
    expect(page.get_by_text("Diterima: menunggu dibaca editor.")).to_be_visible()
    expect(page.get_by_text(CONTACT)).to_have_count(0)

    # An editor sees the tip in the queue, with its badge, and the reader's contact on its page.
    page.context.clear_cookies()
    log_in("editor", "pw-editor-1")
    page.goto("/admin/claims/claim/?origin=tip")
    row = page.locator("#result_list tbody tr").filter(has_text=TIP_TEXT[:40])
    expect(row).to_have_count(1)
    expect(row.locator(".fc-badge-tip")).to_have_text("Reader tip")
    screenshot("tips-queue")
    row.get_by_role("link").first.click()
    expect(page.locator(".fc-tip-contact")).to_have_text(CONTACT)

    # The desk checks it and publishes (two people, through the services).
    claim = Tip.objects.get().claim
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://data.example/impor", title="Data impor",
                        stance="refutes")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.get(label_id="Keliru"),
                           headline="Tidak ada pembelian sejuta peluru dari Korut",
                           summary="Data impor tidak mencatat pembelian itu.")
    services.verdict_publish(claim=claim, user=publisher)

    # Back at the private link, the reader finds the fact-check.
    page.context.clear_cookies()
    origin = re.match(r"https?://[^/]+", link).group(0)
    page.context.add_cookies([{"name": "django_language", "value": "id", "url": origin}])
    page.goto(link)
    expect(page.get_by_text("Diterbitkan: kami sudah memeriksa fakta klaim ini.")).to_be_visible()
    expect(page.locator(".tip-progress .rating")).to_contain_text("Keliru")
    screenshot("tips-published-id")
    page.get_by_role("link", name="Baca cek faktanya").click()
    expect(page.get_by_role("heading", name="Tidak ada pembelian sejuta peluru dari Korut")).to_be_visible()
    expect(page.get_by_text("Dikirim oleh pembaca")).to_be_visible()
    expect(page.get_by_text(CONTACT)).to_have_count(0)
