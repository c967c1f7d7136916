"""`manage.py train_checkworthiness --sentence-model`: refused clearly before any training."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.nlp import sentence_training


def test_a_folder_without_an_encoder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no encoder here"):
        call_command("train_checkworthiness", "--sentence-model", str(tmp_path), "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_missing_training_packages_are_named(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setattr(sentence_training, "missing_requirements", lambda: ["torch", "onnx"])
    with pytest.raises(CommandError, match=r"requirements-train.txt \(missing: torch, onnx\)"):
        call_command("train_checkworthiness", "--sentence-model", str(tmp_path), "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()

