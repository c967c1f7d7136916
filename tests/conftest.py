from __future__ import annotations

from pathlib import Path

import pytest

from claims.nlp.datasets import datasets_dir
from factcheck.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_937b5739bd2de5f3.txt"


@pytest.fixture(scope="session")
def datasets() -> Path:
    found = datasets_dir()
    if found is None:
        pytest.skip("the shared datasets are not here; set FACTCHECK_DATASETS")
    return found


@pytest.fixture(autouse=True)
def _eager_jobs(request):
    """Unit tests run jobs in-process; the integration suite uses a real worker."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _test_settings(settings):
    from django.core.cache import cache

    from claims.matching import indexes_reset

    cache.clear()  # throttles and the public page cache start empty in every test
    indexes_reset()  # the matching indexes read this test's rows, and read them at once
    settings.FACTCHECK_MATCH_REFRESH_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render without `collectstatic` having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    # A request in Indonesian leaves Indonesian active in this thread; the next test starts
    # in the site's language, as a new request would.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _member(django_user_model, username: str, *groups: str):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username, password=f"pw-{username}-1", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(db, django_user_model):
    """A fact-checker: works the queue but cannot publish."""
    return _member(django_user_model, "editor", "Editors")


@pytest.fixture
def publisher(db, django_user_model):
    """A senior editor: may also publish and correct verdicts."""
    return _member(django_user_model, "publisher", "Publishers")


@pytest.fixture
def staff_outsider(db, django_user_model):
    """Staff of the site (e.g. IT) with no newsroom role."""
    return _member(django_user_model, "itstaff")


@pytest.fixture
def outsider(db, django_user_model):
    return django_user_model.objects.create_user("reader", password="pw-reader-1")


@pytest.fixture
def submit_seed(db, seed_text, django_capture_on_commit_callbacks):
    """Submit the founding article and run its extraction job, as `make run` does."""
    from claims import services
    from claims.ingest import plain_to_article

    def submit():
        text = plain_to_article(seed_text)
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.article_submit(title=text.title, body=text.body, outlet="RIAU24.COM")
        submission.job.refresh_from_db()
        return submission

    return submit


class Broker:
    """Stands in for Redis in unit tests: up or down, and a record of every message sent.

    Down, sending raises what kombu raises when Redis refuses the connection. Up, a message
    runs in-process (eager) unless `run` is False, when it is only recorded.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from claims import tasks

        self.up = True
        self.run = True
        self.sent: list[tuple[str, tuple]] = []
        for task in (tasks.extract_article_claims, tasks.deliver_webhook):
            monkeypatch.setattr(task, "apply_async", self._sender(task, task.apply_async))

    def _sender(self, task, original):  # noqa: ANN001, ANN202
        def apply_async(args=None, kwargs=None, **options):  # noqa: ANN001, ANN202
            from kombu.exceptions import OperationalError

            if not self.up:
                raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            self.sent.append((task.name.rsplit(".", 1)[-1], tuple(args or ())))
            return original(args, kwargs, **options) if self.run else None
        return apply_async

    def sent_of(self, name: str) -> list[tuple]:
        return [args for task, args in self.sent if task == name]


@pytest.fixture
def broker(monkeypatch) -> Broker:
    return Broker(monkeypatch)
