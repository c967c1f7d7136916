"""One timeline per claim on its desk page (issue 20, point 3): extraction, edits,
assignment, each source added or removed, drafts, publication, corrections, dismissals,
with who and when; read in a fixed number of queries however long it grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from claims import services
from claims.models import Claim, Correction, Rating, Source
from claims.timeline import claim_timeline
from tests.test_public_pages import draft, make_claim, publish

pytestmark = pytest.mark.django_db


def story(claim: Claim) -> list[tuple[str, str, str]]:
    with translation.override("en"):
        return [(e.kind, e.who, e.detail) for e in claim_timeline(claim=claim)]


@pytest.fixture
def worked(editor, publisher, submit_seed):
    """A claim of the seed article taken from extraction to a correction."""
    article = submit_seed().article
    claim = article.claims.order_by("-score").first()
    services.claim_edit(claim=claim, user=editor, speaker="Kim Jong Un")
    services.claim_assign(claim=claim, user=editor)
    source = services.source_add(claim=claim, user=editor, url="https://data.example/a", title="Data A",
                                 stance="refutes")
    services.source_update(source=source, user=editor, title="Data A (revised)")
    rating = Rating.objects.get(label_id="Keliru")
    services.verdict_draft(claim=claim, user=editor, rating=rating, headline="Tidak benar", summary="S")
    services.verdict_draft(claim=claim, user=editor, rating=rating, headline="Tidak benar sama sekali",
                           summary="S")
    services.verdict_publish(claim=claim, user=publisher)
    services.verdict_correct(claim=claim, user=publisher, rating=Rating.objects.get(label_id="Menyesatkan"),
                             summary="S2", note="Data baru.")
    return Claim.objects.get(pk=claim.pk)


def test_the_timeline_tells_the_claims_whole_story_with_who(worked, editor, publisher):
    events = story(worked)
    kinds = [kind for kind, _, _ in events]
    # The article's job ran (and found the claim) before anyone touched it.
    assert kinds[:2] in (["extraction", "extraction"],)
    assert kinds[2:] == ["edit", "assignment", "source_added", "source_changed", "draft", "draft",
                         "publication", "correction"]
    who = {kind: w for kind, w, _ in events[2:]}
    assert who == {"edit": "editor", "assignment": "editor", "source_added": "editor", "source_changed": "editor",
                   "draft": "editor", "publication": "publisher", "correction": "publisher"}
    details = dict((k, d) for k, _, d in events if k in ("edit", "source_added", "correction", "publication"))
    assert details["edit"].endswith("→ Kim Jong Un")
    assert details["source_added"] == "Data A (Refutes)"
    # The desk reads in English here: a rating is named in the desk's language.
    assert details["publication"] == "False — Tidak benar sama sekali"
    assert details["correction"] == "Data baru. (earlier: False — Tidak benar sama sekali)"


def test_a_removed_source_and_a_dismissal_are_on_the_timeline(editor):
    claim = make_claim()
    source = services.source_add(claim=claim, user=editor, url="https://data.example/b", title="B")
    Source.objects.get(pk=source.pk).delete()
    services.claim_dismiss(claim=claim, user=editor, reason="opinion")
    assert [(k, d) for k, _, d in story(claim) if k in ("source_added", "source_removed", "dismissal")] == [
        ("source_added", "B (Context)"), ("source_removed", "B (Context)"), ("dismissal", "Opinion")]


def test_a_duplicate_is_on_the_timeline(editor):
    original, claim = make_claim(), make_claim(text="Korut kirim sejuta peluru.")
    services.claim_mark_duplicate(claim=claim, user=editor, original=original)
    assert story(claim)[-1] == ("duplicate", "editor", f"of claim #{original.pk}")


def _busy(editor, publisher, sources: int) -> Claim:
    claim = make_claim()
    services.claim_assign(claim=claim, user=editor)
    for n in range(sources):
        source = services.source_add(claim=claim, user=editor, url=f"https://data.example/{n}", title=f"S{n}")
        services.source_update(source=source, user=editor, quote=f"Quote {n}")
        services.claim_edit(claim=claim, user=editor, speaker=f"Speaker {n}")
    claim = publish(claim, editor, publisher)
    for n in range(sources):
        services.verdict_correct(claim=claim, user=publisher, rating=Rating.objects.get(label_id="Keliru"),
                                 summary=f"S{n}", note=f"Koreksi {n}")
    return claim


def test_the_timeline_takes_five_queries_however_many_events(editor, publisher, django_assert_max_num_queries):
    claim = _busy(editor, publisher, sources=15)
    with django_assert_max_num_queries(5):
        events = claim_timeline(claim=claim)
    assert len(events) > 60


def test_the_claims_page_costs_the_same_with_two_events_or_a_hundred(client, editor, publisher):
    few, many = _busy(editor, publisher, sources=1), _busy(editor, publisher, sources=25)
    client.force_login(publisher)
    client.get(reverse("admin:claims_claim_change", args=[few.pk]))  # the session's first page loads more
    counts = []
    for claim in (few, many):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Correction.objects.filter(verdict__claim=many).count() == 25


def test_the_admin_history_of_a_claim_shows_its_sources_and_corrections(client, editor, publisher):
    """The bug: the claim's History page listed only the claim row's versions."""
    claim = publish(make_claim(), editor, publisher)
    services.verdict_correct(claim=claim, user=publisher, rating=Rating.objects.get(label_id="Menyesatkan"),
                             summary="S2", note="Angka diperbarui.")
    client.force_login(editor)
    html = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert "Source added" in html and "Laporan intelijen (Refutes)" in html
    assert "Correction published" in html and "Angka diperbarui." in html
    assert "Published" in html


def test_a_corrections_admin_history_shows_it(client, editor, publisher, django_user_model):
    claim = publish(make_claim(), editor, publisher)
    correction = services.verdict_correct(claim=claim, user=publisher, rating=Rating.objects.get(
        label_id="Menyesatkan"), summary="S2", note="Angka diperbarui.")
    root = django_user_model.objects.create_superuser("root", password="pw-root-1")
    client.force_login(root)
    page = client.get(reverse("admin:claims_correction_history", args=[correction.pk]))
    assert page.status_code == 200
    assert "publisher" in page.content.decode()
    assert correction.history.get().history_user == publisher


def test_history_records_who_when_a_service_runs_outside_a_request(editor):
    claim = draft(make_claim(), editor)
    assert {row.history_user for row in claim.sources.first().history.all()} == {editor}
    assert {row.history_user for row in claim.verdict.history.all()} == {editor}


def test_a_sources_and_a_verdicts_admin_history_show_their_changes(client, editor, publisher):
    claim = publish(make_claim(), editor, publisher)
    source = claim.sources.first()
    client.force_login(editor)
    html = client.get(reverse("admin:claims_source_history", args=[source.pk])).content.decode()
    assert "editor" in html and "Created" in html
    verdict_history = client.get(reverse("admin:claims_verdict_history", args=[claim.verdict.pk]))
    assert len(verdict_history.context["page_obj"]) == claim.verdict.history.count() == 2  # drafted, published


def test_sources_and_verdicts_are_only_read_in_their_own_admin(client, editor, publisher):
    claim = publish(make_claim(), editor, publisher)
    source = claim.sources.first()
    client.force_login(publisher)
    url = reverse("admin:claims_source_change", args=[source.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"url": "https://evil.example/", "title": "Changed"}).status_code == 403
    source.refresh_from_db()
    assert source.url == "https://data.example/report"
    verdict_url = reverse("admin:claims_verdict_change", args=[claim.verdict.pk])
    assert client.post(verdict_url, {"headline": "Changed"}).status_code == 403
    assert client.get(reverse("admin:claims_source_add")).status_code == 403


def test_a_correction_made_before_corrections_had_history_is_on_the_timeline(editor, publisher):
    claim = publish(make_claim(), editor, publisher)
    services.verdict_correct(claim=claim, user=publisher, rating=Rating.objects.get(label_id="Menyesatkan"),
                             summary="S2", note="Koreksi lama.")
    Correction.history.all().delete()  # as a database migrated from before 0016 holds it
    assert ("correction", "publisher", "Koreksi lama. (earlier: False — Tidak benar)") in story(claim)
