"""The review queue and a claim's page in the admin, as editors and publishers use them."""

import pytest
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus
from claims.models import Article, Claim, Rating, Source, Topic

pytestmark = pytest.mark.django_db
QUEUE = "admin:claims_claim_changelist"


@pytest.fixture
def claims(db):
    article = Article.objects.create(title="Senjata", body="Satu. Dua. Tiga. Empat.", content_hash="h",
                                     outlet="RIAU24.COM")
    arms = Topic.objects.get(slug="arms-deals")
    made = []
    for i, (text, score, status) in enumerate([
        ("Satu.", 0.9, ClaimStatus.NEW), ("Dua.", 0.6, ClaimStatus.IN_REVIEW),
        ("Tiga.", 0.3, ClaimStatus.NEW), ("Empat.", 0.95, ClaimStatus.DISMISSED),
    ]):
        start = article.body.index(text)
        claim = Claim.objects.create(article=article, text=text, start=start, end=start + len(text),
                                     score=score, status=status, entity_names="North Korea; Russia" if i == 0 else "")
        made.append(claim)
    made[0].topics.add(arms)
    return made


def shown(client, query: str = "") -> list[str]:
    page = client.get(reverse(QUEUE) + query)
    assert page.status_code == 200
    return [c.text for c in page.context["cl"].result_list]


def test_the_queue_shows_open_claims_best_first(client, editor, claims):
    client.force_login(editor)
    assert shown(client) == ["Satu.", "Dua."]  # "Tiga." (0.3) is below the cut, folded
    assert shown(client, "?folded=all") == ["Satu.", "Dua.", "Tiga."]
    assert shown(client, "?status=all") == ["Empat.", "Satu.", "Dua.", "Tiga."]
    assert shown(client, "?status=dismissed") == ["Empat."]


def test_the_queue_filters(client, editor, claims):
    client.force_login(editor)
    services.claim_assign(claim=claims[2], user=editor)
    Source.objects.create(claim=claims[1], url="https://example.org")
    assert shown(client, "?assignee=mine") == ["Tiga."]
    assert shown(client, "?assignee=unassigned") == ["Satu.", "Dua."]
    assert shown(client, f"?topics__id__exact={Topic.objects.get(slug='arms-deals').pk}") == ["Satu."]
    assert shown(client, "?sourced=yes") == ["Dua."]
    assert shown(client, "?score=high") == ["Satu."]
    assert shown(client, "?score=low") == ["Tiga."]
    assert shown(client, "?outlet=RIAU24.COM") == ["Satu.", "Dua."]
    assert shown(client, "?outlet=RIAU24.COM&folded=all") == ["Satu.", "Dua.", "Tiga."]


def test_the_queue_searches_entities_and_article_titles(client, editor, claims):
    client.force_login(editor)
    assert shown(client, "?q=North+Korea") == ["Satu."]
    # A search looks through every status (the dismissed "Empat." too) unless one is chosen.
    assert shown(client, "?q=Senjata") == ["Empat.", "Satu.", "Dua.", "Tiga."]
    assert shown(client, "?q=Senjata&status=open") == ["Satu.", "Dua.", "Tiga."]


def test_each_row_shows_the_reasons_on_hover(client, editor, claims):
    Claim.objects.filter(pk=claims[0].pk).update(reasons=["number", "named actor"])
    client.force_login(editor)
    html = client.get(reverse(QUEUE)).content.decode()
    assert 'title="number; named actor"' in html


def test_bulk_assign_dismiss_and_duplicate(client, editor, claims):
    client.force_login(editor)
    url = reverse(QUEUE)
    client.post(url, {"action": "assign_to_me", "_selected_action": [claims[0].pk]})
    client.post(url, {"action": "dismiss", "reason": "opinion", "_selected_action": [claims[2].pk]})
    client.post(url, {"action": "mark_duplicate", "_selected_action": [claims[0].pk, claims[1].pk]})
    for claim in claims:
        claim.refresh_from_db()
    assert (claims[0].status, claims[0].assignee) == (ClaimStatus.IN_REVIEW, editor)
    assert (claims[2].status, claims[2].dismiss_reason) == (ClaimStatus.DISMISSED, "Opinion")
    assert (claims[1].status, claims[1].duplicate_of) == (ClaimStatus.DUPLICATE, claims[0])


def test_dismiss_without_a_reason_changes_nothing(client, editor, claims):
    client.force_login(editor)
    client.post(reverse(QUEUE), {"action": "dismiss", "reason": "", "_selected_action": [claims[0].pk]})
    claims[0].refresh_from_db()
    assert claims[0].status == ClaimStatus.NEW


def test_a_claim_page_shows_it_in_its_article_with_the_next_steps(client, editor, claims):
    client.force_login(editor)
    html = client.get(reverse("admin:claims_claim_change", args=[claims[0].pk])).content.decode()
    assert 'class="fc-claim fc-current"' in html
    assert "Other claims in this article" in html
    assert "Assign to me" in html
    assert "Publish verdict" not in html


def workflow(client, claim, step, **data):
    return client.post(reverse("admin:claims_claim_workflow", args=[claim.pk, step]), data)


def test_editor_and_publisher_take_a_claim_to_publication_in_the_admin(client, editor, publisher, claims):
    claim = claims[0]
    rating = Rating.objects.get(label_id="Keliru")
    client.force_login(editor)
    workflow(client, claim, "assign")
    services.source_add(claim=claim, user=editor, url="https://example.org/data")
    workflow(client, claim, "draft", rating=rating.pk, headline="Keliru", summary="Tidak sesuai data.")
    workflow(client, claim, "publish")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_DRAFTED  # the editor may not publish

    client.force_login(publisher)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Publish verdict" in html
    workflow(client, claim, "publish")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    workflow(client, claim, "correct", rating=Rating.objects.get(label_id="Menyesatkan").pk,
             headline="Menyesatkan", summary="Sebagian benar.", note="Data baru.")
    claim.refresh_from_db()
    assert claim.verdict.rating.label_id == "Menyesatkan"
    assert claim.verdict.headline == "Menyesatkan"
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Data baru." in html and "History" in html
    # The desk speaks English here: the one scale names the ratings in English.
    assert "Rating changed from False to Misleading; headline changed; summary changed." in html


def test_workflow_steps_only_accept_post(client, editor, claims):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_workflow", args=[claims[0].pk, "assign"]))
    assert response.status_code == 405


def test_a_user_without_a_role_cannot_open_the_queue(client, staff_outsider, claims):
    client.force_login(staff_outsider)
    assert client.get(reverse(QUEUE)).status_code == 403
    workflow(client, claims[0], "assign")
    claims[0].refresh_from_db()
    assert claims[0].status == ClaimStatus.NEW


def test_the_dashboard_counts_the_desk(client, editor, claims):
    client.force_login(editor)
    page = client.get(reverse("admin:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The desk today" in html
    assert "Oldest unreviewed claim" in html
    assert "Verdicts published per week" in html


def test_the_admin_speaks_indonesian(client, editor, claims):
    client.force_login(editor)
    html = client.get(reverse(QUEUE), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'lang="id"' in html
    assert "Tugaskan ke saya" in html
    html = client.get(reverse("admin:claims_claim_change", args=[claims[0].pk]),
                      HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Klaim lain dalam artikel ini" in html


def test_the_language_switch_changes_the_admin_language(client, editor, claims):
    client.force_login(editor)
    client.post(reverse("set_language"), {"language": "id", "next": reverse(QUEUE)})
    assert "Tugaskan ke saya" in client.get(reverse(QUEUE)).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse(QUEUE)})
    assert "Assign to me" in client.get(reverse(QUEUE)).content.decode()


def _change_form_data(page) -> dict:
    """What the claim's change form posts unchanged: its fields and every inline's management form."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form.initial.get(name)
        if value is not None:
            data[name] = [v.pk if hasattr(v, "pk") else v for v in value] if isinstance(value, list) else value
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def test_adding_a_source_on_the_claim_page_goes_through_the_service(client, editor, claims):
    claim = claims[1]
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = _change_form_data(client.get(url))
    data.update({
        "sources-TOTAL_FORMS": 1,
        "sources-0-url": "https://bps.go.id/laporan", "sources-0-title": "Laporan BPS",
        "sources-0-stance": "refutes", "sources-0-claim": claim.pk,
        "_continue": "1",
    })
    history_before = claim.history.count()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    source = Source.objects.get(claim=claim)
    assert (source.added_by, source.stance, source.checked_at is not None) == (editor, "refutes", True)
    assert claim.history.count() == history_before  # no empty "changed" record for the claim
