"""The queue shows each article's few claims worth an editor's time; the rest are folded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import ClaimStatus, SpeakerKind
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db
QUEUE = "admin:claims_claim_changelist"


def article_with(n: int, *, title: str = "Anggaran", scores=None) -> Article:
    """An article of ``n`` open claims, scored 0.99, 0.98, ... unless ``scores`` are given."""
    body = " ".join(f"Kalimat {i}." for i in range(n))
    article = Article.objects.create(title=title, body=body, content_hash=f"h-{title}")
    for i in range(n):
        text = f"Kalimat {i}."
        start = body.index(text)
        score = scores[i] if scores else round(0.99 - i * 0.01, 2)
        Claim.objects.create(article=article, text=text, start=start, end=start + len(text), score=score)
    return article


def queue(client, query: str = ""):
    page = client.get(reverse(QUEUE) + query)
    assert page.status_code == 200
    return page, [c.text for c in page.context["cl"].result_list]


def test_an_article_of_twenty_claims_shows_three_and_folds_seventeen(client, editor):
    article = article_with(20)
    client.force_login(editor)
    page, shown = queue(client)
    assert shown == ["Kalimat 0.", "Kalimat 1.", "Kalimat 2."]
    html = page.content.decode()
    assert "17 more from this article" in html
    assert f"?article={article.pk}&amp;folded=all" in html


def test_the_more_link_shows_all_of_the_articles_open_claims(client, editor):
    article = article_with(20)
    article_with(5, title="Lain")
    client.force_login(editor)
    page = client.get(reverse(QUEUE) + f"?article={article.pk}&folded=all")
    rows = page.context["cl"].result_list
    assert len(rows) == 20
    assert {c.article_id for c in rows} == {article.pk}
    assert "more from this article" not in page.content.decode()


def test_each_article_gets_its_own_three(client, editor):
    article_with(6, title="Satu")
    article_with(6, title="Dua")
    client.force_login(editor)
    page, shown = queue(client)
    assert len(shown) == 6
    assert page.content.decode().count("3 more from this article") == 2


def test_a_claim_below_the_cut_never_shows_by_default(client, editor):
    article_with(3, scores=[0.9, 0.49, 0.2])
    client.force_login(editor)
    page, shown = queue(client)
    assert shown == ["Kalimat 0."]
    assert "2 more from this article" in page.content.decode()
    _, everything = queue(client, "?folded=all")
    assert everything == ["Kalimat 0.", "Kalimat 1.", "Kalimat 2."]


def test_an_article_with_nothing_above_the_cut_is_not_in_the_queue(client, editor):
    article_with(4, scores=[0.4, 0.3, 0.2, 0.1])
    client.force_login(editor)
    _, shown = queue(client)
    assert shown == []


def test_an_attributed_claim_ranks_before_narration_with_a_similar_score(client, editor):
    article = article_with(4, scores=[0.86, 0.85, 0.84, 0.80])
    Claim.objects.filter(article=article, text="Kalimat 3.").update(
        speaker="Sri Mulyani", speaker_role="Menteri Keuangan", speaker_kind=SpeakerKind.PERSON)
    client.force_login(editor)
    _, shown = queue(client)
    assert "Kalimat 3." in shown
    assert "Kalimat 2." not in shown
    stored = Claim.objects.get(article=article, text="Kalimat 3.")
    assert stored.score == pytest.approx(0.80)  # the bonus orders, it never rewrites a score


def test_a_much_better_narration_still_beats_an_attributed_claim(client, editor):
    article = article_with(4, scores=[0.95, 0.93, 0.91, 0.55])
    Claim.objects.filter(article=article, text="Kalimat 3.").update(
        speaker="Sri Mulyani", speaker_kind=SpeakerKind.PERSON)
    client.force_login(editor)
    _, shown = queue(client)
    assert shown == ["Kalimat 0.", "Kalimat 1.", "Kalimat 2."]


def test_claims_not_open_are_neither_shown_nor_counted(client, editor):
    article = article_with(5)
    Claim.objects.filter(article=article, text="Kalimat 0.").update(status=ClaimStatus.DISMISSED)
    client.force_login(editor)
    page, shown = queue(client)
    assert shown == ["Kalimat 1.", "Kalimat 2.", "Kalimat 3."]
    assert "1 more from this article" in page.content.decode()


def test_the_settings_change_the_cut_and_the_number_shown(client, editor, settings):
    article_with(10, scores=[0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45])
    settings.FACTCHECK_QUEUE_PER_ARTICLE = 5
    settings.FACTCHECK_QUEUE_CUT = 0.8
    client.force_login(editor)
    page, shown = queue(client)
    assert shown == ["Kalimat 0.", "Kalimat 1.", "Kalimat 2."]
    assert "7 more from this article" in page.content.decode()
    settings.FACTCHECK_QUEUE_CUT = 0.0
    page, shown = queue(client)
    assert len(shown) == 5
    assert "5 more from this article" in page.content.decode()


def test_the_queue_reads_the_same_number_of_queries_for_more_articles(client, editor):
    client.force_login(editor)
    for i in range(2):
        article_with(20, title=f"A{i}")
    with CaptureQueriesContext(connection) as few:
        queue(client)
    for i in range(2, 12):
        article_with(20, title=f"A{i}")
    with CaptureQueriesContext(connection) as many:
        _, shown = queue(client)
    assert len(shown) == 36
    assert len(many) == len(few)


def test_a_search_ones_own_claims_or_a_score_band_show_folded_claims_too(client, editor):
    article = article_with(6, scores=[0.9, 0.8, 0.7, 0.6, 0.3, 0.2])
    Claim.objects.filter(article=article, text="Kalimat 5.").update(assignee=editor, status=ClaimStatus.IN_REVIEW)
    client.force_login(editor)
    assert queue(client, "?q=Kalimat+4")[1] == ["Kalimat 4."]
    assert queue(client, "?assignee=mine")[1] == ["Kalimat 5."]
    assert queue(client, "?score=low")[1] == ["Kalimat 4.", "Kalimat 5."]


def test_an_action_on_ticked_rows_reaches_them_though_the_ranking_changed(client, editor):
    article = article_with(5)
    fourth = Claim.objects.get(article=article, text="Kalimat 3.")
    client.force_login(editor)
    client.post(reverse(QUEUE), {"action": "dismiss", "reason": "opinion", "_selected_action": [fourth.pk]})
    fourth.refresh_from_db()
    assert fourth.status == ClaimStatus.DISMISSED


def test_an_indonesian_desk_reads_the_fold_in_indonesian(client, editor):
    article_with(20)
    client.force_login(editor)
    html = client.get(reverse(QUEUE), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "17 lagi dari artikel ini" in html
    assert "Semua klaim" in html
