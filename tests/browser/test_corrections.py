"""Corrections and the two-person rule in a real browser (issue 20).

A publisher corrects a published verdict's rating and headline on the desk and readers see
the new headline, and what changed, in English and Indonesian; a publisher who drafted a
verdict is refused when publishing it. Screenshots at 1,366 px and at phone width (390 px)
land in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest

from claims import services
from claims.choices import ClaimStatus
from claims.models import Claim, Correction, Rating
from tests.browser.pw import BROWSER_TEST, Page, expect
from tests.test_public_pages import draft, make_claim, publish

pytestmark = BROWSER_TEST

BENAR = "Benar: Korut memasok satu juta peluru ke Rusia"
CORRECTED = "Sebagian benar: pasokan ada, jumlahnya belum pasti"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def screenshots(page: Page, screenshot, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        screenshot(f"{name}-{label}")
    page.set_viewport_size(WIDTHS["desktop"])


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def second_publisher(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("publisher2", password="pw-publisher2-1", is_staff=True)
    user.groups.set(Group.objects.filter(name="Publishers"))
    return user


def test_a_publisher_corrects_the_headline_and_readers_see_it_in_both_languages(
    page: Page, log_in, screenshot, editor, publisher,
):
    claim = publish(make_claim(), editor, publisher, headline=BENAR, rating="Benar",
                    summary="Data intelijen menunjukkan pasokan itu.")
    log_in("publisher", "pw-publisher-1")
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    form = page.locator("form.fc-verdict-form", has=page.get_by_role("button", name="Publish correction"))
    expect(form.get_by_label("Headline")).to_have_value(BENAR)
    form.get_by_label("Rating").select_option(label=str(Rating.objects.get(label_id="Sebagian benar")))
    form.get_by_label("Headline").fill(CORRECTED)
    form.get_by_label("Public correction note").fill("Angka satu juta berasal dari satu sumber yang belum dikonfirmasi.")
    form.get_by_role("button", name="Publish correction").click()
    expect(page.get_by_text("Correction published.")).to_be_visible()
    expect(page.locator(".fc-corrections")).to_contain_text(
        "Rating changed from Benar to Sebagian benar; headline changed.")
    screenshots(page, screenshot, "correction-desk")
    correction = Correction.objects.get(verdict__claim=claim)
    assert correction.changed == ["rating", "headline"] and correction.corrected_by == publisher

    # The reader's page, in English: the new headline and rating, and what changed.
    claim.refresh_from_db()
    page.goto(claim.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(CORRECTED)
    expect(page.locator(".verdict-rating")).to_contain_text("Sebagian benar")
    corrections = page.locator("section.corrections")
    expect(corrections).to_contain_text("Rating changed from Benar to Sebagian benar; headline changed.")
    expect(corrections).to_contain_text("Angka satu juta berasal dari satu sumber yang belum dikonfirmasi.")
    corrections.get_by_text("Before this correction").click()
    expect(corrections.get_by_text(BENAR)).to_be_visible()
    assert BENAR not in page.title()
    no_sideways_scroll(page)
    screenshots(page, screenshot, "correction-public-en")

    # The same page in Indonesian.
    page.locator("nav.language-switch").get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(CORRECTED)
    expect(page.locator("section.corrections")).to_contain_text(
        "Penilaian diubah dari Benar menjadi Sebagian benar; judul diubah.")
    no_sideways_scroll(page)
    screenshots(page, screenshot, "correction-public-id")


def test_a_publisher_who_drafted_a_verdict_is_refused_and_a_colleague_publishes_it(
    page: Page, log_in, log_out, screenshot, editor, publisher, second_publisher,
):
    claim = draft(make_claim(), editor, headline="Keliru: pasokan dibesar-besarkan")
    log_in("publisher", "pw-publisher-1")
    url = f"/admin/claims/claim/{claim.pk}/change/"
    # A tab opened on the editor's draft offers "Publish verdict" ...
    page.goto(url)
    expect(page.get_by_role("button", name="Publish verdict")).to_be_visible()
    # ... and in a second tab the publisher rewrites the draft, so becomes one of its writers.
    other = page.context.new_page()
    other.goto(url)
    other.get_by_label("Summary").fill("Ringkasan yang ditulis ulang oleh penerbit.")
    other.get_by_role("button", name="Save draft verdict").click()
    expect(other.get_by_text("Verdict drafted.")).to_be_visible()
    expect(other.get_by_role("button", name="Publish verdict")).to_have_count(0)
    expect(other.locator(".fc-two-person")).to_have_text(
        "You drafted this verdict, so another publisher must publish it (the two-person rule).")
    other.close()

    # Back in the first tab, the button is refused with the reason.
    page.get_by_role("button", name="Publish verdict").click()
    expect(page.locator("ul.messagelist .error")).to_have_text(
        "You drafted this verdict, so another publisher must publish it (the two-person rule).")
    expect(page.get_by_role("button", name="Publish verdict")).to_have_count(0)
    screenshots(page, screenshot, "two-person-refused")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED

    # The Indonesian desk says the same.
    page.locator("#fc-language").select_option("id")
    expect(page.locator(".fc-two-person")).to_have_text(
        "Anda menulis draf hasil periksa ini, jadi penerbit lain yang harus menerbitkannya (aturan dua orang).")
    screenshots(page, screenshot, "two-person-refused-id")
    page.locator("#fc-language").select_option("en")
    log_out()

    # A colleague who wrote none of it publishes it.
    log_in("publisher2", "pw-publisher2-1")
    page.goto(url)
    page.get_by_role("button", name="Publish verdict").click()
    expect(page.get_by_text("Verdict published.")).to_be_visible()
    expect(page.locator(".fc-verdict-people")).to_have_text(re.compile(r"Drafted by publisher · published by publisher2"))
    claim = Claim.objects.select_related("verdict").get(pk=claim.pk)
    assert claim.status == ClaimStatus.PUBLISHED
    assert (claim.verdict.drafted_by, claim.verdict.published_by) == (publisher, second_publisher)
    assert services.verdict_drafters(claim.verdict) == {editor.pk, publisher.pk}
