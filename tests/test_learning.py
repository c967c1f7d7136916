"""Learning from the desk: editor decisions become labels, the newsroom's layer is refitted
from them and switched in only when it measures better, and new claims are scored with it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from claims import nlp, services
from claims.choices import ClaimStatus
from claims.models import Article, Claim, Rating, ScorerLayer, Verdict
from claims.nlp import newsroom_layer
from claims.tasks import learn_from_decisions
from tests.test_settings import django_run

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=60)


def _article(n: int) -> Article:
    return Article.objects.create(title=f"A{n}", body="x" * 200, content_hash=f"h{n}", language="id")


def _claim(article: Article, start: int, **fields) -> Claim:
    values = {"text": "x", "start": start, "end": start + 1, "score": 0.8, "language": "id", **fields}
    return Claim.objects.create(article=article, **values)


def _decide(claim: Claim, label: int, at) -> None:
    """A decision as the desk leaves it: a published verdict, or a dismissal as not check-worthy."""
    if label:
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PUBLISHED)
        Verdict.objects.create(
            claim=claim, rating=Rating.objects.get(label_id="Keliru"), headline="h",
            summary="s", published_at=at,
        )
    else:
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.DISMISSED, dismiss_reason="Not check-worthy", updated_at=at
        )


def desk_history(articles: int, *, flip_after: int | None = None) -> None:
    """Each article has two claims the shipped model scored alike (0.8): a figure (worth
    checking) and a line about the event itself (not). From article ``flip_after`` on, the
    desk decides the other way round."""
    for n in range(articles):
        article = _article(n)
        at = START + timedelta(hours=n)
        flipped = flip_after is not None and n >= flip_after
        _decide(_claim(article, 0, features=["number"]), 0 if flipped else 1, at)
        _decide(_claim(article, 10, features=["procedural"]), 1 if flipped else 0, at)


def test_decisions_become_labels(editor):
    article = _article(1)
    published = _claim(article, 0)
    _decide(published, 1, START)
    sourced = _claim(article, 10)
    services.source_add(claim=sourced, user=editor, url="https://example.org/evidence")
    not_worth = _claim(article, 20)
    services.claim_dismiss(claim=not_worth, user=editor, reason="not_checkworthy")
    opinion = _claim(article, 30)
    services.claim_dismiss(claim=opinion, user=editor, reason="opinion")
    out_of_scope = _claim(article, 40)
    services.claim_dismiss(claim=out_of_scope, user=editor, reason="out_of_scope")
    sourced_then_dismissed = _claim(article, 50)
    services.source_add(claim=sourced_then_dismissed, user=editor, url="https://example.org/other")
    services.claim_dismiss(claim=sourced_then_dismissed, user=editor, reason="not_checkworthy")
    _claim(article, 60)  # nobody decided anything

    labels = {d.claim_id: d.label for d in services.decision_labels()}

    assert labels == {
        published.pk: 1, sourced.pk: 1, not_worth.pk: 0, opinion.pk: 0, sourced_then_dismissed.pk: 0,
    }


def test_a_claim_stored_before_features_were_kept_has_them_read_from_its_reasons():
    claim = _claim(_article(1), 0, reasons=["model 0.91", "number", "named in the headline: Joko Widodo",
                                            "about the statement or event: 'disampaikan'"])
    _decide(claim, 0, START)
    (decision,) = services.decision_labels()
    assert decision.example.features == ("number", "named_actor", "procedural")
    assert decision.example.shipped_score == 0.8


def test_training_refuses_with_too_few_decisions():
    desk_history(20)  # 40 decisions; 50 are needed

    with pytest.raises(CommandError, match="only 40 editor decisions"):
        call_command("train_checkworthiness", "--from-decisions")
    assert not ScorerLayer.objects.exists()


def test_training_refuses_when_one_label_is_missing(settings):
    article = _article(1)
    for i in range(60):
        _decide(_claim(article, i * 2), 1, START + timedelta(hours=i))
    outcome = services.layer_train(triggered_by="test")
    assert outcome.status == "refused"
    assert "0 not" in outcome.message
    assert not ScorerLayer.objects.exists()


def test_a_better_layer_is_switched_in(capsys):
    desk_history(40)

    call_command("train_checkworthiness", "--from-decisions")

    layer = ScorerLayer.objects.get()
    assert layer.active and layer.activated_at is not None
    assert layer.decisions == 80
    assert layer.figures["new"]["log_loss"] < layer.figures["old"]["log_loss"]
    assert layer.figures["old"]["model"] == "the shipped model"
    assert layer.coefficients["weights"]["rule:procedural"] < 0
    assert "command" in layer.triggered_by
    out = capsys.readouterr().out
    assert "switched in" in out
    assert "old: log-loss" in out and "new: log-loss" in out


def test_a_worse_layer_is_kept_out():
    # What the desk decided in older articles no longer holds for the latest ones: a
    # layer fitted to the older decisions measures worse on the latest than the shipped model.
    desk_history(40, flip_after=28)

    outcome = services.layer_train(triggered_by="test")

    assert outcome.status == "kept"
    layer = ScorerLayer.objects.get()
    assert not layer.active
    assert layer.figures["new"]["log_loss"] > layer.figures["old"]["log_loss"]
    assert "not better" in layer.note
    assert services.layer_active() is None


def test_a_new_layer_is_measured_against_the_layer_in_use():
    desk_history(40)
    first = services.layer_train(triggered_by="test").layer
    second = services.layer_train(triggered_by="test")
    # Trained on the same decisions, the second fit is no better than the first: it stays out.
    assert second.status == "kept"
    assert second.layer.figures["old"]["model"] == f"layer {first.pk}"
    assert list(ScorerLayer.objects.filter(active=True)) == [first]


def test_two_trainings_at_once_leave_one_layer_in_use(monkeypatch):
    desk_history(40)
    fit = newsroom_layer.fit

    def fit_while_another_switches(*args, **kwargs):
        ScorerLayer.objects.create(coefficients=newsroom_layer.identity(), decisions=80, active=True,
                                   triggered_by="the other training")
        return fit(*args, **kwargs)

    monkeypatch.setattr(newsroom_layer, "fit", fit_while_another_switches)
    outcome = services.layer_train(triggered_by="test")

    assert outcome.status == "kept" and "meanwhile" in outcome.message
    assert ScorerLayer.objects.get(active=True).triggered_by == "the other training"


TEXT = "JAKARTA - Badan Pusat Statistik mencatat inflasi Maret 2025 sebesar 1,2 persen, kata Sri Mulyani."


def _store(n: int) -> list[Claim]:
    article = Article.objects.create(title="Inflasi", body=TEXT, content_hash=f"store{n}", language="id")
    services.claims_store(article=article, extracted=nlp.extract(TEXT, "id", title="Inflasi"))
    return list(article.claims.all())


def test_new_claims_are_scored_with_the_active_layer():
    (plain,) = _store(1)
    assert "number" in plain.features
    assert plain.score == plain.shipped_score and not plain.reasons[0].startswith("newsroom layer")

    ScorerLayer.objects.create(
        coefficients={"bias": -3.0, "weights": {"shipped_logit": 0.0}}, decisions=50, active=True,
        triggered_by="test",
    )
    (layered,) = _store(2)
    assert layered.shipped_score == plain.shipped_score
    assert layered.score == pytest.approx(0.0474, abs=1e-4)
    assert layered.reasons[0] == f"newsroom layer 0.05 (shipped {plain.shipped_score:.2f})"
    assert layered.reasons[1:] == plain.reasons

    # Another layer switched in is used at once, in this process too.
    ScorerLayer.objects.update(active=False)
    ScorerLayer.objects.create(
        coefficients={"bias": 3.0, "weights": {"shipped_logit": 0.0}}, decisions=60, active=True,
        triggered_by="test",
    )
    (again,) = _store(3)
    assert again.score == pytest.approx(0.9526, abs=1e-4)
    # Claims already stored keep their scores: nothing is re-scored behind the desk's back.
    plain.refresh_from_db()
    assert plain.score == plain.shipped_score


def test_rescore_open_scores_again_only_the_claims_nobody_touched(editor, capsys):
    desk_history(40)
    article = _article(99)
    untouched = _claim(article, 0, features=["procedural"], reasons=["model 0.80"])
    taken = _claim(article, 10, features=["procedural"])
    services.claim_assign(claim=taken, user=editor)
    Claim.objects.filter(pk=taken.pk).update(score=0.8)

    call_command("train_checkworthiness", "--from-decisions", "--rescore-open")

    assert "rescored 1 untouched claims" in capsys.readouterr().out
    untouched.refresh_from_db()
    taken.refresh_from_db()
    assert untouched.score < 0.5 and untouched.shipped_score == 0.8
    assert untouched.reasons[0].startswith("newsroom layer ") and untouched.reasons[1:] == ["model 0.80"]
    assert taken.score == 0.8


def test_rescore_open_needs_from_decisions():
    with pytest.raises(CommandError, match="--rescore-open goes with --from-decisions"):
        call_command("train_checkworthiness", "--rescore-open")


def test_the_identity_layer_gives_back_the_shipped_score():
    examples = [newsroom_layer.Example(p, ("number",), "en", "person") for p in (0.1, 0.5, 0.93)]
    assert newsroom_layer.predict(newsroom_layer.identity(), examples) == pytest.approx([0.1, 0.5, 0.93])


def test_only_publishers_may_retrain_from_the_admin(client, editor, publisher):
    desk_history(40)
    url = reverse("admin:claims_scorerlayer_train")

    client.force_login(editor)
    page = client.get(reverse("admin:claims_scorerlayer_changelist"))
    assert page.status_code == 200 and url not in page.content.decode()
    response = client.post(url, follow=True)
    assert "Only publishers may retrain" in response.content.decode()
    assert not ScorerLayer.objects.exists()

    client.force_login(publisher)
    assert url in client.get(reverse("admin:claims_scorerlayer_changelist")).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "switched in" in response.content.decode()
    layer = ScorerLayer.objects.get()
    assert layer.active and layer.triggered_by == "admin: publisher"


def test_the_dashboard_says_which_model_scores(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    assert "the shipped model (no newsroom layer in use)" in client.get(reverse("admin:index")).content.decode()
    desk_history(40)
    layer = services.layer_train(triggered_by="test").layer
    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:index")).content.decode()
    assert f"layer {layer.pk}, in use since" in page
    assert f"trained on {layer.decisions} decisions" in page


def test_the_layer_admin_is_read_only(client, editor, publisher):
    desk_history(40)
    layer = services.layer_train(triggered_by="test").layer
    client.force_login(publisher)
    page = client.get(reverse("admin:claims_scorerlayer_change", args=[layer.pk])).content.decode()
    assert f"held out {layer.figures['new']['n']} decisions" in page
    assert 'name="_save"' not in page
    assert client.post(reverse("admin:claims_scorerlayer_delete", args=[layer.pk])).status_code == 403
    assert ScorerLayer.objects.filter(pk=layer.pk).exists()


def test_the_weekly_task_trains():
    desk_history(40)
    learn_from_decisions()
    assert ScorerLayer.objects.get().triggered_by == "weekly task"


def test_the_weekly_task_is_scheduled_only_when_enabled():
    code = "from django.conf import settings; print('learn-from-decisions' in settings.CELERY_BEAT_SCHEDULE)"
    assert django_run("shell", "--no-imports", "-c", code).stdout.split() == ["False"]
    assert django_run("shell", "--no-imports", "-c", code,
                      FACTCHECK_LEARN_FROM_DECISIONS="true").stdout.split() == ["True"]


def test_dismissals_are_labels_whatever_language_the_desk_speaks(editor):
    from django.utils import translation

    dismissed = _claim(_article(1), 0)
    services.claim_dismiss(claim=dismissed, user=editor, reason="not_checkworthy")
    with translation.override("id"):  # a publisher retraining from the desk in Indonesian
        labels = {d.claim_id: d.label for d in services.decision_labels()}
    assert labels == {dismissed.pk: 0}
