"""The editors' back office, first version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import nlp, services
from claims.choices import JobStatus
from claims.models import Article, Claim, ExtractionJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_it_shows_the_seed_articles_claims_best_first(desk, submit_seed):
    article = submit_seed().article
    page = desk.get(reverse("admin:claims_claim_changelist") + "?folded=all")
    assert page.status_code == 200
    shown = [c.pk for c in page.context["cl"].result_list]
    expected = list(Claim.objects.order_by("-score", "created_at", "id").values_list("pk", flat=True))[:50]
    assert shown == expected
    # By default the article shows its best three above the cut and folds the rest.
    page = desk.get(reverse("admin:claims_claim_changelist"))
    shown = page.context["cl"].result_list
    assert len(shown) == 3 and all(c.score >= 0.5 for c in shown)
    assert f"{article.claims.count() - 3} more from this article" in page.content.decode()
    page = desk.get(reverse("admin:claims_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert "Succeeded" in page.content.decode()


def test_claim_filters_work(desk, submit_seed):
    submit_seed()
    url = reverse("admin:claims_claim_changelist")
    for query in ("status__exact=new", "language=id", "claim_type__exact=event"):
        assert desk.get(f"{url}?{query}").status_code == 200


def test_a_claim_page_has_sources_and_verdict_forms(desk, submit_seed):
    claim = submit_seed().article.claims.first()
    page = desk.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="sources-TOTAL_FORMS"' in body
    assert 'name="verdict-TOTAL_FORMS"' in body


def test_the_queue_shows_a_speaker_known_only_by_role(desk):
    from tests.test_public_pages import make_claim

    claim = make_claim(speaker="", speaker_role="Home Office minister", text="Searches will rise 20%.")
    make_claim(speaker="Hazel Blears", speaker_role="minister", text="Searches rose 10%.")
    page = desk.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "Home Office minister" in page
    assert 'Hazel Blears <span class="fc-role">(minister)</span>' in page
    found = desk.get(reverse("admin:claims_claim_changelist"), {"q": "Home Office"})
    assert [c.pk for c in found.context["cl"].result_list] == [claim.pk]
    detail = desk.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "—, Home Office minister" not in detail and "Home Office minister" in detail


def test_outsiders_are_kept_out(client, outsider, submit_seed):
    submit_seed()
    client.force_login(outsider)
    page = client.get(reverse("admin:claims_claim_changelist"))
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_article_text_with_markup_is_shown_as_text(desk, django_capture_on_commit_callbacks):
    body = ('Menteri <script>alert("x")</script> mengatakan anggaran naik 20 persen '
            'pada 2025. <img src=x onerror=alert(1)> Harga beras naik 12 persen.')
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_submit(title="<b>Judul</b>", body=body).article
    pages = [
        desk.get(reverse("admin:claims_article_change", args=[article.pk])),
        desk.get(reverse("admin:claims_article_changelist")),
        desk.get(reverse("admin:claims_claim_changelist")),
    ]
    pages += [desk.get(reverse("admin:claims_claim_change", args=[c.pk])) for c in article.claims.all()]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>Judul</b>" not in html


def test_failed_jobs_can_be_retried_from_the_admin(desk, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(nlp, "extract", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.article_submit(title="T", body="Inflasi naik 3 persen pada 2025.").job
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    monkeypatch.undo()

    page = desk.get(reverse("admin:claims_extractionjob_changelist") + "?status__exact=failed")
    assert "boom" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("admin:claims_extractionjob_changelist"),
                  {"action": "retry", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_reextract_action_queues_a_new_job(desk, submit_seed, django_capture_on_commit_callbacks):
    article = submit_seed().article
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("admin:claims_article_changelist"),
                  {"action": "reextract", "_selected_action": [article.pk]})
    assert ExtractionJob.objects.filter(article=article, status=JobStatus.SUCCEEDED).count() == 2


def _claims_of_many_articles(n_articles: int, per_article: int = 10) -> None:
    from claims.models import Topic

    topics = list(Topic.objects.all()[:2])
    offset = Article.objects.count()
    for i in range(offset, offset + n_articles):
        article = Article.objects.create(title=f"A{i}", body="x" * 200, content_hash=f"h{i}", outlet=f"O{i % 3}")
        claims = Claim.objects.bulk_create([
            Claim(article=article, text="x", start=j, end=j + 1, score=0.5, reasons=["number"])
            for j in range(per_article)
        ])
        Claim.topics.through.objects.bulk_create([
            Claim.topics.through(claim_id=c.pk, topic_id=t.pk) for c in claims for t in topics
        ])


def test_the_queue_runs_the_same_queries_for_20_and_2000_claims(desk):
    url = reverse("admin:claims_claim_changelist")
    _claims_of_many_articles(2)
    with CaptureQueriesContext(connection) as few:
        assert desk.get(url).status_code == 200
    _claims_of_many_articles(50, per_article=40)
    assert Claim.objects.count() == 2020
    with CaptureQueriesContext(connection) as many:
        assert desk.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_article_list_runs_the_same_queries_for_few_and_many_articles(desk):
    url = reverse("admin:claims_article_changelist")
    _claims_of_many_articles(2)
    with CaptureQueriesContext(connection) as few:
        desk.get(url)
    _claims_of_many_articles(30)
    with CaptureQueriesContext(connection) as many:
        desk.get(url)
    assert len(many) == len(few)
