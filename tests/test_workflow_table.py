"""One table (claims/workflow.py) says which step may move a claim, by whom and from where;
the claim's page offers exactly those buttons and the services refuse the rest."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from claims import services
from claims.admin import ClaimAdmin
from claims.choices import ClaimStatus
from claims.models import Article, Claim, Rating
from claims.workflow import STEPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(db):
    article = Article.objects.create(title="T", body="Korut memasok 1 juta peluru ke Rusia.", content_hash="h")
    return Claim.objects.create(article=article, text=article.body, start=0, end=len(article.body), score=0.8)


def in_state(claim, status):
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    return claim


def _offered(user, claim) -> set[str]:
    request = RequestFactory().get(f"/admin/claims/claim/{claim.pk}/change/")
    request.user = user
    steps = ClaimAdmin(Claim, site)._claim_context(request, claim)["fc_steps"]
    return {name for name, shown in steps.items() if shown}


@pytest.mark.parametrize("status", list(ClaimStatus.values))
def test_a_claims_page_offers_the_steps_the_table_opens_to_the_user(status, claim, editor, publisher, outsider):
    claim = in_state(claim, status)
    for user, held in ((outsider, set()), (editor, {services.WORK_PERMISSION}),
                       (publisher, {services.WORK_PERMISSION, services.PUBLISH_PERMISSION})):
        expected = {name for name, step in STEPS.items()
                    if name in ClaimAdmin.BUTTONS and step.permission in held and status in step.sources}
        assert _offered(user, claim) == expected, (user.username, status)


def test_the_table_gives_each_state_its_buttons():
    """The table, read: what a publisher may do in each state."""
    both = {services.WORK_PERMISSION, services.PUBLISH_PERMISSION}
    from claims.workflow import steps_open

    offered = {s: steps_open(status=s, permissions=both) & set(ClaimAdmin.BUTTONS) for s in ClaimStatus.values}
    assert offered == {
        "new": {"assign", "dismiss", "duplicate"},
        "in_review": {"assign", "dismiss", "duplicate", "draft"},
        "verdict_drafted": {"draft", "publish"},
        "published": {"correct", "translate", "translation_publish"},
        "dismissed": set(),
        "duplicate": set(),
    }


def test_assigning_is_not_offered_to_whom_the_claim_is_assigned(claim, editor):
    services.claim_assign(claim=claim, user=editor)
    claim.refresh_from_db()
    assert "assign" not in _offered(editor, claim)
    assert "draft" in _offered(editor, claim)


def _attempt(step, claim, user, other):
    rating = Rating.objects.first()
    calls = {
        "assign": lambda: services.claim_assign(claim=claim, user=user),
        "dismiss": lambda: services.claim_dismiss(claim=claim, user=user, reason="opinion"),
        "duplicate": lambda: services.claim_mark_duplicate(claim=claim, user=user, original=other),
        "source": lambda: services.source_add(claim=claim, user=user, url="https://example.org/a"),
        "draft": lambda: services.verdict_draft(claim=claim, user=user, rating=rating, headline="H",
                                                summary="S"),
        "publish": lambda: services.verdict_publish(claim=claim, user=user),
        "correct": lambda: services.verdict_correct(claim=claim, user=user, rating=rating, summary="S",
                                                    note="N"),
        "edit": lambda: services.claim_edit(claim=claim, user=user, speaker="Menteri Pertahanan"),
        "edit_published": lambda: services.claim_edit(claim=claim, user=user, speaker="Menteri Pertahanan",
                                                      note="Pembicara diperbaiki."),
        "translate": lambda: services.verdict_translate(claim=claim, user=user, language="en", headline="H",
                                                        summary="S"),
        "translation_publish": lambda: services.verdict_translation_publish(claim=claim, user=user, language="en"),
    }
    return calls[step]()


@pytest.mark.parametrize("step", ["assign", "dismiss", "duplicate", "source", "draft", "publish", "correct",
                                  "translate", "translation_publish"])
def test_the_services_refuse_a_step_from_any_state_the_table_does_not_list(step, claim, publisher):
    other = Claim.objects.create(article=claim.article, text="x", start=0, end=1, score=0.5)
    closed = [s for s in ClaimStatus.values if s not in STEPS[step].sources]
    assert closed
    for status in closed:
        in_state(claim, status)
        with pytest.raises(services.WorkflowError, match="this step needs it to be"):
            _attempt(step, claim, publisher, other)
        claim.refresh_from_db()
        assert claim.status == status


@pytest.mark.parametrize("step", ["assign", "dismiss", "duplicate", "source"])
def test_the_services_take_a_step_from_each_state_the_table_lists(step, claim, editor):
    other = Claim.objects.create(article=claim.article, text="x", start=0, end=1, score=0.5)
    for status in STEPS[step].sources:
        in_state(claim, status)
        _attempt(step, claim, editor, other)
        claim.refresh_from_db()
        assert claim.status == (STEPS[step].target or
                                (ClaimStatus.IN_REVIEW if status == ClaimStatus.NEW else status))


@pytest.mark.parametrize("step", [name for name, s in STEPS.items() if name != "source_edit"])
def test_the_services_refuse_a_user_without_the_steps_permission(step, claim, outsider, editor):
    from django.core.exceptions import PermissionDenied

    other = Claim.objects.create(article=claim.article, text="x", start=0, end=1, score=0.5)
    in_state(claim, STEPS[step].sources[0])
    users = [outsider] + ([editor] if STEPS[step].permission == services.PUBLISH_PERMISSION else [])
    for user in users:
        with pytest.raises(PermissionDenied):
            _attempt(step, claim, user, other)
