"""The smaller points of the desk and the site in a real browser, in English and Indonesian,
at 1,366 px and at phone width (390 px). Screenshots land in test-artifacts/i18n-*.png."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from claims import services
from claims.models import Claim, Rating
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

AMMUNITION = "Moskow mengandalkan Iran untuk drone kamikaze, Belarusia untuk kendaraan lapis baja, dan Korut untuk amunisi."
DESK = 1366
PHONE = 390
WORDS = {
    "en": {"search": "Search", "all statuses": "Searching claims of every status.", "open only": "Showing open claims only",
           "more filters": "More filters", "chart": "Verdicts published per week", "speaker": "Speaker"},
    "id": {"search": "Cari", "all statuses": "Mencari klaim dengan status apa pun.",
           "open only": "Hanya menampilkan klaim terbuka", "more filters": "Filter lainnya",
           "chart": "Hasil periksa yang terbit per minggu", "speaker": "Pembicara"},
}


@pytest.fixture
def published_ammunition(editor, publisher, submit_seed) -> Claim:
    """The seed article's ammunition claim, published by two people."""
    assert submit_seed().job.status == "succeeded"
    claim = Claim.objects.get(text=AMMUNITION)
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://data.example/report", title="Laporan",
                        stance="refutes")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.get(label_id="Keliru"),
                           headline="Korut tidak memasok amunisi", summary="Data menunjukkan sebaliknya.")
    services.verdict_publish(claim=claim, user=publisher)
    return Claim.objects.select_related("verdict").get(pk=claim.pk)


def speak(page: Page, live_server, language: str, width: int) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900 if width == DESK else 844})


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def other_host_requests(page: Page, live_server) -> list[str]:
    """Requests to other hosts that the browser let out (one the page's Content-Security-Policy
    stopped, failing with "csp", never left it)."""
    own = urlsplit(live_server.url).netloc
    seen: list[str] = []

    def elsewhere(request) -> bool:  # noqa: ANN001
        url = urlsplit(request.url)
        return url.scheme in ("http", "https") and url.netloc != own

    page.on("requestfinished", lambda request: seen.append(request.url) if elsewhere(request) else None)
    page.on("requestfailed", lambda request: seen.append(f"{request.url} ({request.failure})")
            if elsewhere(request) and request.failure not in ("csp", "net::ERR_BLOCKED_BY_CSP") else None)
    return seen


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_desk_at_1366_px(page: Page, live_server, log_in, screenshot, published_ammunition, language):
    words = WORDS[language]
    outside = other_host_requests(page, live_server)
    log_in("publisher", "pw-publisher-1")
    speak(page, live_server, language, DESK)

    # The queue: the claim is the widest column and every column fits, Assignee included.
    page.goto("/admin/claims/claim/?folded=all")
    expect(page.locator("#result_list")).to_be_visible()
    claim_column = box(page.locator("#result_list thead th.column-claim_text"))
    assignee = box(page.locator("#result_list thead th.column-assignee"))
    assert claim_column["width"] >= 280, claim_column
    results = box(page.locator("#changelist .results"))
    assert assignee["x"] + assignee["width"] <= results["x"] + results["width"], (assignee, results)
    assert page.evaluate("document.querySelector('#changelist .results').scrollWidth"
                         " <= document.querySelector('#changelist .results').clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK
    expect(page.get_by_text(words["open only"])).to_be_visible()
    screenshot(f"i18n-{language}-queue-{DESK}")

    # A search looks through every status: the published ammunition claim is found.
    page.locator("#searchbar").fill("amunisi")
    page.locator("#changelist-search").get_by_role("button").click()
    expect(page.get_by_text(words["all statuses"])).to_be_visible()
    expect(page.locator("#result_list").get_by_text(AMMUNITION)).to_be_visible()
    screenshot(f"i18n-{language}-queue-search-{DESK}")

    # The claim's page is titled with its whole text, "amunisi" and all.
    page.locator("#result_list").get_by_role("link", name=AMMUNITION).click()
    expect(page.locator("#content h2").first).to_have_text(AMMUNITION)
    expect(page.locator("dl.fc-meta")).to_contain_text(words["speaker"])
    score = page.locator("dl.fc-meta dd").nth(4).inner_text()
    assert ("," in score.split(" ")[0]) == (language == "id"), score
    screenshot(f"i18n-{language}-claim-{DESK}")

    # The dashboard: the chart's counts stay below its heading.
    page.goto("/admin/")
    heading = box(page.get_by_role("heading", name=words["chart"]))
    for count in page.locator(".fc-chart .fc-bar b").all():
        top = box(count)
        assert top["y"] >= heading["y"] + heading["height"], (top, heading)
    screenshot(f"i18n-{language}-dashboard-{DESK}")
    assert outside == []


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_public_site_on_a_phone_and_at_1366_px(page: Page, live_server, screenshot, published_ammunition,
                                                   language):
    words = WORDS[language]
    outside = other_host_requests(page, live_server)

    # On a phone the search shows its results first: the other filters are folded.
    speak(page, live_server, language, PHONE)
    page.goto("/claims/")
    expect(page.locator("#f-q")).to_be_visible()
    expect(page.locator("#f-rating")).to_be_hidden()
    results = box(page.locator("#results-title"))
    assert results["y"] < 844, results
    expect(page.locator(".card").first).to_be_visible()
    screenshot(f"i18n-{language}-search-{PHONE}")
    page.get_by_text(words["more filters"]).click()
    expect(page.locator("#f-rating")).to_be_visible()
    screenshot(f"i18n-{language}-search-open-{PHONE}")

    # At 1,366 px every filter is in view at once.
    speak(page, live_server, language, DESK)
    page.goto("/claims/")
    expect(page.locator("#f-rating")).to_be_visible()
    expect(page.locator("#f-before")).to_be_visible()
    screenshot(f"i18n-{language}-search-{DESK}")

    # A claim's number alone leads to its page; the site has its icon.
    page.goto(f"/claims/{published_ammunition.pk}/")
    assert page.url == live_server.url + published_ammunition.get_absolute_url()
    expect(page.get_by_role("heading", name="Korut tidak memasok amunisi")).to_be_visible()
    screenshot(f"i18n-{language}-claim-page-{DESK}")
    speak(page, live_server, language, PHONE)
    page.reload()
    screenshot(f"i18n-{language}-claim-page-{PHONE}")
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"

    # The API reference is served from here: nothing is asked of another host.
    page.goto("/api/redoc/")
    expect(page.locator("#redoc-container, redoc").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert outside == []
