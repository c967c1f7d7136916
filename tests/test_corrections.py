"""Corrections of published verdicts and the two-person rule (issue 20).

A correction may change the rating, headline, summary and rationale; it keeps every earlier
value and tells readers what changed, on the page, in the feeds, the API and ClaimReview.
Under the two-person rule (on by default) whoever drafted a verdict neither publishes nor
corrects it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus
from claims.models import Correction, Rating, Verdict
from tests.migration_state import at_migration
from tests.test_public_pages import _no_public_cache, body, draft, get, make_claim, publish  # noqa: F401

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
BENAR_HEADLINE = "Benar: Korut memasok satu juta peluru"
CORRECTED_HEADLINE = "Sebagian benar: pasokan ada, jumlahnya belum pasti"


def rating(label: str) -> Rating:
    return Rating.objects.get(label_id=label)


@pytest.fixture
def second_publisher(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("publisher2", password="pw-publisher2-1", is_staff=True)
    user.groups.set(Group.objects.filter(name="Publishers"))
    return user


@pytest.fixture
def benar(editor, publisher):
    """Published as "Benar" by a publisher, drafted by an editor."""
    return publish(make_claim(), editor, publisher, headline=BENAR_HEADLINE, rating="Benar",
                   summary="Data intelijen menunjukkan pasokan itu.", rationale="Laporan intelijen Korea Selatan.")


def correct_to_partly_true(claim, user):
    return services.verdict_correct(
        claim=claim, user=user, rating=rating("Sebagian benar"), headline=CORRECTED_HEADLINE,
        summary="Pasokan ada, tetapi jumlahnya belum dapat dipastikan.",
        note="Angka satu juta berasal dari satu sumber yang belum dikonfirmasi.",
    )


# --- The correction itself ----------------------------------------------------------------


def test_a_correction_changes_rating_and_headline_and_keeps_the_earlier_values(benar, publisher):
    correction = correct_to_partly_true(benar, publisher)
    verdict = Verdict.objects.get(claim=benar)
    assert (verdict.rating.label_id, verdict.headline) == ("Sebagian benar", CORRECTED_HEADLINE)
    assert verdict.rationale == "Laporan intelijen Korea Selatan."
    correction.refresh_from_db()
    assert correction.changed == ["rating", "headline", "summary"]
    assert (correction.previous_rating.label_id, correction.new_rating.label_id) == ("Benar", "Sebagian benar")
    assert (correction.previous_headline, correction.new_headline) == (BENAR_HEADLINE, CORRECTED_HEADLINE)
    assert correction.previous_summary == "Data intelijen menunjukkan pasokan itu."
    assert correction.previous_rationale == correction.new_rationale == "Laporan intelijen Korea Selatan."
    assert correction.corrected_by == publisher
    assert correction.what_changed == "Rating changed from Benar to Sebagian benar; headline changed; summary changed."
    assert benar.history.latest().history_change_reason == "corrected by publisher: rating, headline, summary"


def test_every_correction_keeps_the_values_before_it(benar, publisher, second_publisher):
    correct_to_partly_true(benar, publisher)
    second = services.verdict_correct(claim=benar, user=second_publisher, rationale="Dua laporan intelijen.",
                                      note="Kami menambahkan laporan kedua.")
    assert second.changed == ["rationale"]
    assert second.what_changed == "Rationale changed."
    assert second.previous_rationale == "Laporan intelijen Korea Selatan."
    assert second.previous_headline == second.new_headline == CORRECTED_HEADLINE
    first, last = Correction.objects.filter(verdict__claim=benar).order_by("created_at", "id")
    # Each correction starts where the one before ended: the full record of every version.
    assert (first.new_rating, first.new_headline, first.new_summary, first.new_rationale) == (
        last.previous_rating, last.previous_headline, last.previous_summary, last.previous_rationale)


def test_a_correction_that_changes_nothing_is_refused(benar, publisher):
    verdict = benar.verdict
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.verdict_correct(claim=benar, user=publisher, rating=verdict.rating, headline=f"  {verdict.headline} ",
                                 summary=verdict.summary, note="Tidak ada perubahan.")
    assert not Correction.objects.exists()


def test_a_correction_cannot_blank_the_headline_and_leaves_nothing_half_done(benar, publisher):
    with pytest.raises(ValidationError):
        services.verdict_correct(claim=benar, user=publisher, rating=rating("Keliru"), headline="  ",
                                 note="Judul dihapus.")
    verdict = Verdict.objects.get(claim=benar)
    assert (verdict.rating.label_id, verdict.headline) == ("Benar", BENAR_HEADLINE)
    assert not Correction.objects.exists()


def test_an_editor_cannot_correct(benar, editor):
    with pytest.raises(PermissionDenied):
        correct_to_partly_true(benar, editor)
    assert Verdict.objects.get(claim=benar).headline == BENAR_HEADLINE


# --- Readers and partners see the current values and what changed -------------------------


def test_the_page_feeds_and_claimreview_show_the_corrected_headline_and_rating(client, benar, publisher):
    old_address = benar.get_absolute_url()
    correct_to_partly_true(benar, publisher)
    benar.refresh_from_db()
    new_address = benar.get_absolute_url()
    assert new_address != old_address
    assert client.get(old_address).status_code == 301  # the old address leads to the new one

    text = body(get(client, new_address))
    assert f"<h1 id=\"factcheck-title\">{CORRECTED_HEADLINE}</h1>" in text
    assert "Rating changed from Benar to Sebagian benar; headline changed; summary changed." in text
    assert "Angka satu juta berasal dari satu sumber yang belum dikonfirmasi." in text
    assert BENAR_HEADLINE in text.split('class="corrections"')[1]  # only as the earlier headline
    assert f"<title>{BENAR_HEADLINE}" not in text
    review = json.loads(LD_JSON.findall(text)[0])
    assert review["headline"] == CORRECTED_HEADLINE
    assert review["reviewRating"]["alternateName"] == "Sebagian benar"
    assert review["reviewRating"]["ratingValue"] == rating("Sebagian benar").value
    correction = Correction.objects.get()
    assert review["dateModified"] == correction.created_at.isoformat()

    rss = ET.fromstring(get(client, reverse("claims:feed-rss")).content)  # noqa: S314 - our own output
    item = rss.find("channel/item")
    assert item.findtext("title") == CORRECTED_HEADLINE
    assert item.findtext("description").startswith("Sebagian benar: ")
    assert "Rating changed from Benar to Sebagian benar; headline changed; summary changed." in item.findtext(
        "description")


def test_readers_are_told_what_changed_in_indonesian(client, benar, publisher):
    correct_to_partly_true(benar, publisher)
    benar.refresh_from_db()
    client.cookies["django_language"] = "id"
    text = body(get(client, benar.get_absolute_url()))
    assert CORRECTED_HEADLINE in text
    assert "Penilaian diubah dari Benar menjadi Sebagian benar; judul diubah; ringkasan diubah." in text
    assert "Sebelum koreksi ini" in text


def test_the_claim_page_query_count_does_not_grow_with_corrections(client, benar, publisher, second_publisher,
                                                                   django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    correct_to_partly_true(benar, publisher)
    benar.refresh_from_db()
    with CaptureQueriesContext(connection) as one:
        get(client, benar.get_absolute_url())
    for n in range(3):
        services.verdict_correct(claim=benar, user=second_publisher, rationale=f"Versi {n}.", note=f"Catatan {n}.")
    with django_assert_max_num_queries(len(one)):
        text = body(get(client, benar.get_absolute_url()))
    assert text.count('class="correction"') == 4


# --- The two-person rule --------------------------------------------------------------------


def test_a_publisher_cannot_publish_their_own_draft(publisher, second_publisher):
    claim = draft(make_claim(), publisher)
    with pytest.raises(services.WorkflowError, match="another publisher must publish it"):
        services.verdict_publish(claim=claim, user=publisher)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED and claim.verdict.published_at is None
    services.verdict_publish(claim=claim, user=second_publisher)
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.drafted_by, verdict.published_by) == (publisher, second_publisher)


def test_a_publisher_who_wrote_an_earlier_version_still_cannot_publish(editor, publisher):
    """Revising a colleague's draft does not clear the first writer to publish it."""
    claim = draft(make_claim(), publisher)
    services.verdict_draft(claim=claim, user=editor, rating=rating("Keliru"), headline="Direvisi",
                           summary="Ringkasan editor.")
    with pytest.raises(services.WorkflowError, match="two-person rule"):
        services.verdict_publish(claim=claim, user=publisher)


def test_with_the_rule_off_a_publisher_may_publish_and_correct_their_own_draft(settings, publisher):
    settings.FACTCHECK_TWO_PERSON_RULE = False
    claim = draft(make_claim(), publisher)
    services.verdict_publish(claim=claim, user=publisher)
    correct_to_partly_true(claim, publisher)
    assert Verdict.objects.get(claim=claim).headline == CORRECTED_HEADLINE


def test_the_drafter_cannot_correct_the_published_verdict_alone(settings, publisher, second_publisher):
    claim = draft(make_claim(), publisher)
    services.verdict_publish(claim=claim, user=second_publisher)
    with pytest.raises(services.WorkflowError, match="another publisher must correct it"):
        correct_to_partly_true(claim, publisher)
    assert not Correction.objects.exists()
    correct_to_partly_true(claim, second_publisher)
    assert Verdict.objects.get(claim=claim).headline == CORRECTED_HEADLINE


def workflow(client, claim, step, **data):
    return client.post(reverse("admin:claims_claim_workflow", args=[claim.pk, step]), data, follow=True)


def test_the_desk_refuses_a_publisher_publishing_their_own_draft_with_a_clear_message(client, publisher):
    claim = draft(make_claim(), publisher)
    client.force_login(publisher)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    # The page says why instead of offering the button ...
    assert "You drafted this verdict, so another publisher must publish it (the two-person rule)." in page
    assert 'value="publish"' not in page
    # ... and a publish sent anyway (a tab opened before the draft) is refused with it.
    response = workflow(client, claim, "publish")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["You drafted this verdict, so another publisher must publish it (the two-person rule)."]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED


def test_the_refusal_speaks_indonesian_on_an_indonesian_desk(client, publisher):
    claim = draft(make_claim(), publisher)
    client.force_login(publisher)
    client.cookies["django_language"] = "id"
    response = workflow(client, claim, "publish")
    assert [str(m) for m in response.context["messages"]] == [
        "Anda menulis draf hasil periksa ini, jadi penerbit lain yang harus menerbitkannya (aturan dua orang)."]


def test_a_publisher_corrects_the_headline_from_the_desk(client, benar, publisher):
    client.force_login(publisher)
    page = client.get(reverse("admin:claims_claim_change", args=[benar.pk])).content.decode()
    assert "Correct the published verdict" in page and f'value="{BENAR_HEADLINE}"' in page
    response = workflow(client, benar, "correct", rating=rating("Sebagian benar").pk, headline=CORRECTED_HEADLINE,
                        summary=benar.verdict.summary, rationale=benar.verdict.rationale, note="Sumber belum pasti.")
    assert [str(m) for m in response.context["messages"]] == ["Correction published."]
    page = response.content.decode()
    assert "Rating changed from Benar to Sebagian benar; headline changed." in page
    assert Verdict.objects.get(claim=benar).headline == CORRECTED_HEADLINE


def test_a_correction_form_with_errors_loses_nothing_and_says_why(client, benar, publisher):
    client.force_login(publisher)
    response = workflow(client, benar, "correct", rating=rating("Keliru").pk, headline="", summary="S", note="")
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "headline" in messages and "note" in messages
    assert Verdict.objects.get(claim=benar).rating.label_id == "Benar"
    assert not Correction.objects.exists()


@pytest.mark.parametrize(("rule", "sentence"), [
    (True, "a senior editor who did not write the verdict reviews it and publishes it"),
    (False, "may publish or correct one they wrote themselves"),
])
def test_the_about_page_says_what_the_setting_says(client, settings, rule, sentence):
    settings.FACTCHECK_TWO_PERSON_RULE = rule
    text = body(get(client, reverse("claims:about")))
    assert sentence in text
    other = "may publish or correct one they wrote themselves" if rule else "did not write the verdict"
    assert other not in text


# --- The migration fills in corrections made before it ---------------------------------------


@pytest.fixture
def reference_data(transactional_db):
    """The groups and ratings the data migrations made: a transactional test that ran
    before may have flushed them."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    import_module("claims.migrations.0002_default_topics_and_ratings").topics_load(apps)
    import_module("claims.migrations.0020_rate_ratings_translations").ratings_load(apps)
    roles = import_module("claims.migrations.0004_editor_and_publisher_groups")
    create_permissions(apps.get_app_config("claims"), verbosity=0)
    for name, codenames in (("Editors", roles.EDITOR_PERMISSIONS), ("Publishers", roles.PUBLISHER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))


def test_the_migration_completes_earlier_corrections_and_finds_the_publisher(reference_data, editor, publisher):
    before, after = [("claims", "0015_claim_speaker_kind_official")], [("claims", "0016_corr_corrections_two_person")]
    claim = publish(make_claim(), editor, publisher, headline=BENAR_HEADLINE, rating="Benar")
    with at_migration(before) as apps:
        OldCorrection = apps.get_model("claims", "Correction")
        OldVerdict = apps.get_model("claims", "Verdict")
        old = OldVerdict.objects.get(claim_id=claim.pk)
        assert old.reviewer_id == editor.pk
        # Ratings were one row per language then.
        OldRating = apps.get_model("claims", "Rating")
        keliru, benar = (OldRating.objects.get(language="id", label=label) for label in ("Keliru", "Benar"))
        OldVerdict.objects.filter(pk=old.pk).update(rating_id=keliru.pk, headline="Keliru: judul baru")
        OldCorrection.objects.create(verdict_id=old.pk, previous_rating_id=benar.pk,
                                     previous_headline=BENAR_HEADLINE, previous_summary=old.summary,
                                     note="Dikoreksi sebelum migrasi.")
    assert after  # the latest migrations are back in place
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.drafted_by, verdict.published_by) == (editor, publisher)
    correction = Correction.objects.get()
    assert correction.changed == ["rating", "headline"]
    assert (correction.new_rating.label_id, correction.new_headline) == ("Keliru", "Keliru: judul baru")
    assert correction.previous_rationale == correction.new_rationale == verdict.rationale


def test_the_corrections_admin_shows_the_values_before_and_after_and_changes_none(client, benar, publisher,
                                                                                  django_user_model):
    correction = correct_to_partly_true(benar, publisher)
    admin = django_user_model.objects.create_superuser("root", password="pw-root-1")
    client.force_login(admin)
    listing = client.get(reverse("admin:claims_correction_changelist")).content.decode()
    assert "Rating changed from Benar to Sebagian benar; headline changed; summary changed." in listing
    url = reverse("admin:claims_correction_change", args=[correction.pk])
    page = client.get(url).content.decode()
    assert BENAR_HEADLINE in page and CORRECTED_HEADLINE in page
    client.post(url, {"new_headline": "Diubah diam-diam", "note": "Diubah diam-diam"})
    correction.refresh_from_db()
    assert correction.new_headline == CORRECTED_HEADLINE and correction.note.startswith("Angka satu juta")
