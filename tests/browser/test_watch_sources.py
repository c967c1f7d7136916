"""Watched sources in a real browser (issue 22): an editor adds a source in Indonesian at
1,366 px and finds it in the list; its page draws the chart below its heading. Screenshots
land in test-artifacts/watch-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from claims.models import Article, Claim, WatchedSource
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

DESK = 1366


@pytest.fixture
def watching_editor(editor):
    """The editor, with what the watched-sources migration grants the Editors group (the
    browser tests' reference data makes the groups of the first migrations only)."""
    group = Group.objects.get(name="Editors")
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="claims",
        codename__in=["view_watchedsource", "view_watchedentry", "manage_watchedsource"]))
    return editor


def test_an_editor_adds_a_source_and_sees_it_listed_in_indonesian(page: Page, live_server, log_in, screenshot,
                                                                    watching_editor):
    log_in("editor", "pw-editor-1")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}])
    page.set_viewport_size({"width": DESK, "height": 900})

    page.goto("/admin/claims/watchedsource/")
    expect(page.get_by_role("heading", name="Pilih sumber yang dipantau untuk diubah")).to_be_visible()
    page.get_by_role("link", name="Tambahkan sumber yang dipantau").click()
    form = page.locator("#watchedsource_form")
    form.get_by_label("Media").fill("ANTARA News")
    form.get_by_label("URL").fill("https://www.antaranews.com/rss/terkini.xml")
    form.get_by_label("Jenis").select_option(label="Feed RSS atau Atom")
    form.locator("#id_language").select_option(label="Bahasa Indonesia")
    form.get_by_label("Periksa setiap (menit)").fill("15")
    screenshot(f"watch-id-add-{DESK}")
    form.get_by_role("button", name="Simpan", exact=True).click()

    row = page.locator("#result_list tbody tr", has_text="ANTARA News")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Feed RSS atau Atom")
    expect(row).to_contain_text("Bahasa Indonesia")
    expect(row).to_contain_text("Belum pernah diperiksa")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK
    assert page.evaluate("document.querySelector('#changelist .results').scrollWidth"
                         " <= document.querySelector('#changelist .results').clientWidth")
    screenshot(f"watch-id-list-{DESK}")
    source = WatchedSource.objects.get(url="https://www.antaranews.com/rss/terkini.xml")
    assert (source.name, source.language, source.poll_minutes, source.enabled) == ("ANTARA News", "id", 15, False)

    # Its page: the chart sits below its heading, the day's bars inside the chart.
    article = Article.objects.create(title="Berita", body="Harga beras naik 20 persen.", content_hash="watch-b1",
                                     watched_source=source)
    Claim.objects.create(article=article, text="Harga beras naik 20 persen.", start=0, end=27, score=0.8)
    Article.objects.filter(pk=article.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    page.goto(f"/admin/claims/watchedsource/{source.pk}/change/")
    heading = page.get_by_role("heading", name="Artikel dan klaim per hari, 30 hari terakhir")
    chart = page.locator("svg.fc-watch-chart")
    expect(chart).to_be_visible()
    top, drawn = heading.bounding_box(), chart.bounding_box()
    assert drawn["y"] >= top["y"] + top["height"], (drawn, top)
    assert drawn["x"] + drawn["width"] <= DESK
    assert page.locator("svg.fc-watch-chart g.fc-day[data-articles='1'][data-claims='1']").count() == 1
    screenshot(f"watch-id-source-{DESK}")
