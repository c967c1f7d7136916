"""Claim matching: "already checked?" answered before anyone starts work."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Q

from claims import matching, services
from claims.choices import ClaimStatus, LinkState
from claims.claimreview import claimreviews_read
from claims.models import Claim, FactCheck, MatchLink
from claims.nlp.matching import Matcher, terms


def test_terms_fold_accents_numbers_and_stop_words():
    assert terms("Pemerintah membeli 1.000.000 butir amunisi, kata Menteri") == [
        "pemerintah", "membeli", "1000000", "butir", "amunisi", "menteri"]
    assert terms("Ia mengatakan bahwa inflasi 2,5 persen") == ["mengatakan", "inflasi", "2.5", "persen"]
    assert terms("Inflation hit 2,5% in São Paulo") == ["inflation", "hit", "2.5", "sao", "paulo"]


def test_words_alone_rank_the_claim_with_the_same_names_and_numbers_first():
    matcher = Matcher()
    matcher.add(["Korea Utara mengirim 1 juta peluru artileri ke Rusia",
                 "Harga beras naik 20 persen",
                 "Korea Selatan membeli 12 jet tempur"])
    hits = matcher.search("Benarkah Korea Utara kirim 1 juta peluru ke Rusia?", k=2)
    assert [h.position for h in hits][0] == 0
    assert hits[0].score > hits[1].score


def test_words_score_each_document_by_bm25_share_and_never_return_a_removed_one():
    import math

    texts = ["Korea Utara mengirim 1 juta peluru ke Rusia", "Korea Utara menguji rudal",
             "Harga beras naik", "Korea Utara mengirim 1 juta peluru ke Rusia lagi", "Rusia membeli peluru"]
    matcher = Matcher()
    matcher.add(texts)
    query = "Korea Utara kirim 1 juta peluru ke Rusia"
    # BM25 (k1 1.2, b 0.75) divided by the sum of the query terms' idf, written out.
    docs = [terms(t) for t in texts]
    average = sum(map(len, docs)) / len(docs)
    ideal, expected = 0.0, [0.0] * len(docs)
    for word in set(terms(query)):
        held = sum(word in d for d in docs)
        idf = math.log(1 + (len(docs) - held + 0.5) / (held + 0.5))
        ideal += idf
        for i, d in enumerate(docs):
            if word in d:
                count = d.count(word)
                expected[i] += idf * count * 2.2 / (count + 1.2 * (0.25 + 0.75 * len(d) / average))
    hits = matcher.search(query, k=5)
    assert {h.position: h.score for h in hits} == pytest.approx(
        {i: e / ideal for i, e in enumerate(expected) if e})
    assert [h.position for h in hits][:2] == [0, 3]
    matcher.remove(0)
    assert 0 not in [h.position for h in matcher.search(query, k=5)]
    assert matcher.search(query, k=1)[0].position == 3
    # Equal scores: the earlier document first, every time.
    twins = Matcher()
    twins.add(["Harga beras naik", "Harga cabai turun", "Harga beras naik"])
    assert [h.position for h in twins.search("beras naik", k=2)] == [0, 2]


def test_vectors_find_a_paraphrase_the_words_miss():
    # A stand-in encoder: two texts about the same thing share a direction.
    topics = {"amunisi": 0, "ammunition": 0, "beras": 1, "rice": 1}

    def embed(texts):
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for i, text in enumerate(texts):
            for word, axis in topics.items():
                if word in text.lower():
                    out[i, axis] = 1
            out[i, 3] = 0.1
            out[i] /= np.linalg.norm(out[i])
        return out

    matcher = Matcher(embed=embed, dimensions=4)
    matcher.add(["Pemerintah membeli amunisi dari Korea Utara", "Harga beras naik"])
    hits = matcher.search("The government bought ammunition", k=1)
    assert hits[0].position == 0
    matcher.remove(0)
    assert [h.position for h in matcher.search("The government bought ammunition", k=2)] == [1]


def _factcheck(url: str, claim: str, rating: str = "Salah") -> FactCheck:
    node = {"@type": "ClaimReview", "url": url, "claimReviewed": claim, "datePublished": "2024-03-02",
            "author": {"name": "Tempo"}, "reviewRating": {"alternateName": rating}}
    items, _ = claimreviews_read(node)
    services.factchecks_store(items=items)
    return FactCheck.objects.get(url=url)


@pytest.fixture
def checked_elsewhere(db):
    return _factcheck("https://cekfakta.example/kim-putin",
                      "Pemimpin Korea Utara Kim Jong Un datang ke Rusia untuk bertemu Presiden Rusia Vladimir Putin")


@pytest.mark.django_db
def test_a_new_claim_that_was_checked_elsewhere_is_suggested_after_extraction(settings, checked_elsewhere, submit_seed):
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    submission = submit_seed()
    links = MatchLink.objects.filter(claim__article=submission.article, factcheck=checked_elsewhere)
    assert links.exists()
    link = links.first()
    assert link.state == LinkState.SUGGESTED and link.method in {"words", "vectors+words"}
    assert "Kim Jong Un" in link.claim.text


@pytest.mark.django_db
def test_matching_twice_suggests_nothing_twice_and_a_rejection_is_never_suggested_again(
        settings, checked_elsewhere, submit_seed, editor):
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    article = submit_seed().article
    ids = list(article.claims.values_list("pk", flat=True))
    before = MatchLink.objects.count()
    assert services.claim_matches_suggest(claim_ids=ids) == 0
    link = MatchLink.objects.first()
    services.link_decide(link=link, user=editor, state=LinkState.REJECTED)
    assert services.claim_matches_suggest(claim_ids=ids) == 0
    assert MatchLink.objects.count() == before
    assert MatchLink.objects.get(pk=link.pk).state == LinkState.REJECTED


@pytest.mark.django_db
def test_a_confirmed_match_closes_the_claim_as_already_checked(settings, checked_elsewhere, submit_seed, editor,
                                                              outsider):
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    submit_seed()
    link = MatchLink.objects.filter(factcheck=checked_elsewhere).first()
    with pytest.raises(PermissionDenied):
        services.link_decide(link=link, user=outsider, state=LinkState.CONFIRMED)
    with pytest.raises(ValidationError):
        services.link_close_as_checked(link=link, user=editor)
    link = services.link_decide(link=link, user=editor, state=LinkState.CONFIRMED)
    assert (link.decided_by, link.state) == (editor, LinkState.CONFIRMED)
    claim = services.link_close_as_checked(link=link, user=editor)
    assert claim.status == ClaimStatus.DISMISSED
    assert claim.dismiss_reason.startswith("Already checked")


@pytest.mark.django_db
def test_after_an_encoder_upgrade_old_vectors_are_made_again_before_anything_is_compared(
        settings, checked_elsewhere, submit_seed):
    from claims.nlp import vectors

    if vectors.load_default() is None:
        pytest.skip("no encoder shipped")
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    article = submit_seed().article
    claim = MatchLink.objects.filter(claim__article=article, factcheck=checked_elsewhere).first().claim
    version = matching.encoder_version()
    checked_elsewhere.refresh_from_db()
    assert claim.vector_encoder == version and checked_elsewhere.vector_encoder == version
    assert MatchLink.objects.filter(claim=claim, factcheck=checked_elsewhere).exists()
    # A new encoder shipped: every stored vector is the old one's, in another space.
    Claim.objects.filter(article=article).update(vector_encoder="e5-older")
    FactCheck.objects.update(vector_encoder="e5-older")
    MatchLink.objects.all().delete()
    matching.indexes_reset()
    assert services.claim_matches_suggest(claim_ids=[claim.pk]) == 0  # never compared across two spaces
    call_command("match_claims", "--no-progress")
    claim.refresh_from_db()
    checked_elsewhere.refresh_from_db()
    assert claim.vector_encoder == version and checked_elsewhere.vector_encoder == version
    assert MatchLink.objects.filter(claim=claim, factcheck=checked_elsewhere).exists()


@pytest.mark.django_db
def test_a_fact_check_imported_later_is_found_by_the_next_search_in_the_same_process(settings, submit_seed):
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    article = submit_seed().article
    claim = article.claims.filter(text__contains="Kim Jong Un").first()
    assert matching.FACTCHECKS.search(claim.text) == []
    factcheck = _factcheck("https://cekfakta.example/baru", claim.text)
    found = matching.FACTCHECKS.search(claim.text)
    assert found and found[0][0] == ("factcheck", factcheck.pk)


@pytest.mark.django_db
def test_the_same_claim_in_another_article_is_suggested_but_not_within_one_article(
        settings, submit_seed, django_capture_on_commit_callbacks):
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    first = submit_seed().article
    claim = first.claims.filter(text__contains="Kim Jong Un").first()
    with django_capture_on_commit_callbacks(execute=True):
        other = services.article_submit(title="Lain", body=f"{claim.text} Hal itu dibantah keras oleh Kremlin.",
                                        outlet="Outlet Lain")
    other_claims = Claim.objects.filter(article=other.article)
    links = MatchLink.objects.filter(claim__in=other_claims, other__isnull=False)
    assert links.exists()
    assert all(link.other.article_id == first.pk for link in links)


@pytest.mark.django_db
def test_a_failure_in_matching_never_fails_the_extraction(monkeypatch, submit_seed):
    def broken(**kwargs):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(services.matching, "claim_matches_suggest", broken)
    submission = submit_seed()
    assert submission.job.status == "succeeded"
    assert submission.article.claims.exists()


DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "claim-matching-en"


def checkthat_files(tmp_path: Path) -> tuple[str, ...]:
    """Three fact-checks and two tweets in CheckThat! 2020 Task 2's format: --docs, --queries, --qrels."""
    docs = tmp_path / "docs.tsv"
    docs.write_text("\tvclaim\ttitle\n0\tThe moon landing was faked\tMoon hoax\n"
                    "1\tVaccines contain microchips\tChips in vaccines?\n2\tRice prices rose 20%\tRice\n")
    queries = tmp_path / "q.tsv"
    queries.write_text("\ttweet_content\n10\tmicrochips in the covid vaccines!!\n11\tthe moon landing never happened\n")
    qrels = tmp_path / "qrels"
    qrels.write_text("10 0 1 1\n11 0 0 1\n")
    return "--docs", str(docs), "--queries", str(queries), "--qrels", str(qrels)


def test_evaluate_matching_prints_the_checkthat_measures(tmp_path, capsys):
    call_command("evaluate_matching", *checkthat_files(tmp_path))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "MAP@5 1.0000"
    assert any(line.startswith("MAP@1 ") for line in lines)
    assert any(line.startswith("success@10 ") for line in lines)


def test_evaluate_matching_says_how_the_suggestion_threshold_does_and_which_would_do_best(tmp_path, capsys):
    args = ("evaluate_matching", *checkthat_files(tmp_path), "--lexical-only")
    call_command(*args, "--threshold", "0.99")
    out = capsys.readouterr().out
    assert "at the threshold 0.99: F1 0.0000 (precision 0.0000, recall 0.0000)" in out
    best = re.search(r"best threshold (\S+): F1 (\S+) \(precision (\S+), recall (\S+)\)", out)
    assert float(best[2]) > 0.5 and float(best[4]) == 1.0  # both fact-checks found, at a lower threshold
    call_command(*args, "--threshold", best[1])
    assert f"at the threshold {best[1]}: F1 {best[2]}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--threshold must be between 0 and 1"):
        call_command(*args, "--threshold", "7")


@pytest.mark.django_db
def test_an_edited_wording_gets_a_new_vector(submit_seed, editor, django_capture_on_commit_callbacks):
    from claims.nlp import vectors

    if vectors.load_default() is None:
        pytest.skip("the matching encoder is not installed")
    claim = submit_seed().article.claims.filter(text__contains="Kim Jong Un").first()
    services.claims_vectorize(claim_ids=[claim.pk])
    claim.refresh_from_db()
    before = matching.vector_unpack(claim.vector)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_edit(claim=claim, user=editor, text="Harga beras naik dua puluh persen bulan ini.")
    claim.refresh_from_db()
    after = matching.vector_unpack(claim.vector)
    assert after is not None and float(before @ after) < 0.95


@pytest.mark.django_db
def test_the_queue_says_checked_by_whom_and_the_editor_confirms_and_closes_in_one_click(
        settings, client, checked_elsewhere, submit_seed, editor):
    from django.urls import reverse

    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    submit_seed()
    link = MatchLink.objects.filter(factcheck=checked_elsewhere).first()
    client.force_login(editor)
    queue = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "Checked by Tempo" in queue and checked_elsewhere.url in queue
    page = client.get(reverse("admin:claims_claim_change", args=[link.claim_id])).content.decode()
    assert "Already checked?" in page and "Confirm" in page
    confirm = reverse("admin:claims_claim_link", args=[link.claim_id, link.pk, "confirmed"])
    assert client.get(confirm).status_code == 405
    client.post(confirm)
    assert MatchLink.objects.get(pk=link.pk).state == LinkState.CONFIRMED
    client.post(reverse("admin:claims_claim_link", args=[link.claim_id, link.pk, "close"]))
    assert Claim.objects.get(pk=link.claim_id).status == ClaimStatus.DISMISSED


@pytest.mark.django_db
def test_someone_without_the_desk_permission_cannot_decide_a_match(
        settings, client, checked_elsewhere, submit_seed, staff_outsider):
    from django.urls import reverse

    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    submit_seed()
    link = MatchLink.objects.filter(factcheck=checked_elsewhere).first()
    client.force_login(staff_outsider)
    client.post(reverse("admin:claims_claim_link", args=[link.claim_id, link.pk, "rejected"]))
    assert MatchLink.objects.get(pk=link.pk).state == LinkState.SUGGESTED


@pytest.mark.django_db
def test_the_queue_reads_its_matches_in_one_query_however_many(
        settings, client, submit_seed, editor, django_assert_max_num_queries):
    from django.urls import reverse

    settings.FACTCHECK_MATCH_THRESHOLD = 0.0
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    submit_seed()
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        _factcheck(f"https://cekfakta.example/{n}", f"Kim Jong Un Putin Rusia Korea Utara {n}")
    services.claim_matches_suggest(claim_ids=list(Claim.objects.values_list("pk", flat=True)))
    assert MatchLink.objects.count() > 6
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_a_new_claim_repeating_our_fact_check_alerts_its_assignee_and_partners(
        settings, submit_seed, editor, publisher, django_capture_on_commit_callbacks):
    from claims.models import Notice, Partner, Rating, WebhookDelivery

    settings.FACTCHECK_MATCH_THRESHOLD = 0.5
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    Partner.objects.create(name="Kompas", webhook_url="https://hooks.example/fc", webhook_secret="s" * 32)
    original = submit_seed().article.claims.filter(text__contains="Kim Jong Un").first()
    services.claim_assign(claim=original, user=editor)
    services.source_add(claim=original, user=editor, url="https://example.org/a", title="Laporan")
    services.verdict_draft(claim=original, user=editor, rating=Rating.objects.order_by("value").first(),
                           headline="Benar: Kim ke Rusia", summary="Kunjungan itu terjadi.")
    services.verdict_publish(claim=original, user=publisher)
    with django_capture_on_commit_callbacks(execute=True):
        repeat = services.article_submit(title="Ulang", outlet="Outlet Lain",
                                         body=f"{original.text} Kunjungan itu disorot dunia internasional.")
    new = Claim.objects.filter(article=repeat.article)
    links = MatchLink.objects.filter(claim__in=new, other=original)
    assert links.exists()
    matched = set(links.values_list("claim_id", flat=True))
    notices = Notice.objects.filter(kind="matched")
    assert {n.claim_id for n in notices} == matched and {n.recipient for n in notices} == {editor}
    deliveries = WebhookDelivery.objects.filter(event="claim.matched")
    assert {d.payload["match"]["claim_id"] for d in deliveries} == matched
    assert all(d.claim_id == original.pk and d.payload["claim_review"]["@type"] == "ClaimReview" for d in deliveries)


def _published(text: str, editor, publisher, *, headline: str) -> Claim:
    from claims.models import Article, Rating

    n = Article.objects.count() + 1
    article = Article.objects.create(title=f"A{n}", body=text, content_hash=f"pub-{n}", outlet="Outlet", language="id")
    claim = Claim.objects.create(article=article, text=text, start=0, end=len(text), score=0.9, language="id")
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://example.org/src", title="Sumber")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.order_by("value").first(),
                           headline=headline, summary="Ringkasan.")
    services.verdict_publish(claim=claim, user=publisher)
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.django_db
def test_a_claim_page_lists_the_same_claim_checked_by_us_and_by_others(settings, client, editor, publisher):
    from claims.nlp import vectors

    if vectors.load_default() is None:
        pytest.skip("the matching encoder is not installed")
    shells = _published("Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023.", editor, publisher,
                        headline="Keliru: satu juta peluru")
    again = _published("Korut mengirim satu juta peluru artileri untuk Rusia tahun 2023.", editor, publisher,
                       headline="Keliru: peluru Korut")
    _published("Harga beras di Jakarta naik 20 persen dalam sebulan.", editor, publisher, headline="Benar: beras")
    theirs = _factcheck("https://cekfakta.example/peluru", "Korut kirim sejuta peluru artileri ke Rusia")
    page = client.get(shells.get_absolute_url()).content.decode()
    related = page[page.index('id="related-title"'):]
    assert again.verdict.headline in related and "Benar: beras" not in related.split('id="elsewhere-title"')[0]
    assert theirs.url in page and "Checked by other fact-checkers" in page


@pytest.mark.django_db
def test_the_public_search_finds_a_fact_check_from_the_other_language(client, editor, publisher):
    from claims.nlp import vectors

    if vectors.load_default() is None:
        pytest.skip("the matching encoder is not installed")
    shells = _published("Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023.", editor, publisher,
                        headline="Keliru: satu juta peluru")
    rice = _published("Harga beras di Jakarta naik 20 persen dalam sebulan.", editor, publisher, headline="Benar: beras")
    page = client.get("/claims/", {"q": "North Korea ammunition for Russia"}).content.decode()
    assert shells.verdict.headline in page and rice.verdict.headline not in page


@pytest.mark.django_db
def test_a_claim_repeated_across_outlets_is_one_story_ranked_higher_and_grouped(
        settings, client, submit_seed, editor, django_capture_on_commit_callbacks):
    from django.urls import reverse

    settings.FACTCHECK_MATCH_THRESHOLD = 0.5
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    first = submit_seed().article.claims.filter(text__contains="Kim Jong Un").first()
    for n, outlet in enumerate(("Kompas", "Tempo")):
        with django_capture_on_commit_callbacks(execute=True):
            services.article_submit(title=f"Ulang {n}", outlet=outlet,
                                    body=f"{first.text} Hal itu disorot media ke-{n} pekan ini.")
    first.refresh_from_db()
    assert first.cluster is not None
    story = Claim.objects.filter(cluster=first.cluster)
    assert story.values("article").distinct().count() == 3
    client.force_login(editor)
    queue = client.get(reverse("admin:claims_claim_changelist") + "?folded=all").content.decode()
    assert "Also in 2 other articles by 3 outlets since" in queue
    grouped = client.get(reverse("admin:claims_claim_changelist") + "?folded=all&story=grouped").content.decode()
    # Every claim of the story is in the full queue; grouped, each story has one line.
    stories = Claim.objects.filter(cluster__isnull=False).values("cluster").distinct().count()
    assert grouped.count('class="fc-story"') == stories < queue.count('class="fc-story"')
    page = client.get(reverse("admin:claims_claim_change", args=[first.pk])).content.decode()
    assert "Where else it appeared" in page and "Kompas" in page and "Tempo" in page
    # An editor who says a claim is not the same as any of the others takes it out of the story.
    tempo = Claim.objects.get(cluster=first.cluster, article__outlet="Tempo", text__contains="Kim Jong Un")
    for link in MatchLink.objects.filter(Q(claim=tempo) | Q(other=tempo), other__isnull=False):
        services.link_decide(link=link, user=editor, state=LinkState.REJECTED)
    tempo.refresh_from_db()
    first.refresh_from_db()
    assert tempo.cluster != first.cluster


def _rows_updated(run) -> int:  # noqa: ANN001 - a callable
    """Claim rows that ``run()`` wrote (UPDATE statements' row counts)."""
    from django.db import connection

    written = []

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("UPDATE") and "claims_claim" in sql:
            written.append(context["cursor"].rowcount)
        return result

    with connection.execute_wrapper(count):
        run()
    return sum(written)


@pytest.mark.django_db
def test_another_articles_claim_must_reach_the_claim_threshold_a_fact_check_only_its_own(
        settings, checked_elsewhere, submit_seed, django_capture_on_commit_callbacks):
    # Two claims are both read as queries and score higher against each other than a claim
    # against a fact-check: at the fact-checks' threshold almost every claim pair was wrong.
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_CLAIM_THRESHOLD = 1.01  # no claim pair can reach it
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    first = submit_seed().article.claims.filter(text__contains="Kim Jong Un").first()
    with django_capture_on_commit_callbacks(execute=True):
        copy = services.article_submit(title="Ulang", outlet="Kompas", body=f"{first.text} Hal itu disorot media.")
    copied = Claim.objects.filter(article=copy.article)
    assert MatchLink.objects.filter(claim__in=copied, factcheck=checked_elsewhere).exists()
    assert not MatchLink.objects.filter(claim__in=copied, other__isnull=False).exists()
    assert not Claim.objects.filter(cluster__isnull=False).exists()
    settings.FACTCHECK_MATCH_CLAIM_THRESHOLD = 0.78
    services.claim_matches_suggest(claim_ids=copied.values_list("pk", flat=True))
    assert MatchLink.objects.filter(claim__in=copied, other=first).exists()
    first.refresh_from_db()
    assert first.cluster is not None


@pytest.mark.django_db
def test_match_claims_removes_weak_claim_suggestions_and_splits_their_stories(settings, submit_seed, editor, capsys):
    settings.FACTCHECK_MATCH_CLAIM_THRESHOLD = 0.78
    one, two, three, four = list(submit_seed().article.claims.order_by("pk"))[:4]
    weak = MatchLink.objects.create(claim=one, other=two, score=0.5, method="vectors+words")
    strong = MatchLink.objects.create(claim=one, other=three, score=0.9, method="vectors+words")
    decided = MatchLink.objects.create(claim=four, other=two, score=0.5, method="vectors+words")
    services.link_decide(link=decided, user=editor, state=LinkState.CONFIRMED)
    Claim.objects.filter(pk__in=[one.pk, two.pk, three.pk, four.pk]).update(cluster=one.pk)
    call_command("match_claims", "--no-progress")
    assert "1 suggested links between claims scoring under FACTCHECK_MATCH_CLAIM_THRESHOLD" in capsys.readouterr().out
    assert not MatchLink.objects.filter(pk=weak.pk).exists()
    assert MatchLink.objects.filter(pk__in=[strong.pk, decided.pk]).count() == 2
    clusters = dict(Claim.objects.filter(pk__in=[one.pk, two.pk, three.pk, four.pk]).values_list("pk", "cluster"))
    assert clusters[one.pk] == clusters[three.pk] != clusters[two.pk] == clusters[four.pk]


@pytest.mark.django_db
def test_a_copy_joining_a_big_story_writes_its_own_row_not_the_storys(submit_seed):
    # A wire story republished by many outlets is one big story; each worker that extracts
    # a new copy joins it. Rewriting the whole story each time made the workers queue
    # behind each other's row locks (seen with 2 workers watching 1,000 feeds).
    from claims.services.matching import clusters_join

    claims = list(submit_seed().article.claims.order_by("pk"))
    assert len(claims) >= 6
    story, lone, other_story = claims[:4], claims[4], claims[5:]
    Claim.objects.filter(pk__in=[c.pk for c in story]).update(cluster=story[0].pk)
    assert _rows_updated(lambda: clusters_join(pairs=[(lone.pk, story[2].pk)])) == 1
    assert set(Claim.objects.filter(cluster=story[0].pk).values_list("pk", flat=True)) == {
        c.pk for c in [*story, lone]}
    # Joining two that are already one story writes nothing.
    assert _rows_updated(lambda: clusters_join(pairs=[(story[1].pk, lone.pk)])) == 0
    # Two stories become one, known by the smaller id; only the other story's rows move.
    Claim.objects.filter(pk__in=[c.pk for c in other_story]).update(cluster=other_story[0].pk)
    assert _rows_updated(lambda: clusters_join(pairs=[(other_story[-1].pk, story[3].pk)])) == len(other_story)
    assert Claim.objects.filter(cluster=story[0].pk).count() == len(claims)


@pytest.mark.django_db
def test_the_editors_rejections_say_which_threshold_to_use(submit_seed, editor, capsys):
    article = submit_seed().article
    claims = list(article.claims.all()[:2])
    fc = [_factcheck(f"https://cekfakta.example/t{n}", f"Klaim nomor {n}") for n in range(24)]
    for n, factcheck in enumerate(fc):
        link = MatchLink.objects.create(claim=claims[n % 2], factcheck=factcheck, score=0.6 + n * 0.01, method="words")
        services.link_decide(link=link, user=editor, state=LinkState.CONFIRMED if n >= 12 else LinkState.REJECTED)
    # Claims of other articles have their own threshold, and their own decisions.
    other = list(Claim.objects.exclude(pk__in=[c.pk for c in claims]))
    for n, claim in enumerate(other[:2]):
        services.link_decide(link=MatchLink.objects.create(claim=claims[0], other=claim, score=0.9 - n * 0.3,
                                                           method="words"), user=editor, state=LinkState.REJECTED)
    call_command("match_claims", "--tune")
    out = capsys.readouterr().out
    assert "24 decided matches to fact-checks (12 confirmed); FACTCHECK_MATCH_THRESHOLD is" in out
    assert "Best threshold by the editors' decisions: 0.72 (F1 1.0); set FACTCHECK_MATCH_THRESHOLD to use it." in out
    assert "2 decided matches to other articles' claims (0 confirmed); FACTCHECK_MATCH_CLAIM_THRESHOLD is" in out
    assert out.count("Too few to say") == 1


@pytest.mark.django_db
def test_the_job_vectorises_the_claims_the_queue_shows(settings, submit_seed):
    from claims.nlp import vectors

    if vectors.load_default() is None:
        pytest.skip("the matching encoder is not installed")
    settings.FACTCHECK_MATCH_MIN_SCORE = 0.5
    settings.FACTCHECK_MATCH_PER_ARTICLE = 3
    from claims import selectors

    article = submit_seed().article
    shown = set(selectors.review_queue_folded(queryset=article.claims.all(), cut=0.5, per_article=3)
                .values_list("pk", flat=True))
    with_vectors = set(article.claims.filter(vector__isnull=False).values_list("pk", flat=True))
    # Those claims and no others: a vector costs twice a claim's check-worthiness reading,
    # and the job pays it only for what the queue shows (attributed claims first, as it ranks them).
    assert len(shown) == 3 and with_vectors == shown
    assert article.claims.count() > len(shown)

    # The reporter's narration scoring a little more than three attributed claims: the
    # queue shows the attributed ones, and those are the ones vectorised.
    *attributed, narration = article.claims.filter(selectors.is_attributed()).order_by("id")[:4]
    Claim.objects.filter(pk=narration.pk).update(speaker="", speaker_role="")  # the reporter's own words
    article.claims.update(score=0.2, vector=None)
    Claim.objects.filter(pk__in=[c.pk for c in attributed]).update(score=0.9)
    Claim.objects.filter(pk=narration.pk).update(score=0.95)
    services.article_claims_match(article_id=article.pk)
    shown = set(selectors.review_queue_folded(queryset=article.claims.all(), cut=0.5, per_article=3)
                .values_list("pk", flat=True))
    assert shown == {c.pk for c in attributed}
    assert set(article.claims.filter(vector__isnull=False).values_list("pk", flat=True)) == shown


def test_the_language_of_a_post_or_a_fact_check_is_told_for_matching():
    from claims.nlp.matching import language_of

    assert language_of("Robot Sophia yg dikasih kewarganegaraan Saudi katanya udah dipenggal. Serius ini??") == "id"
    assert language_of("Foto lawas memperlihatkan anggota Liga Wanita Sosialis Nazi.") == "id"
    assert language_of("The robot Sophia was beheaded by an angry mob in Saudi Arabia") == "en"
    assert language_of("Trump 2020") == "und"


def _two_language_matcher(cosines: dict[str, float]) -> Matcher:
    """A stand-in encoder: each document's cosine with the query is the one given."""
    texts = list(cosines)
    basis = np.eye(len(texts) + 1, dtype=np.float32)

    def embed(batch):
        out = []
        for text in batch:
            if text in cosines:
                c = cosines[text]
                i = texts.index(text)
                out.append(c * basis[0] + np.sqrt(1 - c * c) * basis[i + 1])
            else:
                out.append(basis[0])
        return np.asarray(out)

    matcher = Matcher(embed=embed, dimensions=len(texts) + 1, lexical_weight=0.2)
    matcher.add(texts)
    return matcher


def test_a_faithful_translation_is_not_held_under_the_threshold_for_sharing_no_words(settings):
    # The stand-in cosines are on the released e5's scale (bunched high), so its threshold.
    settings.FACTCHECK_MATCH_THRESHOLD = 0.73
    faithful = "Indonesia bought one million rounds of artillery ammunition from North Korea last year"
    unrelated = "Pemerintah menaikkan harga beras sebesar dua puluh persen bulan ini"
    same_language = "Pemerintah membeli satu juta peluru artileri dari negara tetangga tahun lalu"
    matcher = _two_language_matcher({faithful: 0.86, unrelated: 0.78, same_language: 0.86})
    query = "Indonesia membeli satu juta butir amunisi artileri dari Korea Utara tahun lalu"
    hits = {hit.position: hit for hit in matcher.search(query, k=3)}
    # Across languages the words' part finds only the names (Indonesia, Korea Utara/North Korea):
    # the pair is scored against what it could reach, and now passes the threshold.
    assert hits[0].lexical < 0.3
    assert 0.8 * hits[0].cosine + 0.2 * hits[0].lexical < settings.FACTCHECK_MATCH_THRESHOLD <= hits[0].score
    # An unrelated text in the other language stays below it.
    assert hits[1].score < settings.FACTCHECK_MATCH_THRESHOLD
    # Within one language the score is the plain fused score, as before.
    assert hits[2].score == pytest.approx(0.8 * hits[2].cosine + 0.2 * hits[2].lexical)


@pytest.mark.django_db
def test_the_same_story_in_articles_extracted_back_to_back_is_linked(
        settings, submit_seed, django_capture_on_commit_callbacks):
    # A worker takes a burst of articles (an import, a feed poll) seconds apart, well inside
    # the indexes' refresh pause: the second article must still find the first one's claim.
    settings.FACTCHECK_MATCH_REFRESH_SECONDS = 600
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    assert matching.RECENT_CLAIMS.search("Harga beras naik") == []  # a page searched: the pause starts
    sentence = "Harga beras di Bandung naik 35 persen dalam sebulan terakhir menurut data Dinas Perdagangan."
    with django_capture_on_commit_callbacks(execute=True):
        first = services.article_submit(title="Beras", body=f"{sentence} Pedagang mengeluhkan sepinya pembeli.",
                                        outlet="Outlet Satu")
    with django_capture_on_commit_callbacks(execute=True):
        second = services.article_submit(title="Beras lagi", body=f"{sentence} Warga antre di pasar.",
                                         outlet="Outlet Dua")
    link = MatchLink.objects.get(claim__article=second.article, other__isnull=False)
    assert link.other.article_id == first.article.pk
    assert link.claim.cluster == link.other.cluster


@pytest.mark.django_db
def test_a_fact_check_imported_after_the_claim_was_extracted_is_suggested_on_it(settings, submit_seed, editor):
    # Another fact-checker publishes after our queue took the claim in: the queue says so now.
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    article = submit_seed().article
    kim = article.claims.filter(text__contains="Kim Jong Un").first()
    dismissed = article.claims.exclude(text__contains="Kim Jong Un").filter(vector__isnull=False).first()
    services.claim_dismiss(claim=dismissed, user=editor, reason="opinion")
    assert not MatchLink.objects.exists()

    later = _factcheck("https://cekfakta.example/kim-putin", kim.text)
    again = _factcheck("https://cekfakta.example/lain", dismissed.text)

    link = MatchLink.objects.get(factcheck=later, claim=kim)
    assert link.state == LinkState.SUGGESTED
    assert not MatchLink.objects.filter(factcheck=again, claim=dismissed).exists()  # set aside: left alone
    links = MatchLink.objects.count()
    _factcheck("https://cekfakta.example/kim-putin", kim.text)  # the same import again: nothing twice
    assert MatchLink.objects.count() == links


@pytest.mark.django_db
def test_publishing_our_verdict_tells_the_open_claims_already_repeating_it(
        settings, submit_seed, editor, publisher, django_capture_on_commit_callbacks):
    from claims.models import Notice, Rating

    settings.FACTCHECK_MATCH_THRESHOLD = 0.5
    settings.FACTCHECK_MATCH_CLAIM_THRESHOLD = 1.01  # the two open claims are not tied to each other
    settings.FACTCHECK_MATCH_MIN_SCORE = 0
    settings.FACTCHECK_MATCH_PER_ARTICLE = 100
    original = submit_seed().article.claims.filter(text__contains="Kim Jong Un").first()
    with django_capture_on_commit_callbacks(execute=True):
        repeat = services.article_submit(title="Ulang", outlet="Outlet Lain",
                                         body=f"{original.text} Kunjungan itu disorot dunia internasional.")
    repeated = Claim.objects.filter(article=repeat.article, text__contains="Kim Jong Un")
    assert repeated.exists() and not MatchLink.objects.filter(claim__in=repeated).exists()

    services.claim_assign(claim=original, user=editor)
    services.source_add(claim=original, user=editor, url="https://example.org/a", title="Laporan")
    services.verdict_draft(claim=original, user=editor, rating=Rating.objects.order_by("value").first(),
                           headline="Benar: Kim ke Rusia", summary="Kunjungan itu terjadi.")
    with django_capture_on_commit_callbacks(execute=True):
        services.verdict_publish(claim=original, user=publisher)

    links = MatchLink.objects.filter(claim__in=repeated, other=original)
    assert links.exists() and {link.state for link in links} == {LinkState.SUGGESTED}
    notices = Notice.objects.filter(kind="matched")
    assert {n.claim_id for n in notices} == set(links.values_list("claim_id", flat=True))
    assert {n.recipient for n in notices} == {editor}
