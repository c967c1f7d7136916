"""Give claims extracted before speaker_kind existed (migration 0010) a kind.

Without one, ClaimReview names every such speaker a Person: "Lufthansa", "BBC",
"Critics". Re-extraction would set it, but it never touches claims editors have worked on,
and published claims are exactly the ones whose markup is public. The kind is decided
from the stored name and role as extraction would decide it (claims.nlp.attribution.
speaker_kind_of). Claims without a speaker keep no kind.
"""

from django.db import migrations

_BATCH = 500


def backfill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    pending = Claim.objects.filter(speaker_kind="").exclude(speaker="").order_by("pk")
    if not pending.exists():
        return  # a new database: no need to load the language rules
    from claims.nlp.attribution import speaker_kind_of

    batch = []
    for claim in pending.only("pk", "speaker", "speaker_role", "language").iterator(chunk_size=_BATCH):
        kind = speaker_kind_of(claim.speaker, claim.speaker_role, claim.language or "xx")
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
