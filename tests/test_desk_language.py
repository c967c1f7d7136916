"""Each person on the desk has a language of their own: set on *Your language*, on their
user page, or by the switch in the desk's header; the desk opens in it when they log in,
and their notices are emailed in it (the morning list: tests/test_digest.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims import selectors, services
from claims.models import DeskProfile
from tests.test_public_pages import make_claim

pytestmark = pytest.mark.django_db

QUEUE = "admin:claims_claim_changelist"
MINE = "admin:auth_user_language"


def desk_language(client) -> str:  # noqa: ANN001
    """The language the desk's queue speaks to this browser."""
    page = client.get(reverse(QUEUE)).content.decode()
    language = page.split('<html lang="', 1)[1].split('"', 1)[0]
    assert ("Pilih klaim untuk diubah" in page) == (language == "id")  # its words too, not only its tag
    return language


def stored(user) -> str | None:  # noqa: ANN001
    return DeskProfile.objects.filter(user=user).values_list("language", flat=True).first()


def test_switching_language_in_the_desk_stores_it_for_the_person(client, editor, publisher):
    client.force_login(editor)
    client.post(reverse("set_language"), {"language": "id", "next": reverse(QUEUE)})
    assert stored(editor) == "id"
    assert stored(publisher) is None
    client.post(reverse("set_language"), {"language": "en", "next": reverse(QUEUE)})
    assert stored(editor) == "en"


def test_switching_language_logged_out_stores_nothing(client, editor, settings):
    response = client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"  # the switch still works
    assert not DeskProfile.objects.exists()


def test_a_language_the_site_does_not_speak_is_not_stored(client, editor):
    client.force_login(editor)
    client.post(reverse("set_language"), {"language": "fr", "next": reverse(QUEUE)})
    assert not DeskProfile.objects.exists()


def test_logging_in_opens_the_desk_in_ones_language(client, editor, settings):
    services.user_language_set(user=editor, language="id")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # chosen before, in this browser
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "pw-editor-1",
                                                    "next": reverse(QUEUE)})
    assert response.status_code == 302
    assert desk_language(client) == "id"


def test_logging_in_without_a_language_of_ones_own_changes_nothing(client, editor, settings):
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "pw-editor-1",
                                                    "next": reverse(QUEUE)})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert desk_language(client) == "en"


def test_your_language_shows_and_saves_ones_own_and_the_desk_switches_to_it(client, editor):
    client.force_login(editor)
    queue = client.get(reverse(QUEUE)).content.decode()
    assert reverse(MINE) in queue  # in the desk's header
    page = client.get(reverse(MINE)).content.decode()
    assert "The site&#x27;s (English)" in page and 'value="id"' in page
    response = client.post(reverse(MINE), {"language": "id"})
    assert response.status_code == 302
    assert stored(editor) == "id"
    page = client.get(reverse(MINE)).content.decode()
    assert '<option value="id" selected>' in page
    assert desk_language(client) == "id"
    client.post(reverse(MINE), {"language": ""})
    assert stored(editor) == ""
    assert selectors.user_language(user=editor) == "en"


def test_your_language_speaks_indonesian(client, editor, settings):
    from tests.test_i18n import english_in, visible_text

    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse(MINE)).content.decode()
    assert "Bahasa Anda" in page and "Bahasa situs (English)" in page
    assert english_in(visible_text(page)) == []
    saved = client.post(reverse(MINE), {"language": "id"}, follow=True).content.decode()
    assert "Bahasa Anda tersimpan." in saved


def test_your_language_sets_nobody_elses(client, editor, publisher):
    client.force_login(editor)
    client.post(reverse(MINE), {"language": "id", "user": publisher.pk})
    assert stored(editor) == "id" and stored(publisher) is None
    assert client.get(reverse("admin:auth_user_change", args=[publisher.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_language_set(user=publisher, language="id", by=editor)
    assert stored(publisher) is None


@pytest.fixture
def people_manager(django_user_model):
    """Staff who may change users (IT), but is no superuser."""
    user = django_user_model.objects.create_user("people", password="pw-people-1", is_staff=True,
                                                 email="people@newsroom.example")
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    return user


def user_form(user, language: str, *, profile: DeskProfile | None = None) -> dict:  # noqa: ANN001
    """The user page as posted, with the language chosen in its desk profile."""
    return {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", **({"is_staff": "on"} if user.is_staff else {}),
        **({"is_superuser": "on"} if user.is_superuser else {}),
        "groups": [g.pk for g in user.groups.all()], "user_permissions": [p.pk for p in user.user_permissions.all()],
        "last_login_0": "", "last_login_1": "", "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "desk_profile-TOTAL_FORMS": "1", "desk_profile-INITIAL_FORMS": "1" if profile else "0",
        "desk_profile-MIN_NUM_FORMS": "0", "desk_profile-MAX_NUM_FORMS": "1",
        "desk_profile-0-id": profile.pk if profile else "", "desk_profile-0-user": user.pk,
        "desk_profile-0-language": language,
    }


def test_the_user_page_edits_ones_own_language_but_only_shows_anothers(client, people_manager, editor):
    client.force_login(people_manager)
    own = reverse("admin:auth_user_change", args=[people_manager.pk])
    page = client.get(own).content.decode()
    assert 'name="desk_profile-0-language"' in page
    response = client.post(own, user_form(people_manager, "id"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(people_manager) == "id"

    services.user_language_set(user=editor, language="en")
    other = reverse("admin:auth_user_change", args=[editor.pk])
    page = client.get(other).content.decode()
    assert 'name="desk_profile-0-language"' not in page and "English" in page  # shown, not editable
    response = client.post(other, user_form(editor, "id", profile=DeskProfile.objects.get(user=editor)))
    assert response.status_code == 302  # the page was saved, without the language
    assert stored(editor) == "en"


def test_a_superuser_sets_anyones_language_on_their_user_page(client, django_user_model, editor):
    admin = django_user_model.objects.create_superuser("boss", "boss@newsroom.example", "pw-boss-1")
    client.force_login(admin)
    response = client.post(reverse("admin:auth_user_change", args=[editor.pk]), user_form(editor, "id"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(editor) == "id"


def test_a_notice_is_emailed_in_its_recipients_language(editor, publisher, django_capture_on_commit_callbacks):
    publisher.email = "publisher@newsroom.example"
    publisher.save()
    services.user_language_set(user=publisher, language="id")
    claim = make_claim(text="Impor beras naik 40 persen pada 2024.")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(claim=claim, user=editor, assignee=publisher)
    assert mail.outbox[0].subject == "editor menugaskan sebuah klaim kepada Anda"
