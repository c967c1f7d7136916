"""The morning list: the claims to check first, by email to the desk, on a desk page and
by webhook to partners, once a day and topic."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from itertools import count
from smtplib import SMTPServerDisconnected

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import outbound, selectors, services
from claims.choices import ClaimStatus, LinkState
from claims.models import (
    Article,
    ArticleSubmission,
    Claim,
    ClaimNote,
    Digest,
    FactCheck,
    MatchLink,
    Partner,
    Topic,
    WebhookDelivery,
)
from tests.api.test_webhooks import Receiver
from tests.test_settings import django_run

pytestmark = pytest.mark.django_db

_n = count(1)
NOTE = "internal: ring the ministry first - 9c41"


def article(*, outlet: str = "RIAU24.COM", title: str = "Korut dan Rusia") -> Article:
    n = next(_n)
    return Article.objects.create(title=title, body="x" * 500, outlet=outlet, language="id",
                                  content_hash=f"digest-{n}", url=f"https://news.example/{n}")


def claim(text: str, score: float, *, of: Article | None = None, topics: tuple[str, ...] = ("ammunition",),
          hours_ago: float = 1, status: str = ClaimStatus.NEW, speaker: str = "Budi Santoso") -> Claim:
    of = of or article()
    start = next(_n) * 2
    made = Claim.objects.create(article=of, text=text, start=start, end=start + 1, score=score, speaker=speaker,
                                speaker_role="juru bicara", language="id", status=status)
    Claim.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    made.topics.set(Topic.objects.filter(slug__in=topics))
    return made


def texts(claims) -> list[str]:
    return [c.text for c in claims]


def window() -> dict:
    now = timezone.now()
    return {"since": now - timedelta(hours=24), "until": now}


@pytest.fixture
def desk_with_email(editor, publisher, django_user_model):
    editor.email, publisher.email = "editor@newsroom.example", "publisher@newsroom.example"
    editor.save()
    publisher.save()
    gone = django_user_model.objects.create_user("gone", email="gone@newsroom.example", is_active=False)
    gone.groups.set(Group.objects.filter(name="Editors"))
    return [editor, publisher]


@pytest.fixture
def factcheck(db):
    return FactCheck.objects.create(
        url="https://cekfakta.tempo.example/peluru", claim_reviewed="Korea Utara mengirim sejuta peluru ke Rusia",
        publisher="Tempo", rating_text="HOAKS", reviewed_at=timezone.now() - timedelta(days=300))


# --- What is on the list ---------------------------------------------------------------


def test_the_list_has_the_open_claims_of_the_last_24_hours_best_score_first():
    claim("Middling claim", 0.6)
    claim("Best claim", 0.9)
    claim("Good claim", 0.7)
    claim("Yesterday's claim", 0.99, hours_ago=30)
    claim("Dismissed claim", 0.98, status=ClaimStatus.DISMISSED)
    claim("Published claim", 0.97, status=ClaimStatus.PUBLISHED)
    claim("In review claim", 0.65, status=ClaimStatus.IN_REVIEW)
    assert texts(selectors.digest_claims(**window(), limit=10)) == [
        "Best claim", "Good claim", "In review claim", "Middling claim"]
    assert texts(selectors.digest_claims(**window(), limit=2)) == ["Best claim", "Good claim"]


def test_claims_the_queue_folds_are_left_off_and_one_article_does_not_flood_the_list(settings):
    settings.FACTCHECK_QUEUE_CUT, settings.FACTCHECK_QUEUE_PER_ARTICLE = 0.5, 3
    loud = article(outlet="Loud Daily")
    for i in range(6):
        claim(f"Loud claim {i}", 0.95 - i * 0.01, of=loud)
    claim("Quiet claim", 0.8)
    claim("Below the cut", 0.4)
    shown = texts(selectors.digest_claims(**window(), limit=10))
    assert shown == ["Loud claim 0", "Loud claim 1", "Loud claim 2", "Quiet claim"]


def test_there_is_a_list_per_topic_and_one_for_the_whole_desk(settings):
    claim("Peluru ke Rusia", 0.9, topics=("ammunition",))
    claim("Harga beras naik", 0.8, topics=("economy-inflation",))
    claim("Vaksin dan peluru", 0.7, topics=("health", "ammunition"))
    lists = services.digest_lists(**window())
    shown = {(item.topic.slug if item.topic else None): texts(item.claims) for item in lists}
    assert shown == {
        None: ["Peluru ke Rusia", "Harga beras naik", "Vaksin dan peluru"],
        "ammunition": ["Peluru ke Rusia", "Vaksin dan peluru"],
        "economy-inflation": ["Harga beras naik"],
        "health": ["Vaksin dan peluru"],
    }
    settings.FACTCHECK_DIGEST_TOPICS = ["health"]
    assert [item.topic and item.topic.slug for item in services.digest_lists(**window())] == [None, "health"]


# --- Sending it by email, once a day ------------------------------------------------------


def test_the_desk_gets_one_email_each_with_every_list_and_the_matches(desk_with_email, factcheck, settings):
    settings.FACTCHECK_DIGEST_RECIPIENTS = ["desk", "newsroom@example.org", "id:EDITOR@newsroom.example"]
    top = claim("Korut kirim sejuta peluru ke Rusia", 0.9, speaker="Pavel Luzin")
    MatchLink.objects.create(claim=top, factcheck=factcheck, score=0.91, method="vectors+words")
    rejected = FactCheck.objects.create(url="https://rejected.example/1", claim_reviewed="Tidak terkait",
                                        publisher="Wrong Desk")
    MatchLink.objects.create(claim=top, factcheck=rejected, score=0.99, method="words", state=LinkState.REJECTED)
    run = services.digest_send()
    assert len(run.made) == 2 and run.recipients == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "editor@newsroom.example", "newsroom@example.org", "publisher@newsroom.example"]
    message = mail.outbox[0]
    assert "Morning list" in message.subject
    assert "Korut kirim sejuta peluru ke Rusia" in message.body
    assert "Pavel Luzin" in message.body and "RIAU24.COM" in message.body
    assert "Checked by Tempo" in message.body and "HOAKS" in message.body and "0.91" in message.body
    assert factcheck.url in message.body
    assert "Wrong Desk" not in message.body
    assert "Whole desk" in message.body and "Ammunition" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Checked by Tempo" in html
    digests = {d.topic and d.topic.slug: (d.claim_ids, d.recipients) for d in Digest.objects.all()}
    assert digests == {None: ([top.pk], 3), "ammunition": ([top.pk], 3)}


def test_sending_twice_the_same_day_sends_nothing_the_second_time(desk_with_email):
    claim("Peluru ke Rusia", 0.9)
    first = services.digest_send()
    assert len(first.made) == 2 and len(mail.outbox) == 2
    claim("A claim found since", 0.95)
    second = services.digest_send()
    assert second.made == [] and len(second.skipped) == 2
    assert len(mail.outbox) == 2 and Digest.objects.count() == 2


def test_a_list_another_worker_sent_is_not_sent_again(desk_with_email):
    claim("Peluru ke Rusia", 0.9)
    now = timezone.now()
    Digest.objects.create(day=timezone.localdate(now), topic=None, since=now - timedelta(hours=24), until=now,
                          emailed_at=now, recipients=2)
    run = services.digest_send()
    assert [item.topic.slug for item in run.made] == ["ammunition"]
    assert [item.topic for item in run.skipped] == [None]
    assert "Whole desk" not in mail.outbox[0].body


def test_the_email_escapes_what_the_claims_say(desk_with_email):
    claim('<script>alert("x")</script> & <b>bold</b>', 0.9, speaker="<img src=x onerror=alert(1)>")
    services.digest_send()
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
    assert '<script>alert("x")</script> & <b>bold</b>' in mail.outbox[0].body  # plain text, as said


def test_the_email_is_written_in_the_sites_language(desk_with_email, settings, factcheck):
    settings.LANGUAGE_CODE = "id"
    top = claim("Korut kirim sejuta peluru ke Rusia", 0.9)
    MatchLink.objects.create(claim=top, factcheck=factcheck, score=0.91, method="words")
    services.digest_send()
    message = mail.outbox[0]
    assert "Daftar pagi" in message.subject
    assert "Seluruh meja" in message.body and "Amunisi" in message.body
    assert "0,91" in message.body
    assert "Whole desk" not in message.body and "Morning list" not in message.subject


def test_an_address_can_ask_for_the_other_language(desk_with_email, settings):
    settings.FACTCHECK_DIGEST_RECIPIENTS = ["desk", "id:redaksi@example.org"]
    claim("Peluru ke Rusia", 0.9)
    services.digest_send()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["editor@newsroom.example"].startswith("Morning list")
    assert subjects["redaksi@example.org"].startswith("Daftar pagi")


def test_each_person_on_the_desk_gets_the_list_in_their_own_language(desk_with_email, settings, django_user_model):
    editor, publisher = desk_with_email
    sari = django_user_model.objects.create_user("sari", email="sari@newsroom.example", is_staff=True)
    sari.groups.set(Group.objects.filter(name="Editors"))
    services.user_language_set(user=editor, language="id")
    services.user_language_set(user=publisher, language="en")
    settings.LANGUAGE_CODE = "id"
    settings.FACTCHECK_DIGEST_RECIPIENTS = ["desk", "en:redaksi@example.org", "kantor@example.org"]
    claim("Peluru ke Rusia", 0.9)
    services.digest_send()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["editor@newsroom.example"].startswith("Daftar pagi")
    assert subjects["publisher@newsroom.example"].startswith("Morning list")  # theirs, not the site's
    assert subjects["sari@newsroom.example"].startswith("Daftar pagi")  # chose none: the site's
    assert subjects["redaksi@example.org"].startswith("Morning list")
    assert subjects["kantor@example.org"].startswith("Daftar pagi")
    english = next(m for m in mail.outbox if m.to == ["publisher@newsroom.example"])
    assert "Whole desk" in english.body and "Seluruh meja" not in english.body


def test_a_quiet_day_still_sends_the_desk_its_empty_list(desk_with_email):
    run = services.digest_send()
    assert [item.topic for item in run.made] == [None]
    assert "No open claims above the cut" in mail.outbox[0].body


# --- Emailed at least once, and in practice once ----------------------------------------------------


class FlakyMailServer(locmem.EmailBackend):
    """Django's test outbox behind a mail server that refuses the next ``down`` sends, and
    runs ``meanwhile`` (another run, say) while it sends."""

    down = 0
    tries = 0
    meanwhile = None

    def send_messages(self, messages):  # noqa: ANN001, ANN201
        FlakyMailServer.tries += 1
        if FlakyMailServer.meanwhile:
            meanwhile, FlakyMailServer.meanwhile = FlakyMailServer.meanwhile, None
            meanwhile()
        if FlakyMailServer.down:
            FlakyMailServer.down -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailServer"
    FlakyMailServer.down, FlakyMailServer.tries, FlakyMailServer.meanwhile = 0, 0, None
    return FlakyMailServer


def sections(message) -> list[str | None]:  # noqa: ANN001
    """The lists in an email, by topic slug (None: the whole desk's)."""
    slugs = {topic.name: topic.slug for topic in Topic.objects.all()}
    return [slugs.get(title) for title in re.findall(r"^== (.+) ==$", message.body, re.M)]


def emailed_cell(client, digest: Digest) -> str:
    page = client.get(reverse("admin:claims_digest_changelist")).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    row = next(row for row in rows if f"#{digest.claim_ids[0]}<" in row and
               (digest.topic.name if digest.topic else "Whole desk") in row)
    return " ".join(re.sub(r"<[^>]+>", " ", row.split('class="fc-emailed">')[1]).split())


def test_a_mail_server_that_is_down_loses_neither_the_list_nor_the_email(desk_with_email, settings, client,
                                                                          editor, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    claim("Peluru ke Rusia", 0.9)
    call_command("send_digest")
    assert "The email failed" in capsys.readouterr().err
    assert Digest.objects.count() == 2
    assert all(d.emailed_at is None and d.email_error and d.recipients == 0 for d in Digest.objects.all())
    client.force_login(editor)
    desk_list = Digest.objects.get(topic=None)
    assert emailed_cell(client, desk_list).startswith("The email failed. The next run today sends it")
    assert "ConnectionRefusedError" in emailed_cell(client, desk_list)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    second = services.digest_send()
    assert second.made == [] and len(second.emailed) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@newsroom.example", "publisher@newsroom.example"]
    assert [sections(m) for m in mail.outbox] == [[None, "ammunition"]] * 2
    assert "Peluru ke Rusia" in mail.outbox[0].body
    assert all(d.emailed_at and d.recipients == 2 and not d.email_error for d in Digest.objects.all())
    assert emailed_cell(client, desk_list) == "2 people"

    third = services.digest_send()
    assert third.emailed == [] and len(mail.outbox) == 2


class HalfwayMailServer(locmem.EmailBackend):
    """A mail server that takes the first ``takes`` messages and then drops the connection."""

    takes = 1

    def send_messages(self, messages):  # noqa: ANN001, ANN201
        if len(mail.outbox) >= HalfwayMailServer.takes:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_mail_server_failing_halfway_does_not_send_the_list_twice_to_those_who_got_it(
        desk_with_email, settings, client, editor):
    claim("Peluru ke Rusia", 0.9)
    settings.EMAIL_BACKEND = f"{__name__}.HalfwayMailServer"
    first = services.digest_send()
    assert first.email_error and first.recipients == 1 and len(mail.outbox) == 1
    got_it = mail.outbox[0].to[0]
    assert all(d.emailed_at is None and d.emailed_to == [got_it] for d in Digest.objects.all())
    client.force_login(editor)
    assert "1 person has it; the others get it next." in emailed_cell(client, Digest.objects.get(topic=None))

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    second = services.digest_send()
    assert not second.email_error and second.recipients == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@newsroom.example", "publisher@newsroom.example"]
    assert [sections(m) for m in mail.outbox] == [[None, "ammunition"]] * 2
    assert all(d.emailed_at and d.recipients == 2 for d in Digest.objects.all())
    assert emailed_cell(client, Digest.objects.get(topic=None)) == "2 people"


def test_a_list_made_after_a_half_failed_email_goes_to_everyone_and_the_old_one_only_to_the_rest(
        desk_with_email, settings):
    claim("Peluru ke Rusia", 0.9)
    settings.EMAIL_BACKEND = f"{__name__}.HalfwayMailServer"
    services.digest_send(topic_slugs=["ammunition"])
    got_it = mail.outbox[0].to[0]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    claim("Harga beras naik", 0.8, topics=("economy-inflation",))
    services.digest_send()
    by_person = {}
    for message in mail.outbox:
        by_person.setdefault(message.to[0], []).append(sections(message))
    other = ({"editor@newsroom.example", "publisher@newsroom.example"} - {got_it}).pop()
    assert by_person[got_it] == [["ammunition"], [None, "economy-inflation"]]
    assert by_person[other] == [[None, "ammunition", "economy-inflation"]]


def test_lists_made_by_separate_runs_the_same_day_are_each_emailed_once(desk_with_email, mail_server):
    claim("Peluru ke Rusia", 0.9)
    services.digest_send(topic_slugs=["ammunition"])
    claim("Harga beras naik", 0.8, topics=("economy-inflation",))
    services.digest_send()
    services.digest_send()
    to_editor = [sections(m) for m in mail.outbox if m.to == ["editor@newsroom.example"]]
    assert to_editor == [["ammunition"], [None, "economy-inflation"]]
    assert not Digest.objects.filter(emailed_at__isnull=True).exists()


def test_a_list_made_by_a_run_that_died_before_emailing_is_emailed_by_the_next(desk_with_email, mail_server):
    claim("Peluru ke Rusia", 0.9)
    now = timezone.now()
    Digest.objects.create(day=timezone.localdate(now), topic=None, since=now - timedelta(hours=24), until=now,
                          claim_ids=[Claim.objects.get().pk])
    services.digest_send()
    assert [sections(m) for m in mail.outbox] == [[None, "ammunition"]] * 2
    assert "Peluru ke Rusia" in mail.outbox[0].body


def test_a_list_another_run_is_emailing_is_not_emailed_twice(desk_with_email, mail_server):
    claim("Peluru ke Rusia", 0.9)
    meanwhile: list = []
    mail_server.meanwhile = lambda: meanwhile.append(services.digest_send())
    run = services.digest_send()
    assert meanwhile[0].emailed == [] and meanwhile[0].unemailed == 2  # it tries again later, and finds them emailed
    assert len(run.emailed) == 2 and len(mail.outbox) == 2
    assert services.digest_send().unemailed == 0 and len(mail.outbox) == 2


def test_a_list_held_by_a_run_that_died_is_emailed_once_the_hold_runs_out(desk_with_email, mail_server):
    claim("Peluru ke Rusia", 0.9)
    now = timezone.now()
    desk_list = Digest.objects.create(  # a run took it to email it, and its worker died
        day=timezone.localdate(now), topic=None, since=now - timedelta(hours=24), until=now,
        claim_ids=[Claim.objects.get().pk], emailing_until=now + timedelta(minutes=5))
    run = services.digest_send()
    assert [sections(m) for m in mail.outbox] == [["ammunition"]] * 2 and run.unemailed == 1
    Digest.objects.filter(pk=desk_list.pk).update(emailing_until=now - timedelta(seconds=1))
    mail.outbox.clear()
    assert services.digest_send().unemailed == 0
    assert [sections(m) for m in mail.outbox] == [[None]] * 2


def test_a_list_of_yesterday_that_was_never_emailed_is_not_emailed_today(desk_with_email, mail_server, client,
                                                                          editor, settings):
    claim("Peluru ke Rusia", 0.9, hours_ago=30)
    yesterday = timezone.now() - timedelta(days=1)
    mail_server.down = 1
    services.digest_send(until=yesterday)
    stale = Digest.objects.get(topic=None)
    claim("Harga beras naik", 0.8, topics=("economy-inflation",))
    services.digest_send()
    assert [sections(m) for m in mail.outbox] == [[None, "economy-inflation"]] * 2
    assert "Peluru ke Rusia" not in mail.outbox[0].body
    stale.refresh_from_db()
    assert stale.emailed_at is None
    client.force_login(editor)
    assert emailed_cell(client, stale).startswith("The email failed. Its day is over: it is not sent.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Email gagal terkirim. Harinya sudah lewat" in " ".join(
        client.get(reverse("admin:claims_digest_changelist")).content.decode().split())


def test_with_nobody_to_email_the_lists_are_not_pending(settings, mail_server):
    settings.FACTCHECK_DIGEST_RECIPIENTS = ["desk"]  # and nobody on the desk has an address
    claim("Peluru ke Rusia", 0.9)
    run = services.digest_send()
    assert run.unemailed == 0 and mail_server.tries == 0
    assert all(d.emailed_at and d.recipients == 0 for d in Digest.objects.all())


# --- The command and the beat ---------------------------------------------------------------


def test_the_command_sends_a_topic_alone_or_shows_the_lists_without_sending(desk_with_email, capsys):
    claim("Peluru ke Rusia", 0.9)
    claim("Harga beras naik", 0.8, topics=("economy-inflation",), hours_ago=40)
    call_command("send_digest", "--dry-run", "--since", "48")
    out = capsys.readouterr().out
    assert "Peluru ke Rusia" in out and "Harga beras naik" in out and "Dry run" in out
    assert Digest.objects.count() == 0 and mail.outbox == []
    call_command("send_digest", "--topic", "ammunition")
    assert [d.topic.slug for d in Digest.objects.all()] == ["ammunition"]
    assert "Whole desk" not in mail.outbox[0].body
    with pytest.raises(CommandError, match="No topic with the slug nope"):
        call_command("send_digest", "--topic", "nope")
    with pytest.raises(CommandError, match="--since"):
        call_command("send_digest", "--since", "0")


def test_the_beat_sends_it_at_the_time_set_and_a_bad_time_is_a_clear_error():
    code = ("from django.conf import settings; e = settings.CELERY_BEAT_SCHEDULE.get('morning-list'); "
            "print(e and (e['task'], sorted(e['schedule'].hour), sorted(e['schedule'].minute)))")
    assert django_run("shell", "--no-imports", "-c", code).stdout.strip() == "None"
    result = django_run("shell", "--no-imports", "-c", code,
                        FACTCHECK_DIGEST_ENABLED="true", FACTCHECK_DIGEST_TIME="06:30")
    assert result.stdout.strip() == "('claims.tasks.digest_send', [6], [30])", result.stderr
    assert "FACTCHECK_DIGEST_TIME must be a time of day" in django_run(
        "check", FACTCHECK_DIGEST_TIME="25:00").stderr
    assert "FACTCHECK_DIGEST_SIZE must be between" in django_run("check", FACTCHECK_DIGEST_SIZE="0").stderr
    assert "FACTCHECK_DIGEST_RECIPIENTS holds" in django_run(
        "check", FACTCHECK_DIGEST_RECIPIENTS="desk,not-an-address").stderr
    assert "FACTCHECK_DIGEST_RECIPIENTS holds" in django_run(
        "check", FACTCHECK_DIGEST_RECIPIENTS="fr:desk@example.org").stderr
    assert django_run("check", FACTCHECK_DIGEST_RECIPIENTS="desk,id:redaksi@example.org").returncode == 0


def test_the_task_sends_the_list(desk_with_email):
    from claims.tasks import digest_send

    claim("Peluru ke Rusia", 0.9)
    digest_send.delay()
    assert Digest.objects.count() == 2 and len(mail.outbox) == 2


def test_the_task_tries_the_email_again_when_the_mail_server_was_down(desk_with_email, mail_server, monkeypatch):
    from claims.services.digest import digest_lists
    from claims.tasks import DIGEST_RETRY_MINUTES, digest_send

    claim("Peluru ke Rusia", 0.9)
    mail_server.down = 2
    digest_send.delay()  # eager here: its tries follow at once
    assert len(mail.outbox) == 2 and all(d.emailed_at for d in Digest.objects.all())

    Digest.objects.all().delete()
    mail.outbox.clear()
    # The tries only email: a topic whose first claim came after the morning's run gets no
    # list from them (nor partners a second delivery).
    real_lists = digest_lists

    def later(**kwargs):  # noqa: ANN003, ANN202 - the morning's run sees one claim, the tries more
        if Digest.objects.exists():
            claim("Harga beras naik 20 persen", 0.95, topics=("economy-inflation",))
        return real_lists(**kwargs)

    monkeypatch.setattr("claims.services.digest.digest_lists", later)
    mail_server.down, mail_server.tries = 100, 0
    digest_send.delay()
    assert mail_server.tries == 1 + len(DIGEST_RETRY_MINUTES)  # then it gives up, the error on the page
    assert all(d.emailed_at is None and "SMTPServerDisconnected" in d.email_error for d in Digest.objects.all())
    assert Digest.objects.count() == 2  # the morning's lists; the tries made none


# --- Partners -----------------------------------------------------------------------------------


@pytest.fixture
def receiver(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    made: list[Receiver] = []
    yield lambda: made.append(Receiver([])) or made[-1]
    for r in made:
        r.close()


def test_a_subscribed_partner_gets_a_signed_list_of_its_own_articles_claims(
    receiver, factcheck, editor, django_capture_on_commit_callbacks,
):
    server = receiver()
    partner = Partner.objects.create(name="Cek Bersama", webhook_url=server.url, webhook_secret="s3cret",
                                     digest_webhook=True)
    Partner.objects.create(name="Not subscribed", webhook_url=server.url, webhook_secret="other")
    theirs = claim("Korut kirim sejuta peluru ke Rusia", 0.9)
    ArticleSubmission.objects.create(partner=partner, article=theirs.article, outlet="Their Outlet",
                                     url="https://their.example/a")
    MatchLink.objects.create(claim=theirs, factcheck=factcheck, score=0.91, method="words")
    ClaimNote.objects.create(claim=theirs, author=editor, text=NOTE)
    Claim.objects.filter(pk=theirs.pk).update(assignee=editor)
    claim("A claim from an article someone else sent", 0.95)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.digest_send()
    assert run.deliveries == 2  # the desk's list and the ammunition list
    assert len(server.requests) == 2
    request = server.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["x-factcheck-event"] == "digest.ready"
    assert outbound.webhook_verify("s3cret", signature=headers["x-factcheck-signature"],
                                   delivery_id=headers["x-factcheck-delivery"], body=request["body"])
    body = json.loads(request["body"])
    assert body["event"] == "digest.ready" and body["topic"] in (None, "ammunition")
    assert [c["id"] for c in body["claims"]] == [theirs.pk]
    sent = body["claims"][0]
    assert sent["outlet"] == "Their Outlet" and sent["speaker"] == "Budi Santoso" and sent["score"] == 0.9
    assert sent["matches"] == [{
        "source": "elsewhere", "url": factcheck.url, "publisher": "Tempo",
        "claim_reviewed": factcheck.claim_reviewed, "rating": "HOAKS",
        "published_at": factcheck.reviewed_at.isoformat(), "score": 0.91}]
    raw = request["body"].decode()
    assert NOTE not in raw and "assignee" not in raw and "editor" not in raw
    assert "someone else sent" not in raw and "RIAU24" not in raw
    deliveries = WebhookDelivery.objects.filter(event="digest.ready")
    assert all(d.status == WebhookDelivery.Status.DELIVERED and d.digest_id and d.claim_id is None
               for d in deliveries)


def test_a_partner_with_nothing_on_the_list_gets_nothing(receiver, django_capture_on_commit_callbacks):
    server = receiver()
    Partner.objects.create(name="Cek Bersama", webhook_url=server.url, webhook_secret="s3cret", digest_webhook=True)
    claim("Peluru ke Rusia", 0.9)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send().deliveries == 0
    assert server.requests == []


def test_a_digest_delivery_is_durable_and_sent_again_by_the_sweep(receiver, broker,
                                                                  django_capture_on_commit_callbacks):
    server = receiver()
    partner = Partner.objects.create(name="Cek Bersama", webhook_url=server.url, webhook_secret="s3cret",
                                     digest_webhook=True)
    theirs = claim("Peluru ke Rusia", 0.9)
    ArticleSubmission.objects.create(partner=partner, article=theirs.article)
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send()
    assert server.requests == [] and WebhookDelivery.objects.filter(status="pending").count() == 2
    broker.up = True
    services.sweep_due()
    assert len(server.requests) == 2
    assert not WebhookDelivery.objects.filter(status="pending").exists()


# --- The desk's page ----------------------------------------------------------------------------


def test_the_page_is_for_the_desk_only(client, staff_outsider, outsider):
    url = reverse("admin:claims_digest_changelist")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 302
    client.force_login(staff_outsider)
    assert client.get(url).status_code == 403


def test_the_page_shows_todays_lists_with_matches_and_the_lists_sent(client, editor, factcheck):
    top = claim("Korut kirim <sejuta> peluru ke Rusia", 0.9, speaker="Pavel Luzin")
    MatchLink.objects.create(claim=top, factcheck=factcheck, score=0.91, method="words", state=LinkState.CONFIRMED)
    services.digest_send()
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:claims_digest_changelist") in index
    page = client.get(reverse("admin:claims_digest_changelist"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Korut kirim &lt;sejuta&gt; peluru ke Rusia" in body
    assert "Pavel Luzin" in body and "RIAU24.COM" in body and "0.90" in body
    assert "Checked by Tempo" in body and factcheck.url in body
    assert reverse("admin:claims_claim_change", args=[top.pk]) in body
    assert "Lists sent" in body and f"#{top.pk}" in body


def _many(n: int, topics: tuple[str, ...]) -> None:
    fc = FactCheck.objects.create(url=f"https://fc.example/{next(_n)}", claim_reviewed="x", publisher="Tempo")
    for i in range(n):
        made = claim(f"Claim {i}", 0.6 + (i % 40) / 100, topics=topics)
        MatchLink.objects.create(claim=made, factcheck=fc, score=0.8, method="words")


def test_the_page_runs_the_same_queries_for_1_and_30_claims(client, editor):
    client.force_login(editor)
    url = reverse("admin:claims_digest_changelist")
    _many(1, ("ammunition", "health"))
    services.digest_send()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(29, ("ammunition", "health"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_page_and_the_email_speak_indonesian(client, desk_with_email, editor, factcheck, settings):
    from tests.test_i18n import english_in, visible_text

    top = claim("Korut kirim sejuta peluru ke Rusia", 0.9, speaker="Pavel Luzin")
    MatchLink.objects.create(claim=top, factcheck=factcheck, score=0.91, method="words")
    settings.LANGUAGE_CODE, settings.FACTCHECK_NEWSROOM_NAME = "id", "Meja Cek Fakta"
    services.digest_send()
    assert english_in(re.sub(r"https?://\S+", "", mail.outbox[0].body)) == []
    assert english_in(visible_text(mail.outbox[0].alternatives[0][0])) == []
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("admin:claims_digest_changelist")).content.decode()
    assert "Daftar pagi" in page
    assert english_in(visible_text(page)) == []
