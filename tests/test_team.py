"""Working as a team: assigning a claim to a colleague, internal notes, notices and email."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import selectors, services
from claims.choices import ClaimStatus
from claims.models import ClaimNote, Notice, Rating
from tests.test_public_pages import make_claim

pytestmark = pytest.mark.django_db

NOTE = "Cek ulang angka BPS 2023 sebelum terbit — internal-7f3a"


@pytest.fixture
def colleague(django_user_model):
    """A second fact-checker, with an email address for notices."""
    user = django_user_model.objects.create_user("sari", password="pw-sari-1", is_staff=True,
                                                 email="sari@newsroom.example")
    user.groups.set(Group.objects.filter(name="Editors"))
    return user


@pytest.fixture
def claim(db):
    return make_claim(text="Impor beras naik 40 persen pada 2024.")


def test_an_editor_assigns_a_claim_to_a_colleague_who_gets_a_notice_and_an_email(
    editor, colleague, claim, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(claim=claim, user=editor, assignee=colleague)
    claim.refresh_from_db()
    assert claim.assignee == colleague and claim.status == ClaimStatus.IN_REVIEW
    notice = Notice.objects.get()
    assert (notice.recipient, notice.actor, notice.kind, notice.read_at) == (colleague, editor, "assigned", None)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sari@newsroom.example"]
    assert "editor assigned you a claim" in email.subject
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in email.body
    assert claim.history.first().history_change_reason == "assigned to sari"


def test_assigning_oneself_sends_no_notice(editor, claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(claim=claim, user=editor)
    assert not Notice.objects.exists() and not mail.outbox


def test_a_mail_server_that_is_down_loses_the_email_not_the_assignment(
    editor, colleague, claim, settings, django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(claim=claim, user=editor, assignee=colleague)
    claim.refresh_from_db()
    assert claim.assignee == colleague
    assert Notice.objects.filter(recipient=colleague).count() == 1


def test_claims_go_only_to_active_editors_and_publishers(editor, publisher, colleague, staff_outsider, claim):
    assert list(selectors.desk_members()) == [editor, publisher, colleague]
    colleague.is_active = False
    colleague.save()
    assert colleague not in selectors.desk_members()
    for someone in (colleague, staff_outsider):
        with pytest.raises(ValidationError):
            services.claim_assign(claim=claim, user=editor, assignee=someone)
    with pytest.raises(PermissionDenied):
        services.claim_assign(claim=claim, user=staff_outsider, assignee=editor)
    assert not Notice.objects.exists()


def test_notes_need_an_editor_and_some_text(editor, staff_outsider, claim):
    with pytest.raises(PermissionDenied):
        services.note_add(claim=claim, user=staff_outsider, text=NOTE)
    with pytest.raises(ValidationError):
        services.note_add(claim=claim, user=editor, text="   ")
    with pytest.raises(ValidationError):
        services.note_add(claim=claim, user=editor, text="x" * (services.NOTE_MAX_CHARS + 1))
    assert not ClaimNote.objects.exists()


def test_a_note_tells_the_assignee_but_not_its_author(editor, colleague, claim, django_capture_on_commit_callbacks):
    services.claim_assign(claim=claim, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        services.note_add(claim=claim, user=colleague, text="my own reminder")
        services.note_add(claim=claim, user=editor, text=NOTE)
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind) == (colleague, "note")
    assert [m.subject for m in mail.outbox] == ["editor wrote a note on your claim"]


def test_a_note_keeps_a_claim_when_its_article_is_extracted_again(editor, submit_seed, django_capture_on_commit_callbacks):
    article = submit_seed().article
    claim = article.claims.filter(status=ClaimStatus.NEW, assignee=None).first()
    services.note_add(claim=claim, user=editor, text=NOTE)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_reextract(article=article, user=editor)
    assert ClaimNote.objects.filter(claim_id=claim.pk, text=NOTE).exists()


# The desk ---------------------------------------------------------------------------

def test_the_claim_page_assigns_to_a_colleague_and_the_colleague_sees_the_notice(
    client, editor, colleague, claim, django_capture_on_commit_callbacks,
):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert f'<option value="{colleague.pk}">sari</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:claims_claim_workflow", args=[claim.pk, "assign"]), {"assignee": colleague.pk})
    claim.refresh_from_db()
    assert claim.assignee == colleague

    client.force_login(colleague)
    home = client.get(reverse("admin:index")).content.decode()
    assert 'class="fc-count"' in home and ">1</span>" in home
    notices = client.get(reverse("admin:claims_claim_notices")).content.decode()
    assert "editor assigned you a claim" in notices and claim.text in notices
    # Seen: the badge is gone.
    assert 'class="fc-count"' not in client.get(reverse("admin:index")).content.decode()
    assert Notice.objects.get().read_at is not None


def test_opening_the_claim_marks_its_notices_read(client, editor, colleague, claim):
    services.claim_assign(claim=claim, user=editor, assignee=colleague)
    client.force_login(colleague)
    client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert Notice.objects.get().read_at is not None


def test_assigning_to_someone_outside_the_desk_is_refused_with_a_message(client, editor, staff_outsider, claim):
    client.force_login(editor)
    response = client.post(reverse("admin:claims_claim_workflow", args=[claim.pk, "assign"]),
                           {"assignee": staff_outsider.pk}, follow=True)
    assert response.status_code == 200
    assert "Choose an active editor or publisher" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee is None


def test_the_queue_assigns_ticked_claims_to_a_colleague(client, editor, colleague):
    claims = [make_claim(text=f"Klaim nomor {n} tentang impor.") for n in range(2)]
    client.force_login(editor)
    response = client.post(reverse("admin:claims_claim_changelist") + "?folded=all", {
        "action": "assign_to_editor", "assignee": colleague.pk, "_selected_action": [c.pk for c in claims],
    }, follow=True)
    assert "Assigned 2 claim(s) to sari." in response.content.decode()
    assert Notice.objects.filter(recipient=colleague).count() == 2


def test_notes_are_added_on_the_claim_page_and_escaped(client, editor, claim):
    client.force_login(editor)
    client.post(reverse("admin:claims_claim_note", args=[claim.pk]), {"text": "<script>alert(1)</script> " + NOTE})
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert NOTE in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    response = client.post(reverse("admin:claims_claim_note", args=[claim.pk]), {"text": ""}, follow=True)
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_staff_outside_the_newsroom_cannot_add_notes(client, staff_outsider, claim):
    client.force_login(staff_outsider)
    client.post(reverse("admin:claims_claim_note", args=[claim.pk]), {"text": NOTE})
    assert not ClaimNote.objects.exists()


def test_queue_and_claim_pages_stay_flat_with_notes_and_notices(client, editor, colleague):
    def queries(url: str) -> int:
        client.get(url)  # warm: content types, sessions
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    client.force_login(colleague)
    claim = make_claim(text="Klaim pertama tentang impor.")
    services.claim_assign(claim=claim, user=editor, assignee=colleague)
    services.note_add(claim=claim, user=editor, text=NOTE)
    queue = reverse("admin:claims_claim_changelist") + "?folded=all"
    page = reverse("admin:claims_claim_change", args=[claim.pk])
    few = (queries(queue), queries(page))
    for n in range(6):
        other = make_claim(text=f"Klaim nomor {n} tentang impor.")
        services.claim_assign(claim=other, user=editor, assignee=colleague)
        services.note_add(claim=claim, user=editor, text=f"{NOTE} {n}")
    assert (queries(queue), queries(page)) == few


# Never public -----------------------------------------------------------------------

def test_notes_are_never_public(client, editor, publisher, claim, django_capture_on_commit_callbacks, settings):
    settings.FACTCHECK_API_ANONYMOUS_READ = True
    services.claim_assign(claim=claim, user=editor)
    services.note_add(claim=claim, user=editor, text=NOTE)
    services.source_add(claim=claim, user=editor, url="https://bps.go.id/impor", stance="refutes")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.order_by("value").first(),
                           headline="Impor beras tidak naik 40 persen", summary="Data BPS menunjukkan lain.")
    with django_capture_on_commit_callbacks(execute=True):
        services.verdict_publish(claim=claim, user=publisher)
    claim.refresh_from_db()
    client.logout()
    for url in (claim.get_absolute_url(), "/", "/claims/", "/feeds/rss/", "/feeds/atom/",
                "/topics/ammunition/rss/", "/sitemap.xml", "/api/v1/claims/", f"/api/v1/claims/{claim.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert "internal-7f3a" not in response.content.decode(), url
    # Search finds the fact-check by its own words, never by a note's.
    assert claim.text in client.get("/claims/?q=impor").content.decode()
    assert claim.text not in client.get("/claims/?q=terbit").content.decode()
    assert len(client.get("/api/v1/claims/?q=impor").json()["results"]) == 1
    assert client.get("/api/v1/claims/?q=terbit").json()["results"] == []
    assert "Impor beras tidak naik" in client.get(claim.get_absolute_url()).content.decode()
