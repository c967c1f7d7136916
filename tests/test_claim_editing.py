"""Editors correct what the extraction got wrong (issue 20): the claim as it will be
checked, its speaker, role, kind, type and date. The extractor's values stay on record,
extraction never writes over an edit, and every reader sees the edited claim."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import claimreview, nlp, selectors, services
from claims.choices import ClaimStatus, ClaimType, SpeakerKind
from claims.models import Claim, Correction, WebhookDelivery
from tests.test_admin_guards import partner  # noqa: F401 (a fixture)
from tests.test_public_pages import make_claim, publish
from tests.test_review_queue import _change_form_data

pytestmark = pytest.mark.django_db

WRONG = "Budi Santoso"
RIGHT = "Prabowo Subianto"


def edit(claim: Claim, user, **changes) -> Claim:
    services.claim_edit(claim=claim, user=user, **changes)
    return Claim.objects.select_related("article").get(pk=claim.pk)


def test_an_editor_fixes_a_wrong_speaker_and_the_extractors_is_kept(editor):
    claim = make_claim(speaker=WRONG, speaker_role="juru bicara")
    claim = edit(claim, editor, speaker=RIGHT, speaker_role="Menteri Pertahanan",
                 speaker_kind=SpeakerKind.PERSON, claim_type=ClaimType.QUANTITY, claimed_on=dt.date(2025, 10, 19),
                 text="Korea Utara memasok satu juta peluru artileri ke Rusia.")
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind, claim.claim_type, claim.claimed_on) == (
        RIGHT, "Menteri Pertahanan", "person", "quantity", dt.date(2025, 10, 19))
    assert claim.text == "Korea Utara memasok satu juta peluru artileri ke Rusia."
    assert claim.extracted == {
        "text": "Korut memasok 1 juta peluru ke Rusia.", "speaker": WRONG, "speaker_role": "juru bicara",
        "speaker_kind": "", "claim_type": "other", "claimed_on": None,
    }
    assert (claim.edited_by, claim.edited_at is not None) == (editor, True)
    latest = claim.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        editor, "edited: text, speaker, speaker_role, speaker_kind, claim_type, claimed_on")
    # The claim is still where the extractor found it in its article.
    assert claim.article.body[claim.start:claim.end] == claim.extracted["text"]


def test_a_second_edit_keeps_the_extractors_values_not_the_first_edits(editor):
    claim = edit(make_claim(speaker=WRONG), editor, speaker="Someone else")
    claim = edit(claim, editor, speaker=RIGHT)
    assert (claim.speaker, claim.extracted["speaker"]) == (RIGHT, WRONG)


def test_an_edit_that_changes_nothing_records_nothing(editor):
    claim = make_claim(speaker=WRONG)
    versions = claim.history.count()
    claim = edit(claim, editor, speaker=f"  {WRONG} ")
    assert (claim.extracted, claim.edited_at, claim.history.count()) == (None, None, versions)


@pytest.mark.parametrize("changes, field", [
    ({"speaker_kind": "minister"}, "speaker_kind"),
    ({"claim_type": "gossip"}, "claim_type"),
    ({"text": "   "}, "text"),
    ({"speaker": "x" * 201}, "speaker"),
    ({"claimed_on": "the day before"}, "claimed_on"),
])
def test_bad_values_are_refused_with_the_field_named_and_nothing_is_changed(changes, field, editor):
    claim = make_claim(speaker=WRONG)
    with pytest.raises(ValidationError) as refused:
        services.claim_edit(claim=claim, user=editor, **changes)
    assert field in refused.value.message_dict
    claim.refresh_from_db()
    assert (claim.speaker, claim.extracted, claim.edited_at) == (WRONG, None, None)


def test_only_the_claims_editable_fields_can_be_edited(editor):
    claim = make_claim()
    with pytest.raises(ValidationError, match="status"):
        services.claim_edit(claim=claim, user=editor, status=ClaimStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="score"):
        services.claim_edit(claim=claim, user=editor, score=1.0)


def test_a_set_aside_claim_is_not_edited(editor):
    claim = make_claim(speaker=WRONG)
    services.claim_dismiss(claim=claim, user=editor, reason="opinion")
    with pytest.raises(services.WorkflowError):
        services.claim_edit(claim=claim, user=editor, speaker=RIGHT)
    claim.refresh_from_db()
    assert claim.speaker == WRONG


def test_a_published_claim_is_edited_by_a_publisher_with_a_note_published_as_a_correction(
    editor, publisher, partner,  # noqa: F811
):
    claim = publish(make_claim(speaker=WRONG, speaker_role="juru bicara"), editor, publisher)
    with pytest.raises(PermissionDenied):
        services.claim_edit(claim=claim, user=editor, speaker=RIGHT, note="Pembicara diperbaiki.")
    with pytest.raises(ValidationError, match="note"):
        services.claim_edit(claim=claim, user=publisher, speaker=RIGHT)
    claim.refresh_from_db()
    assert (claim.speaker, Correction.objects.count()) == (WRONG, 0)

    services.claim_edit(claim=claim, user=publisher, speaker=RIGHT, speaker_role="Menteri Pertahanan",
                        note="Klaim ini diucapkan Menteri Pertahanan, bukan juru bicara.")
    correction = Correction.objects.get()
    assert (correction.note, correction.corrected_by, correction.previous_rating, correction.verdict.rating) == (
        "Klaim ini diucapkan Menteri Pertahanan, bukan juru bicara.", publisher,
        claim.verdict.rating, claim.verdict.rating)
    # Partners hear of it as of any correction.
    assert WebhookDelivery.objects.filter(event="verdict.corrected", claim=claim).exists()


@pytest.fixture
def edited_published(editor, publisher):
    claim = make_claim(text="Korut memasok 1 juta peluru ke Rusia.", speaker=WRONG, speaker_role="juru bicara",
                       speaker_kind=SpeakerKind.PERSON)
    services.claim_assign(claim=claim, user=editor)
    services.claim_edit(claim=claim, user=editor, speaker=RIGHT, speaker_role="Menteri Pertahanan",
                        text="Korea Utara memasok satu juta peluru ke Rusia.", claimed_on=dt.date(2025, 10, 18))
    return publish(claim, editor, publisher, headline="Tidak ada bukti satu juta peluru")


def test_claimreview_names_the_edited_claim_speaker_and_date(edited_published):
    shown = selectors.published_claims().get(pk=edited_published.pk)
    review = claimreview.claim_review(shown)
    assert review["claimReviewed"] == "Korea Utara memasok satu juta peluru ke Rusia."
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": RIGHT, "jobTitle": "Menteri Pertahanan"}
    assert review["itemReviewed"]["datePublished"] == "2025-10-18"
    # Where it appeared is still the article, on the article's day.
    assert review["itemReviewed"]["appearance"][0]["datePublished"] == "2023-09-14"


def test_the_public_page_feed_and_api_show_the_edited_claim(client, edited_published):
    page = client.get(edited_published.get_absolute_url()).content.decode()
    assert "Korea Utara memasok satu juta peluru ke Rusia." in page
    assert RIGHT in page and WRONG not in page
    assert '<time datetime="2025-10-18">' in page
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["itemReviewed"]["author"]["name"] == RIGHT

    feed = client.get("/feeds/rss/").content.decode()
    assert "Korea Utara memasok satu juta peluru ke Rusia." in feed

    from rest_framework.test import APIClient

    from claims.models import Partner

    key = services.api_key_create(partner=Partner.objects.create(name="Reader"), scopes=["read"])[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    listed = api.get("/api/v1/claims/").json()["results"][0]
    one = api.get(f"/api/v1/claims/{edited_published.pk}/").json()
    for shown in (listed, one):
        assert (shown["text"], shown["speaker"], shown["speaker_role"], shown["claimed_on"]) == (
            "Korea Utara memasok satu juta peluru ke Rusia.", RIGHT, "Menteri Pertahanan", "2025-10-18")

    search = client.get("/claims/", {"speaker": "Prabowo"}).content.decode()
    assert "Tidak ada bukti satu juta peluru" in search


# Extraction never writes over an edit -----------------------------------------------


def _extracted(claim: Claim, **values) -> nlp.ExtractedClaim:
    return nlp.ExtractedClaim(**{
        "text": claim.article.body[claim.start:claim.end], "start": claim.start, "end": claim.end, "score": 0.9,
        "claim_type": "event", "language": "id", "speaker": "Extractor's new guess", "speaker_role": "pejabat",
        "speaker_kind": "person", **values,
    })


def test_extracting_the_article_again_never_writes_over_an_edit(editor):
    claim = edit(make_claim(speaker=WRONG), editor, speaker=RIGHT)  # still new: nobody assigned it
    assert claim.status == ClaimStatus.NEW
    before = Claim.objects.values().get(pk=claim.pk)

    result = services.claims_store(article=claim.article, extracted=[_extracted(claim)])
    assert result.kept == 1 and result.updated == 0
    assert Claim.objects.values().get(pk=claim.pk) == before

    # Nor does an extraction that no longer finds the claim remove it.
    result = services.claims_store(article=claim.article, extracted=[])
    assert result.removed == 0
    claim.refresh_from_db()
    assert (claim.speaker, claim.extracted["speaker"]) == (RIGHT, WRONG)


def test_a_claim_nobody_edited_is_still_updated_by_extraction(editor):
    claim = make_claim(speaker=WRONG)
    services.claims_store(article=claim.article, extracted=[_extracted(claim)])
    claim.refresh_from_db()
    assert claim.speaker == "Extractor's new guess"


def test_a_real_reextraction_keeps_the_edit(editor, submit_seed, django_capture_on_commit_callbacks):
    article = submit_seed().article
    claim = article.claims.order_by("-score").first()
    wording = f"{claim.text} (diperiksa)"
    edit(claim, editor, text=wording, speaker=RIGHT)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_reextract(article=article, user=editor)
    claim.refresh_from_db()
    assert (claim.text, claim.speaker) == (wording, RIGHT)


# The desk --------------------------------------------------------------------------


def test_an_editor_fixes_the_speaker_on_the_claims_page_and_sees_the_original_beside_it(client, editor):
    claim = make_claim(speaker=WRONG)
    services.claim_assign(claim=claim, user=editor)
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = _change_form_data(client.get(url))
    data["speaker"] = RIGHT
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.speaker, claim.extracted["speaker"], claim.edited_by) == (RIGHT, WRONG, editor)

    page = client.get(url)
    html = page.content.decode()
    assert page.context["adminform"].form.fields["speaker"].help_text == f"As extracted: {WRONG}"
    assert f'<li data-field="speaker">Speaker: <del>{WRONG}</del></li>' in html
    assert f"Speaker: {WRONG} → {RIGHT}" in html  # the timeline


def test_a_publisher_editing_a_published_claim_on_its_page_must_write_a_note(client, editor, publisher):
    claim = publish(make_claim(speaker=WRONG), editor, publisher)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    client.force_login(editor)
    assert "speaker" not in client.get(url).context["adminform"].form.fields  # shown, not editable

    client.force_login(publisher)
    data = _change_form_data(client.get(url))
    data["speaker"] = RIGHT
    page = client.post(url, data)
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "correction_note": ["Editing a published claim needs a note for readers."]}
    claim.refresh_from_db()
    assert claim.speaker == WRONG

    data["correction_note"] = "Pembicara diperbaiki."
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.speaker == RIGHT
    assert Correction.objects.get(verdict__claim=claim).note == "Pembicara diperbaiki."
    assert "Pembicara diperbaiki." in client.get(claim.get_absolute_url()).content.decode()


def test_the_indonesian_desk_names_the_edit_in_indonesian(client, editor):
    claim = make_claim(speaker=WRONG)
    services.claim_edit(claim=claim, user=editor, speaker=RIGHT)
    client.force_login(editor)
    client.post("/i18n/setlang/", {"language": "id", "next": "/admin/"})
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Seperti diekstrak" in html and "Linimasa" in html and "Diubah" in html
