"""Reasons an editor can trust: each one is something this claim has.

A rule reason names a feature that fired on the claim (checked here against the claim's own
entities, topics, speaker and text, not against the rules' code); a model reason quotes
words of the claim, with the direction they pushed its score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import claims.nlp
from claims.nlp import ExtractedClaim, extract, extract_many, refine
from claims.nlp.lexicon import scoring_weights
from claims.nlp.scoring import Evidence, fired_features, rule_score

_NUMBERS = {"QUANTITY", "MONEY", "PERCENT"}
_NAMES = {"PERSON", "ORG", "GPE", "LOC"}
_MODEL_QUOTE = re.compile(r"model: '(.+)' \([+-]\)")
_QUOTE_MARK = re.compile("[\"“”„«»']")
_MODEL_LABEL = re.compile(r"(English quote: )?model \d\.\d\d|sentence model \d\.\d\d")


def _in_text(claim: ExtractedClaim, phrase: str) -> bool:
    return phrase.lower() in claim.text.lower()


def _actors(claim: ExtractedClaim) -> set[str]:
    return {e.canonical for e in claim.entities if e.label in _NAMES}


def _names_only(listed: str, names: set[str]) -> bool:
    """``listed`` is some of ``names`` joined by ", " (a name may hold a comma itself)."""
    for name in sorted(names, key=len, reverse=True):
        listed = listed.replace(name, "")
    return bool(names) and not listed.replace(",", "").strip()


def _quoted(reason: str) -> str:
    return reason[reason.index("'") + 1 : reason.rindex("'")]


# What each rule reason says, and what the claim must have for it to be true.
_RULE_REASONS: tuple[tuple[str, Callable[[ExtractedClaim, str], bool]], ...] = (
    ("number", lambda c, r: r == "number" and any(e.label in _NUMBERS for e in c.entities)),
    ("quantity word '", lambda c, r: _in_text(c, _quoted(r))),
    ("named actor", lambda c, r: r == "named actor" and bool(_actors(c))),
    ("actor named earlier in the quote", lambda c, r: bool(_actors(c))),
    ("named in the headline: ", lambda c, r: _names_only(r.split(": ", 1)[1], _actors(c))),
    ("several actors", lambda c, r: len(_actors(c)) > 1),
    ("date", lambda c, r: r == "date" and any(e.label == "DATE" for e in c.entities)),
    ("topic: ", lambda c, r: tuple(r.split(": ", 1)[1].split(", ")) == c.topics),
    ("factual verb '", lambda c, r: _in_text(c, _quoted(r))),
    ("rule or law: '", lambda c, r: _in_text(c, _quoted(r))),
    ("cause: '", lambda c, r: _in_text(c, _quoted(r))),
    ("hedged: '", lambda c, r: c.hedge == _quoted(r) and _in_text(c, c.hedge)),
    ("reported as fact", lambda c, r: c.attribution == "the outlet" or (c.attribution or "").startswith("via ")),
    ("quoted speech", lambda c, r: bool(c.speaker or c.speaker_role or _QUOTE_MARK.search(c.context or ""))),
    ("expert source: '", lambda c, r: _quoted(r) in (c.speaker_role or "").lower()),
    ("opinion verb '", lambda c, r: _in_text(c, _quoted(r)) and c.claim_type == "opinion"),
    ("what should be: '", lambda c, r: _in_text(c, _quoted(r))),
    ("about the statement or event: '", lambda c, r: _in_text(c, _quoted(r))),
    ("rhetorical: '", lambda c, r: _in_text(c, _quoted(r))),
    ("continues an opinion", lambda c, r: c.claim_type == "opinion"),
    ("prediction: '", lambda c, r: _in_text(c, _quoted(r))),
    ("question", lambda c, r: c.text.rstrip().endswith("?")),
    ("first person", lambda c, r: not any(e.label in _NUMBERS for e in c.entities)),
    ("too short", lambda c, r: len(c.text.split()) < 5),
    ("no rules for language '", lambda c, r: c.language not in ("id", "en")),
)


def untrustworthy_reasons(claim: ExtractedClaim) -> list[str]:
    """The reasons of a claim that say something the claim does not have."""
    wrong = []
    for reason in claim.reasons:
        if _MODEL_LABEL.fullmatch(reason):
            continue
        quote = _MODEL_QUOTE.fullmatch(reason)
        if quote:
            if not _in_text(claim, quote.group(1)):
                wrong.append(reason)
            continue
        check = next((check for start, check in _RULE_REASONS if reason.startswith(start)), None)
        if check is None or not check(claim, reason):
            wrong.append(reason)
    if len(set(claim.reasons)) != len(claim.reasons):
        wrong.append("a reason twice")
    return wrong


@pytest.fixture(scope="module")
def shared_claims(datasets: Path, seed_text: str) -> list[ExtractedClaim]:
    claims = refine(extract(seed_text))
    for group, language in (("articles-id", "id"), ("articles-en", "en")):
        paths = sorted((datasets / group).glob("*.txt"))
        assert len(paths) == 20, group
        for found in extract_many([p.read_text(encoding="utf-8") for p in paths], language):
            claims.extend(refine(found))
    return claims


def test_every_reason_of_every_shared_claim_is_something_the_claim_has(shared_claims):
    assert len(shared_claims) > 500
    wrong = {c.text[:60]: bad for c in shared_claims if (bad := untrustworthy_reasons(c))}
    assert not wrong, (len(wrong), list(wrong.items())[:30])
    model_reasons = sum(1 for c in shared_claims for r in c.reasons if _MODEL_QUOTE.fullmatch(r))
    assert model_reasons > 500  # English claims do carry the model's reasons


def test_money_is_not_a_reason_of_a_claim_without_money():
    text = (
        "North Korea shipped more than 1 million artillery shells to Russia in 2023, "
        "South Korea's defence minister said in October."
    )
    claims = refine(extract(text, "en", title=""))
    assert len(claims) == 1
    reasons = claims[0].reasons
    assert not any("money" in r for r in reasons), reasons
    assert untrustworthy_reasons(claims[0]) == []
    assert any(_MODEL_QUOTE.fullmatch(r) for r in reasons), reasons


def test_a_claims_actor_is_one_reason_however_it_was_found(seed_text):
    """The headline's actor is the reason 'named actor' made precise, not a second reason."""
    claims = extract(seed_text)
    for claim in claims:
        actor_reasons = [
            r for r in claim.reasons
            if r in ("named actor", "actor named earlier in the quote") or r.startswith("named in the headline: ")
        ]
        assert len(actor_reasons) == (1 if _actors(claim) else 0), (claim.text[:60], claim.reasons)


def test_a_feature_without_weight_gives_no_reason():
    evidence = Evidence(words=12, question=True)
    features = [feature for feature, _ in fired_features(evidence)]
    assert "question" in features
    weights = {"bias": 0.0, "weights": {feature: 0.0 for feature in features}}
    assert rule_score(evidence, weights) == (0.5, [])


def test_the_rules_reasons_are_the_features_that_fired_and_weigh(datasets, seed_text, monkeypatch):
    """Read off each candidate's own evidence: one reason per feature that fired with a
    weight, in the order the features are listed, and nothing else."""
    seen = []

    def recording(*args, **kwargs):
        found = candidates_from_doc(*args, **kwargs)
        seen.extend(found)
        return found

    candidates_from_doc = claims.nlp.candidates_from_doc
    monkeypatch.setattr(claims.nlp, "candidates_from_doc", recording)
    paths = sorted(datasets.glob("articles-en/*.txt")) + sorted(datasets.glob("articles-id/*.txt"))
    assert len(paths) == 40
    texts = [seed_text] + [p.read_text(encoding="utf-8") for p in paths]
    extract_many(texts)
    weights = scoring_weights()["weights"]
    assert len(seen) > 500
    for candidate in seen:
        fired = fired_features(candidate.evidence)
        assert candidate.reasons == [reason for feature, reason in fired if weights[feature]]
