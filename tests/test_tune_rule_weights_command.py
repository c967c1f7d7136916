"""`manage.py tune_rule_weights`: refitting the rules to the labelled sentences."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.nlp.tuning import SCORING_FILE


def run(*args) -> str:
    out = StringIO()
    call_command("tune_rule_weights", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_reports_every_label_set_and_writes_the_fit_where_asked(datasets, tmp_path):
    shipped = SCORING_FILE.read_text(encoding="utf-8")
    out = tmp_path / "scoring.json"
    report = run("--data", datasets, "--out", out)
    assert "checkworthy_seed.jsonl: agreement" in report
    assert "checkworthy_en_news.jsonl (never fitted on): agreement" in report
    assert "leave one article out: priors" in report
    written = json.loads(out.read_text(encoding="utf-8"))
    scoring = json.loads(shipped)
    # What is shipped is the fit. After a change to the cues, run the command and read
    # what it prints before committing the weights it writes.
    assert written["bias"] == pytest.approx(scoring["bias"], abs=0.02)
    assert written["weights"] == pytest.approx(scoring["weights"], abs=0.02)
    assert {k: v for k, v in written.items() if k not in ("bias", "weights")} == {
        k: v for k, v in scoring.items() if k not in ("bias", "weights")
    }
    assert SCORING_FILE.read_text(encoding="utf-8") == shipped


def test_a_dry_run_writes_nothing(datasets, tmp_path):
    out = tmp_path / "scoring.json"
    assert run("--data", datasets, "--out", out, "--dry-run").rstrip().endswith("dry run: nothing written")
    assert not out.exists()


def test_a_folder_without_the_articles_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="articles-id"):
        run("--data", tmp_path)
