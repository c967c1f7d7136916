"""Ratings stored one row per language become one rating with a label per language; the
verdicts, corrections and history that used either row keep their finding."""

from __future__ import annotations

import pytest

from claims.models import Article, Claim, Rating, Verdict
from tests.migration_state import at_migration, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("claims", "0019_edit_claim_edits")]
AFTER = [("claims", "0020_rate_ratings_translations")]


def test_each_pair_of_language_rows_becomes_one_rating_and_keeps_every_use_of_it():
    with at_migration(BEFORE) as old:
        OldRating = old.get_model("claims", "Rating")
        Article_ = old.get_model("claims", "Article")
        Claim_ = old.get_model("claims", "Claim")
        Verdict_ = old.get_model("claims", "Verdict")
        Correction_ = old.get_model("claims", "Correction")
        History = old.get_model("claims", "HistoricalVerdict")
        OldRating.objects.all().delete()
        rows = {}
        for language, label, value, colour, description in [
            ("en", "True", 5, "#1a7f37", "Accurate."), ("id", "Benar", 5, "#1a7f37", "Akurat."),
            ("en", "Unproven", 3, "#6e7781", ""), ("id", "Tidak terbukti", 3, "#6e7781", ""),
            ("id", "Belum jelas", 3, "#999999", "Tambahan redaksi."),  # no English partner
            ("en", "False", 1, "#cf222e", ""), ("id", "Keliru", 1, "#cf222e", ""),
        ]:
            rows[label] = OldRating.objects.create(language=language, label=label, value=value, best=5, worst=1,
                                                   colour=colour, description=description)
        article = Article_.objects.create(body="Satu. Dua. Three.", content_hash="rate-migration")

        def verdict(text, start, language, rating):
            claim = Claim_.objects.create(article=article, text=text, start=start, end=start + len(text),
                                          language=language, score=0.5, status="published")
            return Verdict_.objects.create(claim=claim, rating=rating, headline=text, summary="s")

        # The English rating put on an Indonesian claim (issue 20): written in Indonesian.
        on_indonesian = verdict("Satu.", 0, "id", rows["False"])
        # A claim of no known language: the rating's language tells.
        unknown = verdict("Dua.", 6, "und", rows["Tidak terbukti"])
        on_english = verdict("Three.", 11, "en", rows["Benar"])
        correction = Correction_.objects.create(verdict=on_english, previous_rating=rows["Keliru"],
                                                new_rating=rows["Benar"], previous_headline="h",
                                                previous_summary="s", note="n")
        history = History.objects.create(id=on_indonesian.pk, claim_id=on_indonesian.claim_id,
                                         rating_id=rows["Keliru"].pk, headline="earlier", summary="s",
                                         created_at=on_indonesian.created_at, updated_at=on_indonesian.updated_at,
                                         history_date=on_indonesian.created_at, history_type="+")

        new = migrate(AFTER)
        Rating_ = new.get_model("claims", "Rating")
        labels = {(r.label_en, r.label_id): (r.value, r.colour, r.description_en, r.description_id)
                  for r in Rating_.objects.all()}
        assert labels == {
            ("True", "Benar"): (5, "#1a7f37", "Accurate.", "Akurat."),
            ("Unproven", "Tidak terbukti"): (3, "#6e7781", "", ""),
            ("Belum jelas", "Belum jelas"): (3, "#999999", "", "Tambahan redaksi."),
            ("False", "Keliru"): (1, "#cf222e", "", ""),
        }
        false = Rating_.objects.get(label_en="False")
        Verdict_ = new.get_model("claims", "Verdict")
        found = {v.pk: (v.rating.label_en, v.rating.label_id, v.language) for v in Verdict_.objects.all()}
        assert found == {
            on_indonesian.pk: ("False", "Keliru", "id"),
            unknown.pk: ("Unproven", "Tidak terbukti", "id"),
            on_english.pk: ("True", "Benar", "en"),
        }
        corrected = new.get_model("claims", "Correction").objects.get(pk=correction.pk)
        assert (corrected.previous_rating_id, corrected.new_rating_id) == (
            false.pk, Rating_.objects.get(label_en="True").pk)
        earlier = new.get_model("claims", "HistoricalVerdict").objects.get(history_id=history.history_id)
        assert (earlier.rating_id, earlier.language) == (false.pk, "id")


def test_going_back_gives_each_language_its_row_again():
    rating = Rating.objects.create(label_en="Half true", label_id="Setengah benar", value=3,
                                   description_en="Some.", description_id="Sebagian.")
    article = Article.objects.create(body="Satu.", content_hash="rate-back")
    claim = Claim.objects.create(article=article, text="Satu.", start=0, end=5, language="id", score=0.5)
    Verdict.objects.create(claim=claim, rating=rating, language="id", headline="h", summary="s")
    with at_migration(BEFORE) as old:
        OldRating = old.get_model("claims", "Rating")
        rows = {(r.language, r.label, r.description) for r in OldRating.objects.filter(value=3)}
        assert {("en", "Half true", "Some."), ("id", "Setengah benar", "Sebagian.")} <= rows
        back = old.get_model("claims", "Verdict").objects.get(claim_id=claim.pk)
        assert (back.rating.language, back.rating.label) == ("id", "Setengah benar")
