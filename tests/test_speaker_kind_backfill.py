"""Claims extracted before speaker_kind existed get one, so their ClaimReview names them right."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from claims.nlp.attribution import speaker_kind_of
from tests.migration_state import at_migration, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("claims", "0011_claim_speaker_kind_group")]
AFTER = [("claims", "0012_backfill_speaker_kind")]


def test_the_migration_gives_old_claims_the_kind_extraction_would():
    with at_migration(BEFORE) as old:
        Article = old.get_model("claims", "Article")
        Claim = old.get_model("claims", "Claim")
        article = Article.objects.create(body="x", content_hash="backfill", language="en")
        rows = {
            ("Lufthansa", ""): "organisation",
            ("BBC", "spokesman"): "representative",
            ("Michael Lamberty", "Lufthansa spokesman"): "person",
            ("Critics", ""): "group",
            ("", ""): "",
        }
        made = {
            key: Claim.objects.create(article=article, text=f"Claim {i}.", start=10 * i, end=10 * i + 8,
                                      speaker=key[0], speaker_role=key[1], language="en", score=0.5)
            for i, key in enumerate(rows)
        }
        already = Claim.objects.create(article=article, text="Kept.", start=100, end=105, speaker="Lufthansa",
                                       speaker_kind="person", language="en", score=0.5)

        migrate(AFTER)
        assert {key: Claim.objects.get(pk=claim.pk).speaker_kind for key, claim in made.items()} == rows
        # A kind set already, by extraction or an editor, is left alone.
        assert Claim.objects.get(pk=already.pk).speaker_kind == "person"


def test_a_stored_speakers_kind_from_name_and_role_alone():
    assert speaker_kind_of("Mike Gallagher", "Representative", "en") == "person"
    assert speaker_kind_of("Department of Health", "spokesperson", "en") == "representative"
    assert speaker_kind_of("Kementerian Pertahanan", "Juru bicara", "id") == "representative"
    assert speaker_kind_of("Sejumlah warga", None, "id") == "group"
    assert speaker_kind_of("Pavel Luzin", "analis militer", "de") == "person"  # no rules: fallback
    assert speaker_kind_of("", None, "en") is None


MIGRATION = importlib.import_module("claims.migrations.0012_backfill_speaker_kind")


def test_the_migration_is_frozen_and_decides_as_extraction_did():
    """The migration reads no live code (a later extractor must not change what it did), and
    decides the documented cases as speaker_kind_of did when it was written."""
    source = Path(MIGRATION.__file__).read_text(encoding="utf-8")
    assert "claims.nlp" not in source.replace("claims.nlp.attribution.speaker_kind_of,", "")
    assert MIGRATION.speaker_kind("Mike Gallagher", "Representative", "en") == "person"
    assert MIGRATION.speaker_kind("Department of Health", "spokesperson", "en") == "representative"
    assert MIGRATION.speaker_kind("Kementerian Pertahanan", "Juru bicara", "id") == "representative"
    assert MIGRATION.speaker_kind("Sejumlah warga", None, "id") == "group"
    assert MIGRATION.speaker_kind("Pavel Luzin", "analis militer", "de") == "person"
    assert MIGRATION.speaker_kind("Lufthansa", "", "en") == "organisation"
    assert MIGRATION.speaker_kind("", None, "en") is None
