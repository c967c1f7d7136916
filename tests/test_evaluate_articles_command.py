"""`manage.py evaluate_checkworthiness --articles`: top-3 precision and F1 per language over
labelled articles, scored by the whole extraction job."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import nlp

ID_BODY = (
    "Menteri Keuangan Sri Mulyani mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, "
    "naik 20 persen dari tahun lalu.\n"
    "Rapat itu digelar di Jakarta pada Senin pagi.\n"
    "Badan Pusat Statistik mencatat inflasi tahunan turun menjadi 1,5 persen pada Oktober 2025."
)
EN_BODY = (
    "Inflation fell to 2.1% in October, the lowest in three years, the finance ministry said.\n"
    "The minister was speaking at a conference in London.\n"
    "Unemployment rose by 40,000 to 1.6 million in the three months to September."
)


def run(*args):
    out = StringIO()
    call_command("evaluate_checkworthiness", *args, stdout=out)
    return out.getvalue().splitlines()


def labels_for(body, language, worth):
    """One label per extracted claim, worth checking where `worth` says (by its first words)."""
    claims = nlp.extract(body, language, title="Judul")
    return [{"text": c.text[:40], "checkworthy": any(c.text.startswith(w) for w in worth)} for c in claims]


def test_articles_are_scored_per_language_and_the_last_line_is_f1(tmp_path):
    rows = [
        {"language": "id", "title": "Judul", "text": ID_BODY,
         "labels": labels_for(ID_BODY, "id", ("Menteri", "Badan"))},
        {"language": "en", "title": "Judul", "text": EN_BODY,
         "labels": labels_for(EN_BODY, "en", ("Inflation", "Unemployment"))},
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    lines = run("--articles", str(path))
    assert [line.split(":")[0] for line in lines[:-1]] == ["en", "id"]
    for line in lines[:-1]:
        assert "articles 1" in line and "top-3 precision" in line and "F1" in line
    assert re.fullmatch(r"F1 \d\.\d{4}", lines[-1])


def test_a_labelled_claim_the_extractor_did_not_return_counts_as_missed(tmp_path):
    row = {"language": "en", "title": "T", "text": EN_BODY,
           "labels": [{"text": "A sentence that is nowhere in the article", "checkworthy": True}]}
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    lines = run("--articles", str(path))
    assert "labels 1 (0 found)" in lines[0] and "recall 0.0000" in lines[0]
    assert lines[-1] == "F1 0.0000"


def test_label_rows_find_their_article_by_name(tmp_path):
    folder = tmp_path / "articles-en-extra"
    folder.mkdir()
    (folder / "story.txt").write_text("A headline\n\n" + EN_BODY, encoding="utf-8")
    claims = nlp.extract(EN_BODY, "en", title="A headline")
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(
        json.dumps({"file": "story.txt", "start": c.text[:60], "checkworthy": not c.text.startswith("The minister")}) + "\n"
        for c in claims), encoding="utf-8")
    lines = run("--articles", str(path), "--articles-dir", str(tmp_path))
    assert lines[0].startswith(f"en: articles 1, labels {len(claims)} ({len(claims)} found)")


@pytest.mark.parametrize("content, message", [
    ("not json\n", "line 1: not JSON"),
    ('{"text": "x"}\n', "line 1: neither an article"),
    ('{"file": "missing.txt", "start": "x", "checkworthy": true}\n', "line 1: article missing.txt is in none of"),
    ('{"text": "x", "labels": [{"text": "x"}]}\n', "each label needs"),
])
def test_a_bad_line_is_refused_with_its_number(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        run("--articles", str(path), "--articles-dir", str(tmp_path))


def test_the_checkthat_file_is_still_required_without_articles():
    with pytest.raises(CommandError, match="--articles"):
        run()
