"""The in-process scheduler of `make run`: Celery beat's work without a broker.

Without CELERY_BROKER_URL tasks run in the process that sends them, and no `celery beat`
runs. So that watched sources are polled all the same, `manage.py runserver` (only it:
never tests, never other commands, never the autoreloader's parent process) starts a daemon
thread that, while any watched source is enabled (or asked to be polled), runs the watch
tick (polls due sources, fetches due entries) at least every FACTCHECK_WATCH_TICK_SECONDS,
sooner when something is due sooner (woken at once when an editor asks for polls), and the sweep every FACTCHECK_SWEEP_SECONDS. With a broker, `celery beat`
does both and this thread is not started.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

THREAD_NAME = "factcheck-scheduler"
STARTUP_DELAY_SECONDS = 5.0
MIN_PAUSE_SECONDS = 1.0

_started: threading.Thread | None = None
_stop = threading.Event()
_wake = threading.Event()  # set to run a round now (new entries to fetch, or stopping)


def scheduler_wanted(argv: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Whether this process is the one `runserver` serves from, with no broker to run beat."""
    if len(argv) < 2 or os.path.basename(argv[0]) not in ("manage.py", "django-admin", "__main__.py") \
            or argv[1] != "runserver":
        return False
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        return False  # `celery beat` runs the schedule
    # With the autoreloader, the parent only watches files; its child (RUN_MAIN) serves.
    return "--noreload" in argv or environ.get("RUN_MAIN") == "true"


def scheduler_start(argv: Sequence[str], environ: Mapping[str, str]) -> threading.Thread | None:
    """Start the scheduler thread when `scheduler_wanted` (once per process)."""
    global _started
    if _started is not None or not scheduler_wanted(argv, environ):
        return None
    from .services.watching import in_process_scheduler_set

    _stop.clear()
    in_process_scheduler_set(_wake)
    _started = threading.Thread(target=_run, name=THREAD_NAME, daemon=True)
    _started.start()
    logger.info("in-process scheduler started: watched sources are polled while any is enabled")
    return _started


def scheduler_stop() -> None:
    _stop.set()
    _wake.set()


def scheduler_tick(*, sweep: bool) -> float:
    """One round: the watch tick when anything watched is to be done (a source enabled or
    asked for, an entry waiting for its site's turn, even of a source since switched off),
    and the sweep when asked. Returns how many seconds to wait before the next round."""
    from .services.sending import sweep_due
    from .services.watching import watch_next_due, watch_tick

    pause = float(settings.FACTCHECK_WATCH_TICK_SECONDS)
    if watch_next_due() is not None:
        watch_tick()
        upcoming = watch_next_due()
        if upcoming is not None:
            pause = min(pause, max(MIN_PAUSE_SECONDS, (upcoming - timezone.now()).total_seconds()))
    if sweep:
        sweep_due()
    return pause


def _run() -> None:
    if _stop.wait(STARTUP_DELAY_SECONDS):
        return
    next_sweep = 0.0
    while not _stop.is_set():
        pause = float(settings.FACTCHECK_WATCH_TICK_SECONDS)
        try:
            sweep = time.monotonic() >= next_sweep
            if sweep:
                next_sweep = time.monotonic() + settings.FACTCHECK_SWEEP_SECONDS
            pause = scheduler_tick(sweep=sweep)
        except Exception:  # noqa: BLE001 - the thread must outlive a bad round (a database blip)
            logger.exception("in-process scheduler: the round failed; trying again later")
        finally:
            close_old_connections()
        _wake.wait(pause)
        _wake.clear()
