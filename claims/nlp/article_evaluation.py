"""How well the whole job ranks the claims of labelled articles (issue 19's measures).

Input: JSON lines in either of two shapes.

* An article with its labels::

    {"language": "id", "title": "...", "text": "<body>",
     "labels": [{"text": "<the claim, or its first words>", "checkworthy": true}, ...]}

* A label row of this repository's label sets (``claims/nlp/labels/*.jsonl``)::

    {"file": "detik_0123.txt", "start": "<first 60 characters>", "checkworthy": false}

  whose article is found by name in a folder of articles (line 1 the title, then the
  body), such as ``../shared/datasets``; its language is the folder's (``articles-id*`` is
  Indonesian, ``articles-en*`` English) or detected.

Each article runs through ``extract`` and ``refine``, as an extraction job does. A label is
matched to the extracted claim whose text starts with the label's first words (or the
other way round), in order, each claim used once. Measured per language:

* **top-3 precision**: of each article's three best-scored labelled claims, the share
  labelled worth checking, averaged over articles;
* **precision, recall and F1 at the cut** (a claim is "worth checking" when its score is at
  least the cut). A label that matches no claim counts as not shown: a miss when it is
  worth checking.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import detect_language, extract, refine
from .types import ExtractedClaim

TOP = 3
_SPACE = re.compile(r"\s+")


class ArticlesFileError(ValueError):
    """A line of the articles file cannot be used; the message says which and why."""


@dataclass
class Article:
    key: str
    language: str
    title: str | None
    body: str
    labels: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class LanguageScores:
    articles: int = 0
    labels: int = 0
    matched: int = 0
    top_precisions: list[float] = field(default_factory=list)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def top_precision(self) -> float:
        return sum(self.top_precisions) / len(self.top_precisions) if self.top_precisions else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: LanguageScores) -> None:
        for name in ("articles", "labels", "matched", "tp", "fp", "fn", "tn"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.top_precisions += other.top_precisions


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _language_of_folder(folder: str) -> str | None:
    for code in ("id", "en"):
        if folder.startswith(f"articles-{code}"):
            return code
    return None


def _find_article(name: str, roots: list[Path]) -> Path | None:
    for root in roots:
        for candidate in (root / name, *root.glob(f"*/{name}")):
            if candidate.is_file():
                return candidate
    return None


def read_articles(path: Path, article_roots: Iterable[Path] = ()) -> list[Article]:
    """The articles of a file in either shape, in the order they first appear."""
    roots = [Path(r) for r in article_roots]
    articles: dict[str, Article] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ArticlesFileError(f"line {number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ArticlesFileError(f"line {number}: not a JSON object")
            if "text" in row and "labels" in row:
                labels = row["labels"]
                if not isinstance(row["text"], str) or not isinstance(labels, list):
                    raise ArticlesFileError(f"line {number}: 'text' must be a string and 'labels' a list")
                try:
                    pairs = [(str(item["text"]), bool(item["checkworthy"])) for item in labels]
                except (KeyError, TypeError):
                    raise ArticlesFileError(
                        f"line {number}: each label needs 'text' and 'checkworthy'") from None
                language = row.get("language") or detect_language(row["text"])
                key = f"line {number}"
                articles[key] = Article(key, language, row.get("title") or None, row["text"], pairs)
            elif "file" in row and "start" in row and "checkworthy" in row:
                name = str(row["file"])
                if name not in articles:
                    found = _find_article(name, roots)
                    if found is None:
                        raise ArticlesFileError(
                            f"line {number}: article {name} is in none of: {', '.join(map(str, roots)) or '(no folder given)'}")
                    lines = found.read_text(encoding="utf-8").split("\n")
                    title, body = lines[0].strip() or None, "\n".join(lines[1:]).strip("\n")
                    language = row.get("language") or _language_of_folder(found.parent.name) or detect_language(body)
                    articles[name] = Article(name, language, title, body)
                articles[name].labels.append((str(row["start"]), bool(row["checkworthy"])))
            else:
                raise ArticlesFileError(
                    f"line {number}: neither an article (text, labels) nor a label row (file, start, checkworthy)")
    return list(articles.values())


def matched_labels(labels: list[tuple[str, bool]], claims: list[ExtractedClaim]) -> Iterator[tuple[bool, ExtractedClaim | None]]:
    """Each label with the claim it names (None when the extractor did not return it)."""
    texts = [_norm(c.text) for c in claims]
    used: set[int] = set()
    for label_text, worth in labels:
        wanted = _norm(label_text)
        found = next(
            (i for i, text in enumerate(texts)
             if i not in used and wanted and (text.startswith(wanted) or wanted.startswith(text))),
            None,
        )
        if found is not None:
            used.add(found)
        yield worth, (claims[found] if found is not None else None)


def measure(articles: Iterable[list[tuple[float | None, bool]]], cut: float) -> LanguageScores:
    """Top-3 precision and counts at the cut over articles, each a list of (score of the
    matched claim, or None where the extractor did not return it; labelled worth checking)."""
    scores = LanguageScores()
    for labels in articles:
        scores.articles += 1
        scores.labels += len(labels)
        shown = [(score, worth) for score, worth in labels if score is not None]
        scores.matched += len(shown)
        for score, worth in labels:
            above = score is not None and score >= cut
            scores.tp += above and worth
            scores.fp += above and not worth
            scores.fn += (not above) and worth
            scores.tn += (not above) and not worth
        if shown:
            top = sorted(shown, key=lambda pair: -pair[0])[:TOP]
            scores.top_precisions.append(sum(worth for _, worth in top) / len(top))
    return scores


def score_article(article: Article, cut: float) -> LanguageScores:
    claims = refine(extract(article.body, article.language, title=article.title))
    return measure([[(claim.score if claim else None, worth)
                     for worth, claim in matched_labels(article.labels, claims)]], cut)


def evaluate_articles(articles: Iterable[Article], cut: float) -> dict[str, LanguageScores]:
    """Scores per language, and "all" for every article together."""
    by_language: dict[str, LanguageScores] = defaultdict(LanguageScores)
    for article in articles:
        scores = score_article(article, cut)
        by_language[article.language].add(scores)
        by_language["all"].add(scores)
    return dict(by_language)
