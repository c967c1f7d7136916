"""The encoder experiment measures as evaluate_checkworthiness --articles does."""

import numpy as np

from claims.nlp.encoder_experiment import label_files, measures


def _row(article, y, shown=True, language="id"):
    return {"article": article, "y": y, "language": language, "text": "x" if shown else None}


def test_a_missed_label_counts_against_recall_and_top3_is_per_article():
    rows = [
        _row("a", 1), _row("a", 0), _row("a", 0), _row("a", 1),
        _row("b", 1), _row("b", 1, shown=False),
        _row("c", 1, language="en"),
    ]
    scores = np.array([0.9, 0.8, 0.7, 0.1, 0.6, 0.0, 0.9])
    f1, top = measures(rows, scores, "id")
    # above the cut: 0.9 (yes), 0.8 (no), 0.7 (no), 0.6 (yes); missed: 0.1 and the unshown one
    precision, recall = 2 / 4, 2 / 4
    assert f1 == 2 * precision * recall / (precision + recall)
    # article a: best three are yes, no, no; article b: its one shown claim is yes
    assert top == (1 / 3 + 1) / 2


def test_held_out_labels_are_never_read():
    names = [path.name for path in label_files()]
    assert names and not any("heldout" in name for name in names)
