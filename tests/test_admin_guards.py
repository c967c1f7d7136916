"""No admin screen changes a claim's state or published text except through the services.

Issue 17, failure 1: an Editor (no publish permission) used the history "Revert" of a
published claim to put it back in review, drafted new text, and reverted it to published:
the public page and ClaimReview showed the Editor's words with no correction, no webhook
and dateModified unchanged. Each test here walks one such path as a desk user would.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from claims import claimreview, selectors, services
from claims.admin import ClaimAdmin
from claims.choices import ClaimStatus, JobStatus
from claims.models import (
    Claim,
    Correction,
    ExtractionJob,
    Partner,
    Rating,
    Source,
    Topic,
    Verdict,
    WebhookDelivery,
)
from tests.test_public_pages import make_claim, publish

pytestmark = pytest.mark.django_db

EDITOR_TEXT = "Editor's own headline, never approved"
WORKFLOW_FIELDS = {"status", "assignee", "duplicate_of", "dismiss_reason"}
VERDICT_FIELDS = {"rating", "headline", "summary", "rationale", "published_at", "drafted_by", "published_by"}


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Mitra", webhook_url="https://partner.example/hook", webhook_secret="s")


@pytest.fixture
def published(editor, publisher, partner):
    """A published fact-check; its webhook to the partner is queued (a WebhookDelivery row)."""
    return publish(make_claim(), editor, publisher, headline="Klaim satu juta peluru tidak benar")


def _public_state(claim: Claim) -> dict:
    """What readers and partners see of a claim: its ClaimReview and its verdict row."""
    shown = selectors.published_claims().filter(pk=claim.pk).first()
    verdict = Verdict.objects.get(claim=claim)
    return {
        "claim_review": claimreview.claim_review(shown) if shown else None,
        "verdict": (verdict.rating_id, verdict.headline, verdict.summary, verdict.rationale,
                    verdict.published_at, verdict.drafted_by_id, verdict.published_by_id),
        "status": Claim.objects.get(pk=claim.pk).status,
        "corrections": Correction.objects.filter(verdict__claim=claim).count(),
    }


def _history_url(claim: Claim, status: str) -> str:
    record = claim.history.filter(status=status).order_by("-history_date").first()
    return reverse("admin:claims_claim_simple_history", args=[claim.pk, record.history_id])


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_the_history_revert_cannot_republish_new_text(role, request, client, published, partner):
    """The exact attack from the issue, as an Editor and as a Publisher."""
    user = request.getfixturevalue(role)
    assert not user.is_superuser and user.groups.filter(name__in=["Editors", "Publishers"]).exists()
    client.force_login(user)
    before = _public_state(published)
    deliveries = WebhookDelivery.objects.count()
    topic, another = Topic.objects.exclude(claims=published)[:2]

    revert_to_review = _history_url(published, ClaimStatus.IN_REVIEW)
    revert_to_published = _history_url(published, ClaimStatus.PUBLISHED)

    # 1. Revert the published claim to its in_review record, a topic ticked so the form "changed".
    first = client.post(revert_to_review, {"topics": [topic.pk], "_save": "Revert"})
    # 2. Draft new text over the published verdict.
    client.post(reverse("admin:claims_claim_workflow", args=[published.pk, "draft"]), {
        "rating": Rating.objects.get(label_id="Benar").pk,
        "headline": EDITOR_TEXT, "summary": EDITOR_TEXT, "rationale": EDITOR_TEXT,
    })
    # 3. Revert to the published record (another topic ticked, so that this form too "changed").
    last = client.post(revert_to_published, {"topics": [topic.pk, another.pk], "_save": "Revert"})

    assert _public_state(published) == before
    assert (first.status_code, last.status_code) == (405, 405)
    assert WebhookDelivery.objects.count() == deliveries
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert EDITOR_TEXT not in page.content.decode()
    assert "Klaim satu juta peluru tidak benar" in page.content.decode()


def test_the_history_stays_readable_and_offers_no_revert(client, editor, published):
    client.force_login(editor)
    listing = client.get(reverse("admin:claims_claim_history", args=[published.pk]))
    assert listing.status_code == 200
    assert len(listing.context["page_obj"]) == published.history.count() == 4
    page = client.get(_history_url(published, ClaimStatus.IN_REVIEW))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Revert"' not in html
    form = page.context["adminform"].form
    assert not form.fields, f"the history page offers fields to edit: {sorted(form.fields)}"
    assert "In review" in html  # the old status is shown


def test_every_history_view_refuses_to_write(rf_admin_users):
    """Whatever model has a history screen, posting to a record of it changes nothing."""
    history_admins = [ma for ma in admin.site._registry.values() if isinstance(ma, SimpleHistoryAdmin)]
    assert {ma.model for ma in history_admins} >= {Claim}
    factory = RequestFactory()
    for model_admin in history_admins:
        for user in rf_admin_users:
            request = factory.post("/", {"_save": "Revert"})
            request.user = user
            response = model_admin.history_form_view(request, "1", "1")
            assert response.status_code == 405, (model_admin, user)
            assert model_admin.revert_disabled(request) is True


@pytest.fixture
def rf_admin_users(editor, publisher, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw-root-1")
    return [editor, publisher, root]


def test_a_published_verdict_is_never_redrafted(editor, published):
    """Whatever reopened the claim, the published text changes only by a correction."""
    Claim.objects.filter(pk=published.pk).update(status=ClaimStatus.IN_REVIEW)
    before = _public_state(published)["verdict"]
    with pytest.raises(services.WorkflowError, match="correction"):
        services.verdict_draft(claim=published, user=editor, rating=Rating.objects.get(label_id="Benar"),
                               headline=EDITOR_TEXT, summary=EDITOR_TEXT)
    assert _public_state(published)["verdict"] == before


def _change_form_data(client, url: str) -> dict:
    from tests.test_review_queue import _change_form_data as unchanged

    return unchanged(client.get(url))


def test_the_claim_form_never_writes_workflow_fields(client, editor, publisher):
    claim = make_claim()
    services.claim_assign(claim=claim, user=editor)
    other = make_claim(text="Harga beras naik 12 persen.")
    client.force_login(publisher)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = _change_form_data(client, url)
    data.update({
        "topics": [t.pk for t in Topic.objects.all()[:2]],
        "status": ClaimStatus.PUBLISHED, "assignee": publisher.pk, "duplicate_of": other.pk,
        "dismiss_reason": "x", "text": EDITOR_TEXT,
        "verdict-TOTAL_FORMS": 1, "verdict-0-headline": EDITOR_TEXT, "verdict-0-summary": EDITOR_TEXT,
        "verdict-0-rating": Rating.objects.first().pk, "verdict-0-claim": claim.pk,
    })
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.duplicate_of, claim.dismiss_reason) == (
        ClaimStatus.IN_REVIEW, editor, None, "")
    # The wording is an editor's to correct (services.claim_edit); the extractor's stays on record.
    assert (claim.text, claim.extracted["text"]) == (EDITOR_TEXT, "Korut memasok 1 juta peluru ke Rusia.")
    assert not Verdict.objects.filter(claim=claim).exists()
    assert claim.topics.count() == 2  # the one field the form is for


def test_saving_the_claim_form_does_not_undo_a_step_taken_meanwhile(client, editor, publisher, monkeypatch):
    """The form was read before a step committed; saving it must not write the old status back."""
    claim = make_claim()
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = _change_form_data(client, url)
    data["topics"] = [t.pk for t in Topic.objects.all()[:2]]
    real_save_form = ClaimAdmin.save_form

    def dismiss_meanwhile(self, request, form, change):
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.DISMISSED, dismiss_reason="Opinion")
        return real_save_form(self, request, form, change)

    monkeypatch.setattr(ClaimAdmin, "save_form", dismiss_meanwhile)
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.dismiss_reason) == (ClaimStatus.DISMISSED, "Opinion")
    assert claim.history.latest().status == ClaimStatus.DISMISSED


def test_no_claim_form_offers_workflow_or_verdict_fields(editor, publisher, published):
    """For each desk role: the claim's form and its inlines edit no state and no verdict text."""
    model_admin = admin.site._registry[Claim]
    for user in (editor, publisher):
        request = RequestFactory().get("/")
        request.user = user
        form = model_admin.get_form(request, published)
        assert not (set(form.base_fields) & WORKFLOW_FIELDS), user
        # A published claim's wording is corrected by a publisher only, with a note for readers.
        assert ({"text", "correction_note"} <= set(form.base_fields)) == (user == publisher), user
        for inline in model_admin.get_inline_instances(request, published):
            fields = set(inline.get_formset(request, published).form.base_fields)
            if inline.model is Verdict:
                assert not (fields & VERDICT_FIELDS), user
        assert model_admin.list_editable == ()
        assert "delete_selected" not in model_admin.get_actions(request)


def test_topics_of_a_published_claim_are_shown_not_edited(client, editor, published):
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[published.pk])
    before = set(published.topics.values_list("pk", flat=True))
    data = _change_form_data(client, url)
    data["topics"] = list(Topic.objects.exclude(pk__in=before).values_list("pk", flat=True)[:2])
    client.post(url, data)
    assert set(published.topics.values_list("pk", flat=True)) == before


def test_a_source_of_a_published_claim_cannot_be_edited(editor, published):
    source = Source.objects.filter(claim=published).first()
    with pytest.raises(services.WorkflowError):
        services.source_update(source=source, user=editor, quote=EDITOR_TEXT)
    source.refresh_from_db()
    assert source.quote != EDITOR_TEXT


def test_editing_a_source_needs_the_editor_role(claim_in_review, staff_outsider):
    source = services.source_add(claim=claim_in_review[0], user=claim_in_review[1], url="https://a.example/x")
    with pytest.raises(PermissionDenied):
        services.source_update(source=source, user=staff_outsider, title=EDITOR_TEXT)
    source.refresh_from_db()
    assert source.title == ""


@pytest.fixture
def claim_in_review(editor):
    claim = make_claim()
    services.claim_assign(claim=claim, user=editor)
    return claim, editor


def test_a_source_is_edited_on_the_claim_page_through_the_service(client, claim_in_review, monkeypatch):
    claim, editor = claim_in_review
    source = services.source_add(claim=claim, user=editor, url="https://a.example/x", title="Lama")
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url)
    data = _change_form_data(client, url)
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is Source)
    data.update({f"{prefix}-0-id": source.pk, f"{prefix}-0-claim": claim.pk, f"{prefix}-0-url": source.url,
                 f"{prefix}-0-title": "Baru", f"{prefix}-0-stance": "supports"})
    calls = []
    real = services.source_update

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "source_update", spy)
    assert client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert (source.title, source.stance, len(calls)) == ("Baru", "supports", 1)


def test_the_job_form_changes_nothing(client, editor):
    claim = make_claim()
    job = ExtractionJob.objects.create(article=claim.article, status=JobStatus.SUCCEEDED,
                                       fetch_url="https://news.example/a")
    client.force_login(editor)
    url = reverse("admin:claims_extractionjob_change", args=[job.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"fetch_url": "https://elsewhere.example/b", "status": JobStatus.QUEUED})
    job.refresh_from_db()
    assert (job.fetch_url, job.status) == ("https://news.example/a", JobStatus.SUCCEEDED)


def test_a_rating_in_published_use_keeps_its_meaning(client, publisher, published):
    """Renaming "Keliru" to "Benar" would change every published verdict rated with it."""
    rating = published.verdict.rating
    before = _public_state(published)["claim_review"]
    client.force_login(publisher)
    url = reverse("admin:claims_rating_change", args=[rating.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"label_en": "True", "label_id": "Benar sekali", "value": 5, "best": 5, "worst": 1,
                      "colour": "#00ff00", "description_en": "d", "description_id": "d"})
    rating.refresh_from_db()
    assert (rating.label_en, rating.label_id, rating.value) == ("False", "Keliru",
                                                                before["reviewRating"]["ratingValue"])
    assert _public_state(published)["claim_review"]["reviewRating"] == before["reviewRating"]
    assert rating.colour == "#00ff00"  # how it looks may still change


def test_a_rating_nobody_published_with_can_still_be_renamed(client, publisher):
    rating = Rating.objects.create(label_en="New", label_id="Baru", value=3)
    client.force_login(publisher)
    url = reverse("admin:claims_rating_change", args=[rating.pk])
    response = client.post(url, {"label_en": "Newer", "label_id": "Lebih baru", "value": 3, "best": 5, "worst": 1,
                                 "colour": "#777777", "description_en": "", "description_id": ""})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.label_en, rating.label_id) == ("Newer", "Lebih baru")


def test_corrections_are_never_deleted_from_the_admin(client, published, publisher, django_user_model):
    correction = services.verdict_correct(claim=published, user=publisher, rating=published.verdict.rating,
                                          summary="Baru.", note="Kami menemukan data baru.")
    root = django_user_model.objects.create_superuser("root", password="pw-root-1")
    for user in (publisher, root):
        client.force_login(user)
        response = client.post(reverse("admin:claims_correction_delete", args=[correction.pk]), {"post": "yes"})
        assert response.status_code == 403
        client.post(reverse("admin:claims_correction_changelist"),
                    {"action": "delete_selected", "_selected_action": [correction.pk], "post": "yes"})
    assert Correction.objects.filter(pk=correction.pk).exists()


def test_groups_have_no_permission_to_write_verdicts_or_corrections_directly():
    for name in ("Editors", "Publishers"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert not codenames & {"add_verdict", "change_verdict", "delete_verdict", "add_correction",
                                "change_correction", "delete_correction", "delete_claim", "add_claim"}, name


def test_an_articles_history_is_readable_and_read_only(client, editor, published):
    article = published.article
    article.title = "Judul baru"
    article.save()
    client.force_login(editor)
    record = article.history.order_by("history_date").first()
    url = reverse("admin:claims_article_simple_history", args=[article.pk, record.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["adminform"].form.fields
    assert client.post(url, {"title": "Lagi"}).status_code == 405
    article.refresh_from_db()
    assert article.title == "Judul baru"


def test_an_article_with_a_published_fact_check_keeps_its_description(client, published, django_user_model):
    """Its title, outlet, address and date are in the published ClaimReview."""
    root = django_user_model.objects.create_superuser("root", password="pw-root-1")
    client.force_login(root)
    article = published.article
    before = _public_state(published)["claim_review"]["itemReviewed"]
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.post(url, {"title": EDITOR_TEXT, "outlet": "Elsewhere", "author": "x", "url": "https://other.example/",
                      "published_at_0": "2020-01-01", "published_at_1": "00:00:00", "language": "en",
                      "submissions-TOTAL_FORMS": 0, "submissions-INITIAL_FORMS": 0,
                      "jobs-TOTAL_FORMS": 0, "jobs-INITIAL_FORMS": 0,
                      "claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0})
    article.refresh_from_db()
    assert article.title != EDITOR_TEXT
    assert _public_state(published)["claim_review"]["itemReviewed"] == before


def test_an_article_nobody_published_from_can_still_be_described(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw-root-1")
    client.force_login(root)
    article = make_claim().article
    url = reverse("admin:claims_article_change", args=[article.pk])
    assert client.get(url).context["adminform"].form.fields.keys() >= {"title", "outlet"}
