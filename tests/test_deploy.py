"""The shipped systemd units keep the web process, the workers and beat running."""

from __future__ import annotations

import configparser
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = ["factcheck-web.service", "factcheck-worker@.service", "factcheck-beat.service"]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_every_process_is_restarted_whenever_it_exits(name):
    service = unit(name)["Service"]
    assert service["Restart"] == "always"
    assert service["ExecStart"].startswith("/srv/factcheck/.venv/bin/")
    assert service["EnvironmentFile"] == "/etc/factcheck/env"


def test_a_stopping_worker_may_finish_its_job_first():
    from django.conf import settings

    service = unit("factcheck-worker@.service")["Service"]
    assert int(service["TimeoutStopSec"]) > settings.CELERY_TASK_TIME_LIMIT
    assert "%%h" in service["ExecStart"]  # celery's %h, not systemd's home directory


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace("/srv/factcheck", str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", *[str(tmp_path / n) for n in UNITS]],
                            capture_output=True, text=True, timeout=60)
    complaints = [line for line in result.stderr.splitlines() if "factcheck" in line]
    assert complaints == [], result.stderr
