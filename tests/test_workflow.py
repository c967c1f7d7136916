"""The review workflow services: who may do what, and in which state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.choices import ClaimStatus
from claims.models import Article, Claim, Correction, Rating, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(db):
    article = Article.objects.create(title="T", body="Korut memasok 1 juta peluru ke Rusia.", content_hash="h")
    return Claim.objects.create(article=article, text=article.body, start=0, end=len(article.body), score=0.8)


@pytest.fixture
def false_rating(db):
    return Rating.objects.get(label_id="Keliru")


def in_state(claim, status, **extra):
    Claim.objects.filter(pk=claim.pk).update(status=status, **extra)
    claim.refresh_from_db()
    return claim


def drafted(claim, editor, rating):
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://example.org/a", stance="refutes")
    services.verdict_draft(claim=claim, user=editor, rating=rating, headline="Tidak benar",
                           summary="Data menunjukkan sebaliknya.")
    claim.refresh_from_db()
    return claim


def test_groups_ship_with_their_permissions(editor, publisher):
    assert editor.has_perm(services.WORK_PERMISSION)
    assert not editor.has_perm(services.PUBLISH_PERMISSION)
    assert publisher.has_perm(services.WORK_PERMISSION)
    assert publisher.has_perm(services.PUBLISH_PERMISSION)


def test_the_whole_path_from_new_to_published(claim, editor, publisher, false_rating):
    claim = drafted(claim, editor, false_rating)
    assert claim.status == ClaimStatus.VERDICT_DRAFTED and claim.assignee == editor
    verdict = services.verdict_publish(claim=claim, user=publisher)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert verdict.published_at is not None
    statuses = list(claim.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["new", "in_review", "verdict_drafted", "published"]
    assert claim.history.latest().history_change_reason == "published by publisher"


@pytest.mark.parametrize("step", ["assign", "dismiss", "duplicate", "source", "draft"])
def test_work_steps_refuse_users_without_the_editor_role(step, claim, staff_outsider, outsider, false_rating):
    other = Claim.objects.create(article=claim.article, text="x", start=0, end=1)
    calls = {
        "assign": lambda u: services.claim_assign(claim=claim, user=u),
        "dismiss": lambda u: services.claim_dismiss(claim=claim, user=u, reason="opinion"),
        "duplicate": lambda u: services.claim_mark_duplicate(claim=claim, user=u, original=other),
        "source": lambda u: services.source_add(claim=claim, user=u, url="https://example.org"),
        "draft": lambda u: services.verdict_draft(claim=claim, user=u, rating=false_rating,
                                                  headline="h", summary="s"),
    }
    for user in (staff_outsider, outsider, None):
        with pytest.raises(PermissionDenied):
            calls[step](user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NEW and not Source.objects.exists()


def test_an_editor_cannot_publish_or_correct(claim, editor, false_rating):
    claim = drafted(claim, editor, false_rating)
    with pytest.raises(PermissionDenied):
        services.verdict_publish(claim=claim, user=editor)
    with pytest.raises(PermissionDenied):
        services.verdict_correct(claim=claim, user=editor, rating=false_rating, summary="s", note="n")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED


def test_an_inactive_publisher_cannot_publish(claim, editor, publisher, false_rating):
    claim = drafted(claim, editor, false_rating)
    publisher.is_active = False
    publisher.save()
    with pytest.raises(PermissionDenied):
        services.verdict_publish(claim=claim, user=publisher)


@pytest.mark.parametrize("status", [ClaimStatus.VERDICT_DRAFTED, ClaimStatus.PUBLISHED,
                                    ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE])
def test_closed_claims_cannot_be_assigned_dismissed_or_duplicated(status, claim, editor):
    other = Claim.objects.create(article=claim.article, text="x", start=0, end=1)
    claim = in_state(claim, status)
    for step in (lambda: services.claim_assign(claim=claim, user=editor),
                 lambda: services.claim_dismiss(claim=claim, user=editor, reason="opinion"),
                 lambda: services.claim_mark_duplicate(claim=claim, user=editor, original=other)):
        with pytest.raises(ValidationError, match="this step needs it to be"):
            step()
    claim.refresh_from_db()
    assert claim.status == status


def test_a_verdict_needs_the_claim_in_review(claim, editor, false_rating):
    with pytest.raises(ValidationError, match="is new"):
        services.verdict_draft(claim=claim, user=editor, rating=false_rating, headline="h", summary="s")


def test_publishing_needs_a_drafted_verdict_and_a_source(claim, editor, publisher, false_rating):
    services.claim_assign(claim=claim, user=editor)
    with pytest.raises(ValidationError, match="verdict drafted"):
        services.verdict_publish(claim=claim, user=publisher)
    services.verdict_draft(claim=claim, user=editor, rating=false_rating, headline="h", summary="s")
    with pytest.raises(ValidationError, match="at least one source"):
        services.verdict_publish(claim=claim, user=publisher)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED
    assert claim.verdict.published_at is None


def test_sources_cannot_be_added_to_dismissed_or_published_claims(claim, editor):
    for status in (ClaimStatus.DISMISSED, ClaimStatus.PUBLISHED, ClaimStatus.DUPLICATE):
        in_state(claim, status)
        with pytest.raises(ValidationError):
            services.source_add(claim=claim, user=editor, url="https://example.org")
    assert not Source.objects.exists()


def test_a_bad_source_url_is_refused_and_nothing_changes(claim, editor):
    with pytest.raises(ValidationError):
        services.source_add(claim=claim, user=editor, url="javascript:alert(1)")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NEW and not Source.objects.exists()


def test_adding_a_source_starts_the_review(claim, editor):
    services.source_add(claim=claim, user=editor, url="https://example.org", stance="supports")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW and claim.assignee == editor
    assert Source.objects.get().added_by == editor


def test_dismissing_needs_a_reason(claim, editor):
    with pytest.raises(ValidationError, match="Say why"):
        services.claim_dismiss(claim=claim, user=editor, reason=" ")
    services.claim_dismiss(claim=claim, user=editor, reason="opinion")
    claim.refresh_from_db()
    assert (claim.status, claim.dismiss_reason) == (ClaimStatus.DISMISSED, "Opinion")


def test_a_duplicate_points_at_the_root_claim(claim, editor):
    first = Claim.objects.create(article=claim.article, text="a", start=0, end=1)
    second = Claim.objects.create(article=claim.article, text="b", start=1, end=2)
    services.claim_mark_duplicate(claim=second, user=editor, original=first)
    second.refresh_from_db()
    services.claim_mark_duplicate(claim=claim, user=editor, original=second)
    claim.refresh_from_db()
    assert claim.duplicate_of == first and claim.status == ClaimStatus.DUPLICATE
    with pytest.raises(ValidationError, match="itself"):
        services.claim_mark_duplicate(claim=first, user=editor, original=first)


def test_claims_are_only_assigned_to_editors(claim, editor, staff_outsider):
    with pytest.raises(ValidationError, match="only be assigned to editors"):
        services.claim_assign(claim=claim, user=editor, assignee=staff_outsider)


def test_a_correction_keeps_the_earlier_verdict(claim, editor, publisher, false_rating):
    claim = drafted(claim, editor, false_rating)
    services.verdict_publish(claim=claim, user=publisher)
    misleading = Rating.objects.get(label_id="Menyesatkan")
    with pytest.raises(ValidationError, match="note"):
        services.verdict_correct(claim=claim, user=publisher, rating=misleading, summary="s", note="")
    correction = services.verdict_correct(
        claim=claim, user=publisher, rating=misleading, summary="Sebagian data benar.",
        note="Kami menemukan data baru dari Kementerian Pertahanan.",
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.verdict.rating == misleading
    assert correction.previous_rating == false_rating
    assert correction.previous_summary == "Data menunjukkan sebaliknya."
    assert Correction.objects.filter(verdict=claim.verdict).count() == 1
    assert claim.verdict.history.count() >= 3


def test_a_correction_needs_a_published_verdict(claim, editor, publisher, false_rating):
    claim = drafted(claim, editor, false_rating)
    with pytest.raises(ValidationError, match="this step needs it to be"):
        services.verdict_correct(claim=claim, user=publisher, rating=false_rating, summary="s", note="n")
