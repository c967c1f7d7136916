"""Give claims extracted before speaker_kind existed (migration 0010) a kind.

Without one, ClaimReview names every such speaker a Person: "Lufthansa", "BBC",
"Critics". Re-extraction would set it, but it never touches claims editors have worked on,
and published claims are exactly the ones whose markup is public. The kind is decided
from the stored name and role as extraction decided it when this migration was written
(claims.nlp.attribution.speaker_kind_of, extractor 2026.11.26.28). Claims without a
speaker keep no kind.

Frozen: a migration must give the same result whatever the live code later becomes, so
the decision is copied here, and the words and gazetteer labels it reads are a snapshot
of that extractor's per-language rules in 0012_backfill_speaker_kind.json.
"""

import json
from functools import cache
from pathlib import Path

from django.db import migrations

_BATCH = 500
_RULE_LANGUAGES = ("id", "en")
_FALLBACK_RULES = "xx"
_MAX_GROUP_WORDS = 10


@cache
def _rules():
    path = Path(__file__).with_suffix(".json")
    return {
        lang: {key: value if key == "labels" else frozenset(value) for key, value in rules.items()}
        for lang, rules in json.loads(path.read_text(encoding="utf-8")).items()
    }


def _is_group(name, rules):
    if name in rules["labels"]:
        return False
    words = name.split()
    if words[-1].lower() in rules["group_nouns"]:
        return True
    at = next((i for i, w in enumerate(words[:3]) if w.lower() in rules["group_nouns"]), None)
    return (
        at is not None
        and at + 1 < len(words) <= _MAX_GROUP_WORDS
        and words[at + 1].lower() in rules["group_qualifiers"]
        and not any(w[:1].isupper() for w in words[at + 1 :] if w.lower() not in rules["name_links"])
    )


def _is_person(name, role, rules):
    if role and role.lower() in rules["representative_nouns"]:
        return True
    label = rules["labels"].get(name)
    if label is not None:
        return label == "PERSON"
    if _is_group(name, rules):
        return False
    words = name.split()
    heads = rules["organisation_heads"]
    if words[0].lower() in heads or words[-1].lower() in heads:
        return False
    return not (name.isupper() and len(name) > 1) and not any(len(w) > 2 and w.isupper() for w in words)


def speaker_kind(speaker, role, language):
    """"person", "organisation", "representative" or "group" for a stored speaker and role;
    None without a speaker. A name of two or more words that is no organisation's is taken
    for a person's, a single word with a spokesman's role for an organisation's."""
    if not speaker:
        return None
    rules = _rules()[language if language in _RULE_LANGUAGES else _FALLBACK_RULES]
    role = role or None
    labels = rules["labels"]
    words = speaker.split()
    looks_personal = (
        len(words) > 1
        and labels.get(speaker) != "ORG"
        and not any(w.lower() in rules["organisation_heads"] for w in words)
        and not _is_group(speaker, rules)
    )
    if _is_group(speaker, rules):
        return "group"
    person_name = labels.get(speaker) == "PERSON" or (looks_personal and labels.get(speaker) is None)
    if role and role.lower() in rules["representative_nouns"] and not person_name:
        return "representative"
    return "person" if _is_person(speaker, role, rules) else "organisation"


def backfill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    pending = Claim.objects.filter(speaker_kind="").exclude(speaker="").order_by("pk")
    if not pending.exists():
        return
    batch = []
    for claim in pending.only("pk", "speaker", "speaker_role", "language").iterator(chunk_size=_BATCH):
        kind = speaker_kind(claim.speaker, claim.speaker_role, claim.language or "xx")
        if kind:
            claim.speaker_kind = kind
            batch.append(claim)
        if len(batch) >= _BATCH:
            Claim.objects.bulk_update(batch, ["speaker_kind"])
            batch = []
    if batch:
        Claim.objects.bulk_update(batch, ["speaker_kind"])


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0011_claim_speaker_kind_group"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
