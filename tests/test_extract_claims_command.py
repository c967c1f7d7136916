"""`manage.py extract_claims`: what the extractor makes of a file, and re-extraction."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import nlp
from claims.choices import ClaimStatus, JobStatus
from claims.models import Claim, ExtractionJob
from tests.conftest import SEED

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("extract_claims", *map(str, args), stdout=out)
    return out.getvalue()


def test_json_lists_every_claim_with_exactly_its_fields():
    rows = json.loads(run(SEED, "--json"))
    text = SEED.read_text(encoding="utf-8")
    assert rows
    for row in rows:
        assert set(row) == {"text", "start", "end", "score", "type", "topics", "speaker", "entities", "reasons"}
        assert text[row["start"]:row["end"]] == row["text"]
        assert 0 <= row["score"] <= 1
    ammunition = next(r for r in rows if r["text"].startswith("Jumlah pelurunya terbatas"))
    assert ammunition["speaker"] == "Pavel Luzin"


def test_plain_output_shows_span_score_speaker_and_reasons(tmp_path):
    output = run(SEED, "--language", "id")
    assert "speaker: Pavel Luzin, analis militer Rusia" in output
    unnamed = tmp_path / "minister.txt"
    unnamed.write_text("Searches will target Muslims more often in 2005, a Home Office minister has said.")
    english = run(unnamed, "--language", "en")
    assert "speaker: Home Office minister |" in english
    assert "sentence model " in english  # English claims are shown as the queue scores them
    assert "reasons:" in output
    assert output.strip().endswith(f"extractor {nlp.EXTRACTOR_VERSION}")


def test_unreadable_input_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        run(empty)
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.txt")
    with pytest.raises(CommandError, match="either a FILE or --all"):
        run()


def test_reextracting_all_articles_keeps_editors_work(submit_seed, editor, django_capture_on_commit_callbacks):
    article = submit_seed().article
    worked = article.claims.order_by("-score").first()
    Claim.objects.filter(pk=worked.pk).update(status=ClaimStatus.DISMISSED, dismiss_reason="Opinion")
    before = set(article.claims.values_list("pk", "start", "end"))

    with django_capture_on_commit_callbacks(execute=True):
        output = run("--all", "--since", "2000-01-01")

    assert "Queued 1 article(s)" in output
    assert ExtractionJob.objects.filter(article=article, status=JobStatus.SUCCEEDED).count() == 2
    assert set(article.claims.values_list("pk", "start", "end")) == before
    worked.refresh_from_db()
    assert (worked.status, worked.dismiss_reason) == (ClaimStatus.DISMISSED, "Opinion")


def test_since_filters_and_validates(submit_seed):
    submit_seed()
    assert "Queued 0 article(s)" in run("--all", "--since", "2999-01-01")
    with pytest.raises(CommandError, match="not a date"):
        run("--all", "--since", "yesterday")


def test_a_file_can_be_looked_at_before_the_database_exists(monkeypatch):
    """A new checkout may try the extractor before `make run` has created the database."""
    from django.db import OperationalError

    from claims import selectors

    def no_table():
        raise OperationalError("no such table: claims_topic")

    monkeypatch.setattr(selectors, "topic_keywords", no_table)
    out, err = StringIO(), StringIO()
    call_command("extract_claims", str(SEED), "--json", stdout=out, stderr=err)
    rows = json.loads(out.getvalue())
    assert any("ammunition" in " ".join(r["topics"]) for r in rows)
    assert "No database yet" in err.getvalue()
