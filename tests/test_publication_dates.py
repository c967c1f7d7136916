"""A claim's date is when its article was published, as the article or its sender says:
never the day it was imported. The date reaches ClaimReview's itemReviewed, or is left out."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.dates import date_line_parse, html_published
from claims.models import Article
from tests.test_claimreview import claim_review_of
from tests.test_public_pages import _no_public_cache, publish  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

BODY_ID = ("Menteri Keuangan mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, naik 20 persen "
           "dibanding tahun sebelumnya.")
BODY_EN = "The finance minister said the defence budget rose 20 percent to 165 trillion rupiah in 2025."


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """`manage.py import_articles`, its jobs run as their transactions commit."""
    def go(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_articles", *map(str, args), "--no-progress", stdout=out, stderr=StringIO())
        return out.getvalue()
    return go


def item_reviewed(client, editor, publisher, article: Article) -> dict:
    claim = publish(article.claims.order_by("start").first(), editor, publisher, headline="Dicek")
    return claim_review_of(client, claim)["itemReviewed"]


def page(head: str) -> str:
    return (f"<html><head><title>Anggaran pertahanan</title>{head}</head><body><article>"
            f"<p>{BODY_ID}</p><p>Kenaikan itu terjadi pada Selasa (21/10/2025), kata pejabat.</p>"
            "</article></body></html>")


def test_an_html_files_publication_metadata_is_the_claims_date(
    run, tmp_path: Path, client, editor, publisher
):
    (tmp_path / "a.html").write_text(page(
        '<meta property="article:published_time" content="2025-10-20T14:30:00+07:00">'
        '<meta property="article:modified_time" content="2025-11-02T09:00:00+07:00">'), encoding="utf-8")
    run(tmp_path / "a.html")
    article = Article.objects.get()
    assert timezone.localtime(article.published_at) == datetime.fromisoformat("2025-10-20T14:30:00+07:00")
    item = item_reviewed(client, editor, publisher, article)
    assert item["datePublished"] == "2025-10-20"
    assert item["appearance"][0]["datePublished"] == "2025-10-20"


def test_the_published_option_dates_every_file_of_the_run(
    run, tmp_path: Path, client, editor, publisher
):
    (tmp_path / "a.txt").write_text(f"Anggaran pertahanan\n\n{BODY_ID}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Defence budget\n\n{BODY_EN}", encoding="utf-8")
    output = run(tmp_path, "--published", "2025-10-20", "--outlet", "Tempo")
    assert "2 imported" in output
    assert {timezone.localtime(a.published_at).date() for a in Article.objects.all()} == {date(2025, 10, 20)}
    item = item_reviewed(client, editor, publisher, Article.objects.get(source_name="a.txt"))
    assert item["datePublished"] == "2025-10-20"
    assert item["appearance"][0]["publisher"] == {"@type": "Organization", "name": "Tempo"}


def test_a_published_option_that_is_not_a_date_stops_the_run(
    run, tmp_path: Path
):
    (tmp_path / "a.txt").write_text(f"Anggaran pertahanan\n\n{BODY_ID}", encoding="utf-8")
    with pytest.raises(CommandError, match="published"):
        run(tmp_path, "--published", "kemarin")
    assert Article.objects.count() == 0


@pytest.mark.parametrize("line, body, expected", [
    ("Senin, 20 Okt 2025 14:30 WIB", BODY_ID, "2025-10-20T14:30:00+07:00"),
    ("Diterbitkan: Rabu, 15 Oktober 2025 | 08.30 WITA", BODY_ID, "2025-10-15T08:30:00+08:00"),
    ("Published: Monday 20 October 2025, 14:30 GMT", BODY_EN, "2025-10-20T14:30:00+00:00"),
    ("October 20, 2025", BODY_EN, "2025-10-20T00:00:00+07:00"),
])
def test_a_date_line_in_a_text_file_is_its_date_and_not_part_of_its_story(
    run, tmp_path: Path, client, editor, publisher, line, body, expected
):
    (tmp_path / "a.txt").write_text(f"Judul\n\n{line}\n\n{body}", encoding="utf-8")
    run(tmp_path / "a.txt")
    article = Article.objects.get()
    assert line not in article.body and article.body == body
    assert article.published_at == datetime.fromisoformat(expected)
    assert article.claims.count() >= 1 and not article.claims.filter(text__contains=line[:6]).exists()
    item = item_reviewed(client, editor, publisher, article)
    assert item["datePublished"] == timezone.localtime(datetime.fromisoformat(expected)).date().isoformat()


def test_an_article_without_a_date_has_none_not_the_day_it_was_imported(
    run, tmp_path: Path, client, editor, publisher
):
    (tmp_path / "a.txt").write_text(
        f"Anggaran pertahanan\n\n{BODY_ID} Pernyataan itu disampaikan Selasa (21/10/2025).", encoding="utf-8")
    (tmp_path / "b.html").write_text(page(""), encoding="utf-8")
    run(tmp_path)
    for article in Article.objects.all():
        assert article.published_at is None
        item = item_reviewed(client, editor, publisher, article)
        assert "datePublished" not in item
        assert "datePublished" not in item["appearance"][0]


@pytest.mark.parametrize("line, expected", [
    ("Senin, 20 Okt 2025 14:30 WIB", "2025-10-20T14:30:00+07:00"),
    ("Jumat, 24/10/2025 07:05 WIB", "2025-10-24T07:05:00+07:00"),
    ("Kamis, 16 Oktober 2025", "2025-10-16T00:00:00"),
    ("20 Agu 2025 pukul 19.45 WIT", "2025-08-20T19:45:00+09:00"),
    ("Tuesday, 21 October 2025 2:30 pm BST", "2025-10-21T14:30:00+01:00"),
    ("Oct. 21, 2025", "2025-10-21T00:00:00"),
    ("Published on 2025-10-21", "2025-10-21T00:00:00"),
    ("25/10/2025", "2025-10-25T00:00:00"),
])
def test_date_lines_that_are_read(line, expected):
    assert date_line_parse(line) == datetime.fromisoformat(expected)


@pytest.mark.parametrize("line", [
    "Selasa (21/10/2025), Presiden berkata inflasi 2 persen.",  # a date in the story
    "Jakarta, 20 Oktober 2025",          # a dateline with a place: not only a date
    "05/10/2025",                        # 5 October or May 10?
    "Selasa, 20 Okt 2025 14:30 WIB",     # 20 October 2025 was a Monday
    "31 Februari 2025",
    "Updated: 20 October 2025",
    "Senin, 20 Okt 2025 25:30 WIB",
    "1 January 2999",                    # not yet
    "Inflasi Maret 2025",
    "",
])
def test_lines_that_are_not_a_publication_date_are_not_read_as_one(line):
    assert date_line_parse(line) is None


def test_only_publication_metadata_dates_an_html_page_never_a_date_in_its_text():
    assert html_published(page("")) is None
    assert html_published(page('<meta property="article:modified_time" content="2025-11-02">')) is None
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
          '{"@type": "WebSite", "name": "x"}, {"@type": "NewsArticle", "datePublished": "2025-10-20T07:30:00Z",'
          ' "dateModified": "2025-11-01T00:00:00Z"}]}</script>')
    assert html_published(page(ld)) == datetime.fromisoformat("2025-10-20T07:30:00+00:00")
    detik = '<meta name="publishdate" content="2025/10/20 14:30:00">'
    assert html_published(page(detik)) == datetime(2025, 10, 20, 14, 30)
    assert html_published(page('<meta property="article:published_time" content="soon">')) is None
    assert html_published("<<<not html") is None


def test_the_desk_and_the_public_page_show_when_the_article_was_published(
    run, tmp_path: Path, client, editor, publisher
):
    from django.urls import reverse

    (tmp_path / "a.txt").write_text(f"Anggaran pertahanan\n\nSenin, 20 Okt 2025 14:30 WIB\n\n{BODY_ID}",
                                    encoding="utf-8")
    run(tmp_path / "a.txt")
    claim = Article.objects.get().claims.order_by("start").first()
    client.force_login(editor)
    desk = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert '<time datetime="2025-10-20T14:30:00+07:00">' in desk
    client.logout()
    claim = publish(claim, editor, publisher, headline="Dicek")
    public = client.get(claim.get_absolute_url()).content.decode()
    assert '<time datetime="2025-10-20T14:30:00+07:00">' in public


def test_importing_a_dated_file_again_dates_an_article_stored_without_one(run, tmp_path: Path):
    (tmp_path / "a.txt").write_text(f"Anggaran pertahanan\n\n{BODY_ID}", encoding="utf-8")
    assert "no publication date" in run(tmp_path / "a.txt")
    assert "already there" in run(tmp_path / "a.txt", "--published", "2025-10-20")
    assert timezone.localtime(Article.objects.get().published_at).date() == date(2025, 10, 20)
    run(tmp_path / "a.txt", "--published", "2025-10-01")  # a date once set stays
    assert timezone.localtime(Article.objects.get().published_at).date() == date(2025, 10, 20)
