"""Configuration from the environment, and production settings that pass Django's checks."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def django_run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = django_run(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="k" * 10 + "-production-secret-with-enough-entropy-1234567890",
        SECURE_SSL_REDIRECT="true", SESSION_COOKIE_SECURE="true", CSRF_COOKIE_SECURE="true",
        SECURE_HSTS_SECONDS="31536000", ALLOWED_HOSTS="factcheck.example",
    )
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_secret_key_in_production(tmp_path):
    result = django_run("check", DEBUG="false", SECRET_KEY="", FACTCHECK_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = django_run("check", DEBUG="maybe")
    assert "DEBUG must be true or false" in result.stderr


def test_the_queue_settings_come_from_the_environment_and_bad_ones_are_clear_errors():
    code = "from django.conf import settings; print(settings.FACTCHECK_QUEUE_CUT, settings.FACTCHECK_QUEUE_PER_ARTICLE)"
    assert django_run("shell", "--no-imports", "-c", code).stdout.split() == ["0.5", "3"]
    result = django_run("shell", "--no-imports", "-c", code,
                        FACTCHECK_QUEUE_CUT="0.7", FACTCHECK_QUEUE_PER_ARTICLE="5")
    assert result.stdout.split() == ["0.7", "5"]
    assert "FACTCHECK_QUEUE_CUT must be a number" in django_run("check", FACTCHECK_QUEUE_CUT="half").stderr
    assert "FACTCHECK_QUEUE_CUT must be between 0 and 1" in django_run("check", FACTCHECK_QUEUE_CUT="5").stderr
    assert "FACTCHECK_QUEUE_PER_ARTICLE must be at least 1" in django_run(
        "check", FACTCHECK_QUEUE_PER_ARTICLE="0").stderr


def test_database_url_selects_postgresql():
    code = ("from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['ENGINE'], d['NAME'], d['HOST'])")
    result = django_run("shell", "--no-imports", "-c", code, DATABASE_URL="postgres://u@db.example:5432/newsroom")
    assert result.stdout.split() == ["django.db.backends.postgresql", "newsroom", "db.example"]


def test_jobs_run_in_process_without_a_broker_and_on_workers_with_one():
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    assert django_run("shell", "--no-imports", "-c", code).stdout.strip() == "True"
    with_broker = django_run("shell", "--no-imports", "-c", code, CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert with_broker.stdout.strip() == "False"
