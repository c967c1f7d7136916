"""The public pages readers see: published fact-checks only, escaped, cacheable, bilingual."""

from __future__ import annotations

import itertools
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus
from claims.models import Article, Claim, Rating, Topic

pytestmark = pytest.mark.django_db

MARKER = "ZZUNPUBLISHEDMARKER"
APPEARED = datetime(2023, 9, 14, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _no_public_cache(settings):
    """Pages are built fresh in each test; the cache has its own test below."""
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    settings.SITE_URL = "https://factcheck.example"
    settings.FACTCHECK_NEWSROOM_NAME = "Cek Fakta Contoh"
    cache.clear()
    yield
    cache.clear()


def make_claim(
    *, text: str = "Korut memasok 1 juta peluru ke Rusia.", speaker: str = "Budi Santoso",
    speaker_role: str = "juru bicara", speaker_kind: str = "", outlet: str = "RIAU24.COM", language: str = "id",
    entity_names: str = "North Korea; Russia", topics: tuple[str, ...] = ("ammunition",),
    title: str = "Korut dan Rusia", url: str | None = None,
    published_at: datetime | None = APPEARED,
) -> Claim:
    """A claim as extraction leaves it: new, in its own article."""
    n = next(_counter)
    article = Article.objects.create(
        title=title, body=text, outlet=outlet, language=language, content_hash=f"hash-{n}",
        url=f"https://news.example/article-{n}" if url is None else url, published_at=published_at,
    )
    claim = Claim.objects.create(
        article=article, text=text, start=0, end=len(text), speaker=speaker, speaker_role=speaker_role,
        speaker_kind=speaker_kind, language=language, entity_names=entity_names, score=0.8,
    )
    claim.topics.set(Topic.objects.filter(slug__in=topics))
    return claim


def draft(claim: Claim, editor, *, headline: str = "Tidak benar", rating: str = "Keliru",
          summary: str = "Data menunjukkan sebaliknya.", rationale: str = "") -> Claim:
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://data.example/report",
                        title="Laporan intelijen", publisher="Lembaga Contoh", stance="refutes",
                        quote="Angka sebenarnya jauh lebih kecil.")
    services.source_add(claim=claim, user=editor, url="https://data.example/context",
                        title="Latar belakang", stance="context")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.get(label_id=rating),
                           headline=headline, summary=summary, rationale=rationale)
    claim.refresh_from_db()
    return claim


def publish(claim: Claim, editor, publisher, **verdict) -> Claim:
    draft(claim, editor, **verdict)
    services.verdict_publish(claim=claim, user=publisher)
    return Claim.objects.select_related("verdict").get(pk=claim.pk)


@pytest.fixture
def published(editor, publisher):
    return publish(make_claim(), editor, publisher, headline="Klaim satu juta peluru tidak benar",
                   rationale="Kami membandingkan data ekspor dengan laporan intelijen.")


@pytest.fixture
def unpublished(editor, published):
    """One claim in every state short of published, all sharing the published one's topic,
    speaker, outlet, entities and words, so that any filter that leaks would show them."""
    common = {"speaker": "Budi Santoso", "outlet": "RIAU24.COM", "entity_names": "North Korea; Russia",
              "topics": ("ammunition",)}
    new = make_claim(text=f"Korut memasok peluru {MARKER} baru.", **common)
    in_review = make_claim(text=f"Korut memasok peluru {MARKER} ditinjau.", **common)
    services.claim_assign(claim=in_review, user=editor)
    drafted = draft(make_claim(text="Korut memasok peluru dalam draf.", **common), editor,
                    headline=f"Headline {MARKER} drafted", summary=f"Summary {MARKER}")
    dismissed = make_claim(text=f"Korut memasok peluru {MARKER} ditolak.", **common)
    services.claim_dismiss(claim=dismissed, user=editor, reason="opinion")
    return [new, in_review, drafted, dismissed]


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def public_urls(published: Claim) -> list[str]:
    filters = [
        "", "?q=peluru", "?q=ditolak", "?q=draf", "?q=drafted", "?q=Korut+Rusia", "?rating=Keliru", "?rating=keliru",
        "?topic=ammunition", "?language=id", "?speaker=Budi", "?entity=North+Korea", "?outlet=RIAU24.COM",
        "?published_after=2000-01-01", "?published_before=2100-01-01",
        "?topic=ammunition&speaker=budi&q=peluru&published_after=2000-01-01", "?page=2",
    ]
    topics = [reverse(name, args=[t.slug]) for t in Topic.objects.all()
              for name in ("claims:topic", "claims:topic-rss", "claims:topic-atom")]
    return [
        reverse("claims:home"), reverse("claims:about"), published.get_absolute_url(),
        *(reverse("claims:list") + f for f in filters), *topics,
        reverse("claims:feed-rss"), reverse("claims:feed-atom"), "/sitemap.xml", "/robots.txt",
    ]


def test_nothing_unpublished_appears_on_any_public_url(client, published, unpublished):
    for language in ("en", "id"):
        client.cookies["django_language"] = language
        for url in public_urls(published):
            text = body(get(client, url))
            assert MARKER not in text, url
            assert "dalam draf" not in text, url
            for claim in unpublished:
                assert f"/claims/{claim.pk}/" not in text, url
    for claim in unpublished:
        get(client, reverse("claims:detail", args=[claim.pk, claim.slug]), 404)
    assert get(client, reverse("claims:list") + f"?q={MARKER}").context["page_obj"].paginator.count == 0


def test_filter_counts_only_count_published_claims(client, editor, publisher, published, unpublished):
    for query in ("", "?topic=ammunition", "?speaker=Budi", "?q=peluru", "?outlet=RIAU24.COM"):
        response = get(client, reverse("claims:list") + query)
        assert response.context["page_obj"].paginator.count == 1, query
        assert "1 fact-check found" in body(response)
    home = get(client, reverse("claims:home"))
    assert [(t.slug, t.published_count) for t in home.context["topics"]] == [("ammunition", 1)]
    publish(make_claim(text="Rusia membeli senjata.", topics=("ammunition", "arms-deals")), editor, publisher)
    home = get(client, reverse("claims:home"))
    assert [(t.slug, t.published_count) for t in home.context["topics"]] == [("ammunition", 2), ("arms-deals", 1)]


def test_the_home_page_lists_the_latest_fact_checks(client, published):
    response = get(client, "/")
    text = body(response)
    assert "Klaim satu juta peluru tidak benar" in text
    assert published.get_absolute_url() in text
    assert "Keliru" in text


def test_the_list_searches_and_filters(client, editor, publisher, published):
    english = publish(make_claim(text="Inflation hit 9 percent last year.", speaker="Jane Doe",
                                 speaker_role="economist", language="en", entity_names="Bank Indonesia", outlet="Daily News",
                                 topics=("economy-inflation",)),
                      editor, publisher, headline="Inflation figure is wrong", rating="Menyesatkan")
    cases = {
        "?q=inflation": [english], "?q=peluru": [published], "?rating=Menyesatkan": [english],
        "?topic=economy-inflation": [english], "?language=id": [published], "?speaker=jane": [english],
        "?entity=bank+indonesia": [english], "?outlet=daily+news": [english],
        "?speaker=economist": [english], "?q=bicara": [published],
        "?published_after=2100-01-01": [], "": [english, published],
    }
    for query, expected in cases.items():
        response = get(client, reverse("claims:list") + query)
        assert list(response.context["page_obj"]) == expected, query


def test_a_bad_filter_value_is_shown_not_crashed_on(client, published):
    response = get(client, reverse("claims:list") + "?published_after=not-a-date&topic=nope")
    text = body(response)
    assert 'aria-invalid="true"' in text


def test_the_list_is_paginated(client, editor, publisher):
    for i in range(21):
        publish(make_claim(text=f"Klaim nomor {i} tentang peluru."), editor, publisher, headline=f"Nomor {i}")
    first = get(client, reverse("claims:list") + "?q=peluru")
    assert len(first.context["page_obj"]) == 20
    assert 'href="?q=peluru&amp;page=2"' in body(first)
    second = get(client, reverse("claims:list") + "?q=peluru&page=2")
    assert len(second.context["page_obj"]) == 1
    assert len(get(client, reverse("claims:list") + "?page=999").context["page_obj"]) == 1


def test_a_claim_page_shows_the_whole_fact_check(client, editor, publisher, published):
    response = get(client, published.get_absolute_url())
    text = body(response)
    verdict = published.verdict
    for expected in (
        published.text, "Budi Santoso, juru bicara", "RIAU24.COM", published.article.url, "Korut dan Rusia",
        verdict.headline, verdict.summary, verdict.rationale, "Keliru", "--rating-colour: #cf222e",
        "Laporan intelijen", "Lembaga Contoh", "Angka sebenarnya jauh lebih kecil.", "Refutes", "Context",
        "https://data.example/report", "Sept. 14, 2023",
    ):
        assert expected in text, expected
    assert f'<link rel="canonical" href="https://factcheck.example{published.get_absolute_url()}">' in text
    assert '<meta property="og:title" content="Klaim satu juta peluru tidak benar">' in text
    assert '<meta property="og:type" content="article">' in text
    assert '<meta name="twitter:card" content="summary">' in text
    assert "Corrections" not in text


def test_a_correction_shows_in_the_log_and_updates_the_page(client, publisher, published):
    services.verdict_correct(claim=published, user=publisher, rating=Rating.objects.get(label_id="Menyesatkan"),
                             summary="Sebagian data benar.", note="Data baru dari Kementerian Pertahanan.")
    published.refresh_from_db()
    text = body(get(client, published.get_absolute_url()))
    assert "Corrections" in text and "Data baru dari Kementerian Pertahanan." in text
    assert "Rating changed from Keliru to Menyesatkan; summary changed." in text
    assert "Before this correction" in text and "Data menunjukkan sebaliknya." in text
    assert "Updated" in text


def test_related_fact_checks_share_a_topic_or_an_entity_and_are_published(
    client, editor, publisher, published, unpublished,
):
    same_topic = publish(make_claim(text="Rusia membeli peluru.", entity_names="", topics=("ammunition",)),
                         editor, publisher, headline="Pembelian peluru")
    same_entity = publish(make_claim(text="Korut menguji rudal.", entity_names="North Korea", topics=()),
                          editor, publisher, headline="Uji rudal")
    unrelated = publish(make_claim(text="Harga beras naik.", entity_names="Bulog", topics=("economy-inflation",)),
                        editor, publisher, headline="Harga beras")
    response = get(client, published.get_absolute_url())
    assert set(response.context["related"]) == {same_topic, same_entity}
    assert unrelated.verdict.headline not in body(response)


def test_a_wrong_slug_redirects_permanently_to_the_canonical_address(client, published):
    response = client.get(reverse("claims:detail", args=[published.pk, "something-else"]))
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()
    assert published.slug == "klaim-satu-juta-peluru-tidak-benar"


def test_missing_and_unpublished_claims_are_not_found(client, editor, published):
    get(client, reverse("claims:detail", args=[published.pk + 1000, "x"]), 404)
    drafted = draft(make_claim(), editor)
    get(client, reverse("claims:detail", args=[drafted.pk, drafted.slug]), 404)
    get(client, reverse("claims:topic", args=["no-such-topic"]), 404)


def test_markup_in_claims_and_articles_is_escaped(client, editor, publisher):
    evil = "Korut <script>alert(1)</script> </script><b>bold</b> & peluru"
    claim = publish(make_claim(text=evil, speaker="<img src=x onerror=alert(2)>", title="<i>T</i>"),
                    editor, publisher, headline="<svg onload=alert(3)>", summary="<script>alert(4)</script>")
    for url in (claim.get_absolute_url(), "/", reverse("claims:list") + "?q=Korut", reverse("claims:topic", args=["ammunition"])):
        text = body(get(client, url))
        assert "<script>alert" not in text, url
        assert "<img src=x" not in text and "<svg onload" not in text and "<b>bold" not in text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url


def test_anonymous_pages_are_publicly_cacheable_and_set_no_cookies(client, settings, published):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 120
    for url in ("/", reverse("claims:list") + "?q=peluru", published.get_absolute_url(),
                reverse("claims:topic", args=["ammunition"]), reverse("claims:about"),
                reverse("claims:feed-rss"), "/sitemap.xml", "/robots.txt"):
        response = get(client, url)
        assert "public" in response["Cache-Control"] and "max-age=120" in response["Cache-Control"], url
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in body(response), url


def test_a_cached_page_changes_once_a_verdict_is_published(client, settings, editor, publisher, published,
                                                         django_capture_on_commit_callbacks):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 120
    assert "Another headline" not in body(get(client, "/"))
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim(text="Klaim lain."), editor, publisher, headline="Another headline")
    assert "Another headline" in body(get(client, "/"))


def _published_many(editor, publisher, n: int) -> list[Claim]:
    return [
        publish(make_claim(text=f"Klaim {i} tentang peluru.", topics=("ammunition", "arms-deals")),
                editor, publisher, headline=f"Hasil {i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("page", ["list", "detail", "home", "topic"])
def test_pages_run_the_same_number_of_queries_for_1_and_30_claims(client, editor, publisher, page):
    """A fixed number of queries, however many claims there are (a claim page is measured
    with one related fact-check and with thirty, of which it shows five)."""
    counts = []
    claims = []
    for n in ((2, 28) if page == "detail" else (1, 29)):
        claims += _published_many(editor, publisher, n)
        services.verdict_correct(claim=claims[-1], user=publisher, summary="Dikoreksi.", note="Catatan.",
                                 rating=Rating.objects.get(label_id="Menyesatkan"))
        url = {
            "list": reverse("claims:list") + "?q=peluru&topic=ammunition",
            "detail": claims[0].get_absolute_url(),
            "home": "/",
            "topic": reverse("claims:topic", args=["ammunition"]),
        }[page]
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # One query each for the published translations (of the page's claim, and of the cards).
    # A search and a claim page also look the claim up among the fact-checks (claims.matching):
    # its index reads the rows changed since it last looked (2 queries; tests let it look
    # every time).
    assert counts[0] <= {"list": 10, "detail": 11, "home": 6, "topic": 6}[page], counts


def test_the_language_switch_sets_the_cookie_and_goes_back(client, published):
    response = client.get(reverse("claims:language", args=["id"]) + "?next=/claims/%3Fq%3Dpeluru")
    assert response.status_code == 302
    assert response["Location"] == "/claims/?q=peluru"
    assert response.cookies["django_language"].value == "id"
    text = body(get(client, "/claims/?q=peluru"))
    assert '<html lang="id">' in text
    assert "Cari cek fakta" in text
    assert "14 Sep. 2023" in body(get(client, published.get_absolute_url()))


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_language_switch_refuses_to_send_readers_elsewhere(client, next_url):
    response = client.get(reverse("claims:language", args=["en"]), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_language_switch_only_knows_the_site_languages(client):
    response = client.get(reverse("claims:language", args=["xx"]) + "?next=/")
    assert response.status_code == 404
    assert "django_language" not in response.cookies


def test_the_language_switch_is_a_link_not_a_form(client, published):
    text = body(get(client, published.get_absolute_url()))
    assert f'href="/language/id/?next={published.get_absolute_url()}"' in text
    list_page = body(get(client, reverse("claims:list") + "?q=a&topic=ammunition"))
    assert 'href="/language/id/?next=/claims/%3Fq%3Da%26topic%3Dammunition"' in list_page
    assert 'method="post"' not in text.lower()


def test_the_about_page_shows_the_rating_scale(client):
    text = body(get(client, reverse("claims:about")))
    for label in ("True", "Mostly true", "Unproven", "Misleading", "False"):
        assert f"{label}</span>" in text
    client.cookies["django_language"] = "id"
    text = body(get(client, reverse("claims:about")))
    for label in ("Benar", "Sebagian benar", "Tidak terbukti", "Menyesatkan", "Keliru"):
        assert f"{label}</span>" in text


def test_robots_txt_allows_the_site_and_points_at_the_sitemap(client):
    response = get(client, "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = body(response).splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /api/" in lines and "Allow: /" in lines
    assert "Sitemap: https://factcheck.example/sitemap.xml" in lines


class _Structure(HTMLParser):
    """What an accessibility check needs: landmarks, headings, fields and their labels."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.fields: list[str | None] = []
        self.labels: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.fields.append(attrs.get("id"))
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "a":
            self.links.append(attrs.get("href", ""))


@pytest.mark.parametrize("url_name", ["home", "list", "detail", "topic", "about"])
def test_pages_have_landmarks_a_skip_link_ordered_headings_and_labelled_fields(client, published, url_name):
    url = {"detail": published.get_absolute_url(),
           "topic": reverse("claims:topic", args=["ammunition"])}.get(url_name) or reverse(f"claims:{url_name}")
    page = _Structure()
    page.feed(body(get(client, url)))
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags, landmark
    assert page.links[0] == "#main"
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(page.headings)), page.headings
    assert page.fields and all(field in page.labels for field in page.fields), page.fields


def test_pages_need_no_javascript(client, published):
    for url in ("/", reverse("claims:list"), published.get_absolute_url(), reverse("claims:about")):
        text = body(get(client, url))
        scripts = text.count("<script")
        assert scripts == (1 if url == published.get_absolute_url() else 0), url
        assert " onclick=" not in text and " onchange=" not in text


def test_unpublished_statuses_are_really_unpublished(unpublished):
    assert sorted(c.status for c in Claim.objects.filter(pk__in=[c.pk for c in unpublished])) == sorted([
        ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED, ClaimStatus.DISMISSED])


def test_an_unknown_address_gets_the_sites_own_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'href="/claims/"' in html
    api = client.get("/api/v1/no-such-endpoint/")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
