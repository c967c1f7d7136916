"""What `make run` sets up: the editor and publisher logins, and the site's own address."""

from __future__ import annotations

import json
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.choices import ClaimStatus
from tests.test_public_pages import draft, make_claim
from tests.test_settings import django_run

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def env_passwords(monkeypatch):
    monkeypatch.delenv("FACTCHECK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("FACTCHECK_EDITOR_PASSWORD", "editor-pass-1")
    monkeypatch.setenv("FACTCHECK_PUBLISHER_PASSWORD", "publisher-pass-1")


def test_first_run_creates_an_editor_and_a_publisher_neither_a_superuser(env_passwords):
    out = run("desk_users_create")
    assert "editor / editor-pass-1" in out and "publisher / publisher-pass-1" in out
    assert "make logins" in out
    User = get_user_model()
    editor, publisher = User.objects.get(username="editor"), User.objects.get(username="publisher")
    assert [g.name for g in editor.groups.all()] == ["Editors"]
    assert [g.name for g in publisher.groups.all()] == ["Publishers"]
    for user in (editor, publisher):
        assert user.is_staff and user.is_active and not user.is_superuser
    assert editor.has_perm("claims.work_claim") and not editor.has_perm("claims.publish_verdict")
    assert publisher.has_perm("claims.publish_verdict")
    assert not User.objects.filter(is_superuser=True).exists()


def test_later_runs_never_reset_a_password_and_say_where_to_see_them(env_passwords):
    run("desk_users_create")
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("changed-in-the-admin")
    editor.save()
    out = run("desk_users_create")
    assert "pass-1" not in out
    assert "editor (Editors), publisher (Publishers)" in out and "make logins" in out
    editor.refresh_from_db()
    assert editor.check_password("changed-in-the-admin")


def test_logins_are_shown_again_while_they_work_and_an_honest_note_when_changed(env_passwords):
    assert "not created yet" in run("desk_logins")
    run("desk_users_create")
    out = run("desk_logins")
    assert "editor / editor-pass-1" in out and "publisher / publisher-pass-1" in out
    publisher = get_user_model().objects.get(username="publisher")
    publisher.set_password("changed-in-the-admin")
    publisher.save()
    out = run("desk_logins")
    assert "editor / editor-pass-1" in out
    assert "publisher / " not in out and "cannot be shown" in out and "changepassword publisher" in out


def test_an_env_written_by_an_earlier_version_still_gives_the_editor_its_password(monkeypatch):
    monkeypatch.delenv("FACTCHECK_EDITOR_PASSWORD", raising=False)
    monkeypatch.setenv("FACTCHECK_ADMIN_PASSWORD", "old-name-pass")
    monkeypatch.setenv("FACTCHECK_PUBLISHER_PASSWORD", "publisher-pass-1")
    run("desk_users_create")
    assert get_user_model().objects.get(username="editor").check_password("old-name-pass")


# The site's own address ---------------------------------------------------------------

def make_dry_run(*args: str) -> str:
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_passes_the_address_it_serves():
    assert "FACTCHECK_SERVED_AT=http://127.0.0.1:8100 " in make_dry_run("PORT=8100")
    assert "FACTCHECK_SERVED_AT=http://127.0.0.1:8000 " in make_dry_run()
    # Serving on every interface: links use this machine's loopback (set SITE_URL for others).
    assert "FACTCHECK_SERVED_AT=http://127.0.0.1:8200 " in make_dry_run("HOST=0.0.0.0", "PORT=8200")


def test_site_url_defaults_to_the_served_address_and_an_explicit_one_wins():
    code = "from django.conf import settings; print(settings.SITE_URL)"
    served = {"FACTCHECK_SERVED_AT": "http://127.0.0.1:8100", "DEBUG": "true"}
    # SITE_URL empty in the environment: neither a developer's .env nor a default overrides it.
    assert django_run("shell", "--no-imports", "-c", code, SITE_URL="", **served).stdout.strip() \
        == "http://127.0.0.1:8100"
    assert django_run("shell", "--no-imports", "-c", code, SITE_URL="https://cek.example/",
                      **served).stdout.strip() == "https://cek.example"
    assert django_run("shell", "--no-imports", "-c", code, SITE_URL="", FACTCHECK_SERVED_AT="",
                      DEBUG="true").stdout.strip() == "http://127.0.0.1:8000"


def test_every_public_link_says_the_served_port(client, settings, editor, publisher, django_capture_on_commit_callbacks):
    from claims import services

    settings.SITE_URL = "http://127.0.0.1:8100"
    settings.FACTCHECK_API_ANONYMOUS_READ = True
    claim = draft(make_claim(), editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.verdict_publish(claim=claim, user=publisher)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    address = "http://127.0.0.1:8100" + claim.get_absolute_url()

    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    markup = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert json.loads(markup)["url"] == address
    for feed in ("/feeds/rss/", "/feeds/atom/"):
        assert address in client.get(feed).content.decode()
    assert f"<loc>{address}</loc>" in client.get("/sitemap.xml").content.decode()
    api = client.get("/api/v1/claims/").json()["results"][0]
    assert address in json.dumps(api)
    assert ":8000" not in page + json.dumps(api) + client.get("/sitemap.xml").content.decode()


def test_an_editor_made_a_superuser_by_an_earlier_version_is_left_alone_and_named(env_passwords):
    old = get_user_model().objects.create_superuser("editor", "editor@localhost", "old-password")
    out = run("desk_users_create")
    assert "publisher / publisher-pass-1" in out  # the new role's login is created
    assert "editor is a superuser" in out
    old.refresh_from_db()
    assert old.is_superuser and old.check_password("old-password")


def test_notices_email_goes_to_the_console_unless_a_backend_is_set():
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)"
    assert django_run("shell", "--no-imports", "-c", code, DEBUG="true", EMAIL_BACKEND="", EMAIL_HOST="").stdout.split() \
        == ["django.core.mail.backends.console.EmailBackend", "localhost", "25"]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert django_run("shell", "--no-imports", "-c", code, DEBUG="true", EMAIL_BACKEND=smtp,
                      EMAIL_HOST="mail.example", EMAIL_PORT="587").stdout.split() == [smtp, "mail.example", "587"]
