"""Scores against sentences labelled by hand (claims/nlp/labels)."""

from __future__ import annotations

import json

import pytest

from claims.nlp import extract, refine
from claims.nlp.tuning import (
    FITTED_SETS,
    LABELS_DIR,
    agreement,
    leave_one_article_out,
    load_scoring,
    read_labels,
)

FIXTURES = LABELS_DIR
# (labels, articles, the least share of them the 0.5 cut must agree with):
# - checkworthy_id.jsonl: sentences picked from 16 articles and labelled while the rules
#   were written.
# - checkworthy_id_second.jsonl: every candidate of four other articles, labelled later
#   by a second annotator who saw no scores. The hand-set rules read 67% of them right
#   (mostly routine lines scored high: "turut hadir", "Hal itu disampaikan ..."); the
#   "procedural" and "normative" cues were added from its errors.
# - checkworthy_id_third.jsonl: every other candidate of the first set's 16 articles,
#   labelled blind by a third annotator: the hand-set weights agreed on 67% (background,
#   history and coordination lines over the cut, announced plans with figures under it).
# - checkworthy_en_news.jsonl: every candidate of six BBC stories, labelled blind and never
#   tuned on. English scores come from a model trained on debate transcripts, and news is
#   another register: they agreed on 80% (F1 0.76) when labelled.
# - checkworthy_en_news_second.jsonl: every candidate of the other fourteen stories, labelled
#   blind by a third annotator who counts more as checkable (54% against 38%): 74% (F1 0.78).
# The rules' weights are now fitted to the three Indonesian sets (tune_rule_weights),
# pulled toward the hand-set priors: 95/85/67% became 92.5/89/83%, and on articles left out
# of the fit 82% against the priors' 74%. The English sets were never fitted on: the
# rules' share of the English score took them from 81/75% to 83/77%.
# Rules and a small model, not an editor: the bar is that the cut agrees on most.
# The English sets are checked twice: as `extract` scores them, and as the queue shows
# them after `refine` (the sentence model): 83/77% became 82/80%, F1 0.79/0.81 0.80/0.83.
LABEL_SETS = [
    ("checkworthy_id.jsonl", "articles-id", 0.9, False),
    ("checkworthy_id_second.jsonl", "articles-id", 0.85, False),
    ("checkworthy_id_third.jsonl", "articles-id", 0.8, False),
    ("checkworthy_en_news.jsonl", "articles-en", 0.8, False),
    ("checkworthy_en_news_second.jsonl", "articles-en", 0.75, False),
    ("checkworthy_en_news.jsonl", "articles-en", 0.8, True),
    ("checkworthy_en_news_second.jsonl", "articles-en", 0.75, True),
]


@pytest.mark.parametrize(("name", "folder", "min_accuracy", "refined"), LABEL_SETS)
def test_half_is_a_sensible_cut(datasets, name, folder, min_accuracy, refined):
    rows = [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines()]
    claims_by_file: dict[str, list] = {}
    correct = []
    for row in rows:
        if row["file"] not in claims_by_file:
            claims = extract((datasets / folder / row["file"]).read_text(encoding="utf-8"))
            claims_by_file[row["file"]] = refine(claims) if refined else claims
        # A sentence that comes twice in a story is labelled twice, in order.
        claim = next(c for c in claims_by_file[row["file"]] if c.text.startswith(row["start"]))
        claims_by_file[row["file"]].remove(claim)
        correct.append((claim.score >= 0.5) == row["checkworthy"])
    assert sum(correct) / len(correct) >= min_accuracy, [
        r["start"] for r, ok in zip(rows, correct, strict=True) if not ok
    ]


def test_routine_lines_about_the_statement_or_event_rank_low():
    text = (
        "Menteri Keuangan Sri Mulyani mengatakan defisit anggaran mencapai 2,5 persen pada 2025.\n\n"
        "Hal itu disampaikan Sri Mulyani saat berkunjung ke Mataram, Selasa (21/10/2025).\n\n"
        "Turut hadir Wakil Menteri Keuangan Suahasil Nazara dan Gubernur NTB Lalu Muhamad Iqbal."
    )
    deficit, said, present = extract(text, "id")
    assert deficit.score >= 0.5
    assert said.score < 0.5 and present.score < 0.5
    assert any(r.startswith("about the statement or event") for r in said.reasons)


@pytest.fixture(scope="module")
def indonesian_labels(datasets):
    return [s for name, lang, folder in FITTED_SETS for s in read_labels(name, lang, folder, datasets)]


def test_the_fit_does_better_than_the_priors_on_articles_it_never_saw(indonesian_labels):
    scoring = load_scoring()
    assert leave_one_article_out(indonesian_labels, scoring["priors"]) >= agreement(
        indonesian_labels, scoring["priors"]
    ) + 0.05


def test_weights_that_cancel_out_give_exactly_even_odds_whatever_the_order():
    # A sentence's features are a set, iterated in an order that changes from one run to
    # the next. Summed plainly, -3.31 + 0.51 + 1.79 + 1.01 lands just under or just over
    # zero by that order, and the same sentence fell either side of the 0.5 cut.
    from claims.nlp.tuning import LabelledSentence, rule_probability

    for names in ("abc", "def", "ghi", "jkl", "mno", "pqr"):
        weights = {"bias": -3.31, "weights": dict(zip(names, (0.51, 1.79, 1.01), strict=True))}
        sentence = LabelledSentence("set", "a.txt", "text", frozenset(names), True)
        assert rule_probability(sentence, weights) == 0.5
