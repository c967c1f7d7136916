"""The review desk in a real browser: what an editor and a publisher see and click.

Chromium (Debian's, driven by Playwright) talks to pytest-django's live server. Screenshots
of each step land in test-artifacts/.
"""

from __future__ import annotations

import re

from claims import services
from claims.choices import ClaimStatus
from claims.models import Claim
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

AMMUNITION_TOPIC = "Ammunition and military capability"
AMMUNITION_CLAIM = "Jumlah pelurunya terbatas, dan kualitasnya rendah"
SOURCES = [
    ("https://www.theguardian.com/world/2023/sep/13/kim-jong-un-putin-summit",
     "Kim and Putin meet at Vostochny", "Context"),
    ("https://www.reuters.com/world/north-korean-shells-russia-quality",
     "Analysts on the quality of North Korean shells", "Supports"),
]
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'


def status_of(page: Page):
    """The claim's status as the "About this claim" panel shows it."""
    return page.locator("dl.fc-meta dt", has_text="Status").locator("xpath=following-sibling::dd[1]")


def queue_rows(page: Page):
    return page.locator("#result_list tbody tr")


def test_an_editor_drafts_a_verdict_on_the_ammunition_claim_and_only_a_publisher_can_publish_it(
    page: Page, log_in, log_out, screenshot, editor, publisher, submit_seed,
):
    assert submit_seed().job.status == "succeeded"

    # The editor signs in and opens the queue, narrowed to the ammunition topic.
    log_in("editor", "pw-editor-1")
    screenshot("desk-home-editor")
    page.get_by_role("link", name="Claims", exact=True).first.click()
    expect(page.get_by_role("heading", name="Select claim to change")).to_be_visible()
    page.locator("#changelist-filter").get_by_role("link", name=AMMUNITION_TOPIC).click()
    expect(page.locator("#changelist-filter li.selected").get_by_role("link", name=AMMUNITION_TOPIC)) \
        .to_be_visible()
    screenshot("desk-queue")
    # The seed's two ammunition claims that must be found head the topic's queue, above
    # the opinions and predictions filed under it.
    expect(queue_rows(page).first).to_be_visible()
    rows = queue_rows(page).all_inner_texts()
    position = next(i for i, row in enumerate(rows) if AMMUNITION_CLAIM in row)
    assert position < 2, rows
    queue_rows(page).nth(position).get_by_role("link", name=AMMUNITION_CLAIM).click()

    # The claim's page: shown in its article, waiting for review.
    expect(page.get_by_role("heading", name=AMMUNITION_CLAIM)).to_be_visible()
    expect(page.locator(".fc-claim.fc-current")).to_have_text(AMMUNITION_CLAIM)
    expect(status_of(page)).to_have_text("New")
    claim = Claim.objects.get(text=AMMUNITION_CLAIM)

    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("Claim assigned.")).to_be_visible()
    expect(status_of(page)).to_have_text("In review · editor")
    screenshot("desk-claim-assigned")

    # Two sources through the Sources inline, saved with the claim.
    sources = page.locator("#sources-group")
    for i, (url, title, stance) in enumerate(SOURCES):
        sources.get_by_role("button", name="Add another Source").click()
        form = sources.locator(f"#sources-{i}")
        form.get_by_label("Url:", exact=True).fill(url)
        form.get_by_label("Title:", exact=True).fill(title)
        form.get_by_label("Stance:", exact=True).select_option(label=stance)
    screenshot("desk-sources-filled")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    for _, title, _ in SOURCES:
        expect(sources.get_by_role("heading", name=f"Source: {title}")).to_be_visible()
    assert [(s.url, s.stance, s.added_by) for s in claim.sources.order_by("id")] == [
        (url, stance.lower(), editor) for url, _, stance in SOURCES
    ]
    screenshot("desk-sources-saved")

    # The editor drafts the verdict.
    draft = page.locator("form.fc-verdict-form").filter(
        has=page.get_by_role("heading", name="Draft a verdict"))
    draft.get_by_label("Rating").select_option(label="Misleading")
    draft.get_by_label("Headline").fill("Amunisi Korut memang terbatas, tapi bukan tanpa nilai")
    draft.get_by_label("Summary").fill("Data intelijen menunjukkan jutaan peluru dikirim; kualitasnya beragam.")
    draft.get_by_role("button", name="Save draft verdict").click()
    expect(page.get_by_text("Verdict drafted.")).to_be_visible()
    expect(status_of(page)).to_have_text("Verdict drafted · editor")
    expect(page.locator(".fc-badge")).to_have_text("Menyesatkan")
    screenshot("desk-verdict-drafted")

    # The editor is not offered "Publish verdict", and posting the step anyway does nothing.
    expect(page.get_by_role("button", name="Publish verdict")).to_have_count(0)
    publish = page.evaluate(
        """async () => {
            const url = location.pathname.replace(/change\\/$/, "workflow/publish/");
            const body = new FormData();
            body.append("csrfmiddlewaretoken",
                        document.querySelector("input[name=csrfmiddlewaretoken]").value);
            // Not following the redirect leaves the step's message for the next page.
            const response = await fetch(url, {method: "POST", body, redirect: "manual"});
            return {url, redirected: response.type === "opaqueredirect"};
        }"""
    )
    assert publish == {"url": f"/admin/claims/claim/{claim.pk}/workflow/publish/", "redirected": True}
    page.reload()
    expect(page.get_by_text("You may not do this.")).to_be_visible()
    expect(status_of(page)).to_have_text("Verdict drafted · editor")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED
    screenshot("desk-editor-cannot-publish")
    log_out()

    # The publisher finds the drafted claim in the queue and publishes it.
    log_in("publisher", "pw-publisher-1")
    page.goto("/admin/claims/claim/")
    page.locator("#changelist-filter").get_by_role("link", name="Verdict drafted").click()
    expect(queue_rows(page)).to_have_count(1)
    queue_rows(page).get_by_role("link", name=AMMUNITION_CLAIM).click()
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/"))
    expect(page.get_by_role("heading", name=AMMUNITION_CLAIM)).to_be_visible()
    screenshot("desk-publisher-claim")
    page.get_by_role("button", name="Publish verdict").click()
    expect(page.get_by_text("Verdict published.")).to_be_visible()
    expect(status_of(page)).to_have_text("Published · editor")
    expect(page.get_by_role("button", name="Publish verdict")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish correction")).to_be_visible()
    screenshot("desk-published")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.verdict.published_at is not None


def test_markup_in_an_article_is_shown_as_text_and_never_runs(page: Page, log_in, screenshot, editor):
    body = (
        f"Kementerian Pertahanan membeli 300 tank {SCRIPT} dari Rusia pada 2023 senilai "
        f"Rp 5 triliun, kata juru bicara Budi Santoso.\n\n"
        f"Menurut laporan itu, 40 persen amunisi {IMG} yang dikirim Korea Utara rusak, "
        f"ujar analis militer Andi Wijaya."
    )
    submission = services.article_submit(
        title=f"Tank dan amunisi {IMG}", body=body, outlet="Contoh", user=editor,
    )
    assert submission.created
    submission.job.refresh_from_db()
    assert submission.job.status == "succeeded", submission.job.error
    marked_up = [c for c in submission.article.claims.order_by("start") if "<" in c.text]
    assert marked_up, "the extractor found no claim around the markup"

    log_in("editor", "pw-editor-1")
    page.goto(f"/admin/claims/article/{submission.article.pk}/change/")
    text = page.locator(".fc-article-text")
    expect(text).to_contain_text(SCRIPT)
    expect(text).to_contain_text(IMG)
    expect(page.locator("#content h2").first).to_contain_text(IMG)
    expect(page.locator("#content img")).to_have_count(0)
    assert page.evaluate("window.__pwned") is None
    screenshot("xss-article")

    page.goto("/admin/claims/claim/?status=all&q=Tank")
    expect(queue_rows(page).first).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    screenshot("xss-queue")

    for claim in marked_up:
        page.goto(f"/admin/claims/claim/{claim.pk}/change/")
        expect(page.locator(".fc-claim.fc-current")).to_have_text(claim.text)
        expect(page.get_by_role("heading", name=str(claim))).to_be_visible()
        expect(page.locator("#content img")).to_have_count(0)
        assert page.evaluate("window.__pwned") is None
    screenshot("xss-claim")


def test_the_queue_shows_the_articles_best_three_and_unfolds_the_rest_on_a_click(
    page: Page, log_in, screenshot, editor, submit_seed,
):
    article = submit_seed().article
    open_claims = article.claims.count()
    log_in("editor", "pw-editor-1")
    page.get_by_role("link", name="Claims", exact=True).first.click()
    expect(queue_rows(page)).to_have_count(3)
    more = page.get_by_role("link", name=f"{open_claims - 3} more from this article")
    expect(more).to_have_count(1)
    screenshot("desk-queue-folded")
    more.click()
    expect(queue_rows(page)).to_have_count(open_claims)
    expect(page.get_by_role("link", name=re.compile("more from this article"))).to_have_count(0)
    screenshot("desk-queue-unfolded")
