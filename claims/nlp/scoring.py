"""Claim type and the rule-based check-worthiness score with its reasons.

The score is a logistic function of cue weights kept in patterns/scoring.json, fitted to
the labelled Indonesian sentences in labels/ (see tuning.py) so that 0.5 is the cut between
"worth checking" and not. For English a trained model dominates (see assembly.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .cues import Cue
from .types import Entity

QUANTITY = "quantity"
EVENT = "event"
RULE = "rule"
CAUSATION = "causation"
PREDICTION = "prediction"
OPINION = "opinion"
PERSONAL = "personal"
OTHER = "other"

_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC"})
_NUMBER_LABELS = frozenset({"QUANTITY", "MONEY", "PERCENT"})
_SHORT_WORDS = 5


@dataclass(slots=True)
class Evidence:
    """What the rules saw in one candidate sentence."""

    cues: dict[str, str] = field(default_factory=dict)  # kind -> first phrase
    entities: tuple[Entity, ...] = ()
    topics: tuple[str, ...] = ()
    words: int = 0
    question: bool = False
    quoted: bool = False
    by_outlet: bool = False
    continues_opinion: bool = False
    fallback_language: str | None = None
    expert_role: str | None = None  # the expert word in the speaker's role, e.g. "analis"
    # Named here but no actor of the claim: a speaker the gazetteer does not know, in the
    # sentence that attributes to them ("Luky menjelaskan ...").
    not_actors: frozenset[str] = frozenset()
    # What an editor reads for the actors: how they were found, when that says more
    # ("named in the headline: Vladimir Putin"). One reason, since it is one feature.
    actor_reason: str = "named actor"

    def add_cues(self, cues: Iterable[Cue]) -> None:
        for cue in cues:
            self.cues.setdefault(cue.kind, cue.phrase)

    @property
    def actors(self) -> set[str]:
        return {e.canonical for e in self.entities if e.label in _NAME_LABELS} - self.not_actors

    @property
    def has_number(self) -> bool:
        return any(e.label in _NUMBER_LABELS for e in self.entities)

    @property
    def has_date(self) -> bool:
        return any(e.label == "DATE" for e in self.entities)

    @property
    def hedge(self) -> str | None:
        return self.cues.get("hedge")


def claim_type(evidence: Evidence) -> str:
    cues = evidence.cues
    if "opinion" in cues or "rhetorical" in cues or evidence.continues_opinion:
        return OPINION
    if "normative" in cues and "rule" not in cues:
        # "The government must act": what should be. "Under the treaty, both sides must
        # cut their arsenals": what a rule says.
        return OPINION
    if "prediction" in cues:
        return PREDICTION
    if evidence.question:
        return OTHER
    if "rule" in cues:
        return RULE
    if "causation" in cues:
        return CAUSATION
    if evidence.has_number or "quantity" in cues:
        return QUANTITY
    if "personal" in cues and not evidence.actors:
        return PERSONAL
    if evidence.actors or "fact" in cues:
        return EVENT
    return OTHER


def fired_features(evidence: Evidence) -> list[tuple[str, str]]:
    """The weighted features the sentence fires, each with the reason an editor reads."""
    fired: list[tuple[str, str]] = []

    def fire(feature: str, reason: str) -> None:
        fired.append((feature, reason))

    cues = evidence.cues
    if evidence.has_number:
        fire("number", "number")
    elif "quantity" in cues:
        fire("quantity_word", f"quantity word '{cues['quantity']}'")
    actors = evidence.actors
    if actors:
        fire("named_actor", evidence.actor_reason)
        if len(actors) > 1:
            fire("several_actors", "several actors")
    if evidence.has_date:
        fire("date", "date")
    if evidence.topics:
        fire("topic", "topic: " + ", ".join(evidence.topics))
    if "fact" in cues:
        fire("fact", f"factual verb '{cues['fact']}'")
    if "rule" in cues:
        fire("rule", f"rule or law: '{cues['rule']}'")
    if "causation" in cues:
        fire("causation", f"cause: '{cues['causation']}'")
    if evidence.hedge:
        fire("hedge", f"hedged: '{evidence.hedge}'")
    elif evidence.by_outlet:
        fire("reported_as_fact", "reported as fact")
    if evidence.quoted:
        fire("quote", "quoted speech")
    if evidence.expert_role:
        # A named expert's factual assessment is what fact-checkers are asked about.
        fire("expert_source", f"expert source: '{evidence.expert_role}'")
    if "opinion" in cues:
        fire("opinion", f"opinion verb '{cues['opinion']}'")
    elif "normative" in cues:
        fire("normative", f"what should be: '{cues['normative']}'")
    if "procedural" in cues:
        # "Hal itu disampaikan ...", "Turut hadir ...": the statement or the event itself.
        fire("procedural", f"about the statement or event: '{cues['procedural']}'")
    if "rhetorical" in cues:
        fire("rhetorical", f"rhetorical: '{cues['rhetorical']}'")
    if evidence.continues_opinion:
        fire("continues_opinion", "continues an opinion")
    if "prediction" in cues:
        fire("prediction", f"prediction: '{cues['prediction']}'")
    if evidence.question:
        fire("question", "question")
    if "personal" in cues and not evidence.has_number:
        # "kami rapat", "we hope": the speaker about themselves, not a checkable fact.
        fire("personal", "first person")
    if evidence.words < _SHORT_WORDS:
        fire("short", "too short")
    if evidence.fallback_language is not None:
        fire(
            "no_rules",
            f"no rules for language '{evidence.fallback_language}': multilingual fallback",
        )
    return fired


def rule_score(evidence: Evidence, weights: dict) -> tuple[float, list[str]]:
    """Logistic score over the features that fired, and the reasons an editor reads: one
    for each feature that fired and weighs in the score."""
    fired = fired_features(evidence)
    w = weights["weights"]
    total = math.fsum([weights["bias"], *(w[feature] for feature, _ in fired)])
    return 1.0 / (1.0 + math.exp(-total)), [reason for feature, reason in fired if w[feature]]


def expert_word(role: str | None, expert_roles: Iterable[str]) -> str | None:
    """The first expert word ("analis", "economist") in a speaker's role, if any."""
    if not role:
        return None
    return _expert_word(role.lower(), tuple(expert_roles))


@lru_cache(maxsize=4096)
def _expert_word(role: str, expert_roles: tuple[str, ...]) -> str | None:
    # A speaker's role comes back sentence after sentence: each is looked at once.
    return next((w for w in expert_roles if re.search(rf"\b{re.escape(w)}\b", role)), None)
