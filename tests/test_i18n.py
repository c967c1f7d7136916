"""The desk and the public site in Indonesian: no English left, numbers and dates in the
reader's language, and the catalogue complete."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from claims import display, services
from claims.models import Article, Claim, Topic
from tests.test_public_pages import make_claim, publish

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"

# Words of the desk's and the site's own interface that must not show through in Indonesian.
ENGLISH = [
    "claim", "claims", "Sources", "Verdict", "verdict", "assigned to", "the outlet", "via", "Articles",
    "Extraction jobs", "API keys", "Kunci APIs", "Partners", "Ratings", "Topics", "Corrections", "Change",
    "Not check-worthy", "Opinion", "reported as fact", "several actors", "named actor", "quoted speech",
    "Fact-check desk", "Fact-checking", "Assignee", "assignee", "Search", "Published", "score", "Speaker",
    "system", "Reported", "Filters", "More filters", "Ammunition", "Diplomacy", "Arms deals",
    "number", "date", "topic",
]


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    settings.FACTCHECK_NEWSROOM_NAME = "Cek Fakta Contoh"  # the newsroom's own name, not interface
    cache.clear()
    yield
    # A request in Indonesian leaves the thread speaking it; the next test starts in the default.
    translation.deactivate()


class _Text(HTMLParser):
    """The words a reader sees (and the titles they hover), without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):  # noqa: ANN001
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.fixture
def desk(editor, publisher):
    """A published claim, a dismissed one, one assigned and reasoned, all in Indonesian text."""
    published = publish(make_claim(text="Korut memasok 1 juta peluru ke Rusia."), editor, publisher,
                        headline="Klaim satu juta peluru keliru")
    Claim.objects.filter(pk=published.pk).update(attribution="the outlet")
    assigned = make_claim(text="Moskow mengandalkan Korut untuk amunisi.", topics=("ammunition", "diplomacy"))
    Claim.objects.filter(pk=assigned.pk).update(
        attribution="via Instagram", score=0.7312,
        reasons=["number", "several actors", "topic: ammunition", "factual verb 'memasok'", "reported as fact",
                 "quoted speech", "named in the headline: Vladimir Putin", "model 0.73"])
    services.claim_assign(claim=assigned, user=editor)
    dismissed = make_claim(text="Harga beras naik tiga kali lipat.")
    services.claim_dismiss(claim=dismissed, user=editor, reason="not_checkworthy")
    return {"published": published, "assigned": assigned, "dismissed": dismissed}


def _pages(client, desk) -> dict[str, str]:
    pages = {}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    urls = {
        "dashboard": reverse("admin:index"),
        "queue": reverse("admin:claims_claim_changelist"),
        "queue, all": reverse("admin:claims_claim_changelist") + "?status=all",
        "queue, search": reverse("admin:claims_claim_changelist") + "?q=peluru",
        "claim": reverse("admin:claims_claim_change", args=[desk["assigned"].pk]),
        "dismissed claim": reverse("admin:claims_claim_change", args=[desk["dismissed"].pk]),
        "articles": reverse("admin:claims_article_changelist"),
        "article": reverse("admin:claims_article_change", args=[desk["assigned"].article_id]),
        "jobs": reverse("admin:claims_extractionjob_changelist"),
        "home": reverse("claims:home"),
        "list": reverse("claims:list"),
        "detail": desk["published"].get_absolute_url(),
        "topic": reverse("claims:topic", args=["ammunition"]),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    return pages


def test_the_desk_and_the_site_show_no_english_in_indonesian(client, desk, editor):
    client.force_login(editor)
    leaks = {name: english_in(visible_text(html)) for name, html in _pages(client, desk).items()}
    leaked = {name: words for name, words in leaks.items() if words}
    assert leaked == {}, leaked


def test_the_english_list_would_catch_the_english_desk(client, desk, editor):
    """The check above can fail: the same pages in English are full of those words."""
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("admin:claims_claim_change", args=[desk["assigned"].pk])).content.decode()
    assert {"Speaker", "several actors", "reported as fact", "via"} <= set(english_in(visible_text(html)))


def test_models_are_named_and_pluralised_in_indonesian(admin_client):
    client = admin_client
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    text = visible_text(client.get(reverse("admin:index")).content.decode())
    for name in ("Kunci API", "Tugas ekstraksi", "Artikel", "Klaim", "Koreksi", "Mitra", "Penilaian", "Topik"):
        assert name in text
    assert "APIs" not in text and "Articles" not in text


def test_stored_reasons_attribution_and_dismiss_reasons_read_in_the_active_language():
    with translation.override("id"):
        assert display.reasons_display(["number", "factual verb 'memasok'", "model 0.73"]) == (
            "angka; kata kerja faktual 'memasok'; model 0,73")
        assert display.attribution_display("the outlet") == "oleh media itu sendiri"
        assert display.attribution_display("via Instagram") == "melalui Instagram"
        assert display.dismiss_reason_display("Not check-worthy") == "Tidak layak dicek"
        assert display.dismiss_reason_display("Ditulis sendiri") == "Ditulis sendiri"
        assert display.reason_display("something new") == "something new"
    with translation.override("en"):
        assert display.reasons_display(["number", "model 0.73"]) == "number; model 0.73"
        assert display.attribution_display("the outlet") == "by the outlet itself"


def test_a_dismiss_reason_is_stored_in_english_whoever_dismisses(editor):
    claim = make_claim()
    with translation.override("id"):
        services.claim_dismiss(claim=claim, user=editor, reason="not_checkworthy")
    claim.refresh_from_db()
    assert claim.dismiss_reason == "Not check-worthy"


def test_workflow_refusals_speak_indonesian(editor):
    claim = make_claim()
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        services.claim_dismiss(claim=claim, user=editor, reason="")
    assert "Sebutkan mengapa klaim diabaikan." in str(refused.value)


@pytest.mark.parametrize(("language", "score"), [("en", "0.73"), ("id", "0,73")])
def test_a_score_reads_the_same_in_the_list_and_on_the_claim_page(client, desk, editor, language, score):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    queue = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    page = client.get(reverse("admin:claims_claim_change", args=[desk["assigned"].pk])).content.decode()
    assert '<span class="fc-score" title="' in queue and f">{score}</span>" in queue
    assert f"<dd>{score} — " in page
    other = "0,73" if language == "en" else "0.73"
    assert other not in visible_text(queue) and f"<dd>{other}" not in page


@pytest.mark.parametrize(("language", "written"), [("en", "Sept. 14, 2023"), ("id", "14 Sep. 2023")])
def test_dates_are_written_in_the_active_language(client, desk, language, written):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = visible_text(client.get(desk["published"].get_absolute_url()).content.decode())
    assert written in text, text


def test_the_catalogue_compiles_and_nothing_in_it_is_untranslated_or_fuzzy(tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)], check=True)
    for option in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(["msgattrib", option, "--no-obsolete", str(PO)], check=True,
                              capture_output=True, text=True).stdout
        msgids = [m for m in re.findall(r'^msgid "(.*)"$', left, re.M) if m]
        assert msgids == [], (option, msgids)


_TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")


def test_every_string_the_templates_translate_has_its_indonesian():
    templates = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "claims").rglob("templates/**/*.html")]
    wanted = {m.group(2) for path in templates for m in _TEMPLATE_STRING.finditer(path.read_text())}
    assert len(wanted) > 50
    catalog = trans_real.translation("id")
    translated = {key for key, value in catalog._catalog.items() if isinstance(key, str) and value}
    missing = sorted(s for s in wanted if s not in translated and s not in {"RSS", "Atom"})
    assert missing == []


# The smaller points ---------------------------------------------------------------------


def test_a_search_in_the_queue_finds_claims_of_every_status_and_says_so(client, desk, editor):
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    found = client.get(url + "?q=peluru")
    assert [c.pk for c in found.context["cl"].result_list] == [desk["published"].pk]
    assert "Searching claims of every status." in found.content.decode()
    assert list(client.get(url + "?q=peluru&status=open").context["cl"].result_list) == []
    queue = client.get(url)
    assert desk["published"].pk not in [c.pk for c in queue.context["cl"].result_list]
    html = queue.content.decode()
    assert "Showing open claims only" in html and "status=all" in html


def test_a_claim_is_titled_by_whole_words():
    text = ("Moskow mengandalkan Iran untuk drone kamikaze, Belarusia untuk kendaraan lapis baja, dan Korut "
            "untuk amunisi.")
    assert str(Claim(text=text)) == text
    long = " ".join(["amunisi"] * 60)
    title = str(Claim(text=long))
    assert title.endswith("amunisi…") and len(title) <= 200


def test_the_queue_shows_a_long_claim_by_whole_words(client, editor):
    claim = make_claim(text="Korut " * 30 + "memasok amunisi ke Rusia " * 10)
    client.force_login(editor)
    html = client.get(reverse("admin:claims_claim_changelist") + "?folded=all").content.decode()
    cell = re.search(r'<th class="field-claim_text">.*?</th>', html, re.S).group(0)
    assert "…" in cell and re.search(r"(Korut|memasok|amunisi|ke|Rusia)…", cell)
    assert claim.text[:100] in cell


def test_a_claim_number_without_its_words_redirects_to_its_address(client, desk):
    published = desk["published"]
    response = client.get(f"/claims/{published.pk}/")
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()
    assert client.get(f"/claims/{desk['dismissed'].pk}/").status_code == 404
    assert client.get("/claims/999999/").status_code == 404


def test_the_site_has_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "preconnect", "preload", "dns-prefetch"):
            self.urls.append(attrs.get("href") or "")


def other_hosts(html: str) -> list[str]:
    parser = _Resources()
    parser.feed(html)
    return [u for u in parser.urls if re.match(r"(https?:)?//", u)]


def test_no_page_loads_anything_from_another_host(client, desk, editor):
    assert other_hosts('<link rel="stylesheet" href="https://fonts.example/css">') != []  # the check can fail
    client.force_login(editor)
    pages = _pages(client, desk)
    for url in ("/api/redoc/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200
        pages[url] = response.content.decode()
    assert {name: other_hosts(html) for name, html in pages.items() if other_hosts(html)} == {}
    assert "googleapis" not in pages["/api/redoc/"]
    # Redoc's bundle asks its CDN for a logo by itself: the browser is told to load only from here.
    for url in ("/api/redoc/", "/api/docs/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "img-src 'self' data:" in policy


def test_the_public_search_folds_its_filters_until_one_is_set(client, desk):
    html = client.get(reverse("claims:list")).content.decode()
    assert '<details class="filter-more" id="filter-more">' in html
    assert html.index('id="f-q"') < html.index("<details") < html.index('id="f-rating"') < html.index("</details>")
    html = client.get(reverse("claims:list") + "?topic=ammunition").content.decode()
    assert '<details class="filter-more" id="filter-more" open>' in html


def test_the_queue_and_claim_pages_keep_a_flat_number_of_queries(client, editor):
    client.force_login(editor)
    counts = {}
    for n in (2, 20):
        for i in range(n - Claim.objects.count()):
            claim = make_claim(text=f"Korut memasok {i} juta peluru ke Rusia.", topics=("ammunition", "diplomacy"))
            Claim.objects.filter(pk=claim.pk).update(reasons=["number", "model 0.50"], attribution="the outlet")
        last = Claim.objects.order_by("-pk").first()
        for name, url in (("queue", reverse("admin:claims_claim_changelist") + "?folded=all"),
                          ("claim", reverse("admin:claims_claim_change", args=[last.pk]))):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, HTTP_ACCEPT_LANGUAGE="id").status_code == 200
            counts.setdefault(name, []).append(len(queries))
    assert counts["queue"][0] == counts["queue"][1], counts
    assert counts["claim"][0] == counts["claim"][1], counts


def test_topics_are_named_in_the_active_language():
    topic = Topic.objects.get(slug="ammunition")
    with translation.override("id"):
        assert str(topic) == topic.name_id != ""
    with translation.override("en"):
        assert str(topic) == topic.name


def test_articles_keep_their_own_words(client, editor):
    """Only the interface is translated: an article's English text is shown as written."""
    article = Article.objects.create(title="Reported claims", body="Reported claims.", content_hash="x")
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Reported claims" in client.get(reverse("admin:claims_article_changelist")).content.decode()
    assert article.pk


@pytest.mark.parametrize(("language", "both", "limit"), [
    ("en", "Send exactly one of text, html or url.", "Longer than the limit of 1,000 characters."),
    ("id", "Kirim tepat satu dari text, html, atau url.", "Lebih panjang dari batas 1.000 karakter."),
])
def test_api_errors_for_people_follow_the_language_and_keep_field_names(settings, language, both, limit):
    from claims.api.serializers import ArticleSubmitSerializer

    settings.FACTCHECK_ARTICLE_MAX_CHARS = 1000
    with translation.override(language):
        two = ArticleSubmitSerializer(data={"text": "Satu.", "url": "https://news.example/a"})
        assert not two.is_valid()
        assert [str(m) for m in two.errors["non_field_errors"]] == [both]
        long = ArticleSubmitSerializer(data={"text": "kata " * 300})
        assert not long.is_valid()
        assert [str(m) for m in long.errors["text"]] == [limit]


def test_the_queue_names_languages_in_the_desks_language(client, desk, editor):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    filters = visible_text(html[html.index('id="changelist-filter"'):])
    assert "Bahasa Indonesia" in filters and " id " not in f" {filters} "
    assert list(client.get(reverse("admin:claims_claim_changelist") + "?language=id&status=all")
                .context["cl"].result_list)
