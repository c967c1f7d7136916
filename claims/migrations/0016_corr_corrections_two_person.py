"""Corrections that keep the values before and after; who drafted and who published a verdict.

- ``Verdict.reviewer`` was always the person who wrote the draft: it is renamed
  ``drafted_by`` (the two-person rule reads it), and ``published_by`` is added, filled for
  verdicts already out from the claim's history ("published by <username>").
- A correction now records the rationale before, the values after and which changed. Rows
  made before are filled in: a correction's values after are the next correction's values
  before, the last one's are the verdict's own. Corrections could not change the rationale
  until now, so its rationale before and after is the verdict's.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations, models

CORRECTABLE = ("rating", "headline", "summary", "rationale")


def corrections_complete(apps, schema_editor):
    Verdict = apps.get_model("claims", "Verdict")
    Correction = apps.get_model("claims", "Correction")
    for verdict in Verdict.objects.filter(corrections__isnull=False).distinct().iterator():
        corrections = list(Correction.objects.filter(verdict=verdict).order_by("created_at", "id"))
        for correction, after in zip(corrections, [*corrections[1:], None], strict=True):
            correction.previous_rationale = verdict.rationale
            if after is None:
                values = {"rating_id": verdict.rating_id, "headline": verdict.headline,
                          "summary": verdict.summary, "rationale": verdict.rationale}
            else:
                values = {"rating_id": after.previous_rating_id, "headline": after.previous_headline,
                          "summary": after.previous_summary, "rationale": verdict.rationale}
            correction.new_rating_id = values["rating_id"]
            correction.new_headline = values["headline"]
            correction.new_summary = values["summary"]
            correction.new_rationale = values["rationale"]
            before = {"rating": correction.previous_rating_id, "headline": correction.previous_headline,
                      "summary": correction.previous_summary, "rationale": correction.previous_rationale}
            after_values = {"rating": values["rating_id"], "headline": values["headline"],
                            "summary": values["summary"], "rationale": values["rationale"]}
            correction.changed = [name for name in CORRECTABLE if before[name] != after_values[name]]
            correction.save(update_fields=["previous_rationale", "new_rating", "new_headline", "new_summary",
                                           "new_rationale", "changed"])


def publishers_fill(apps, schema_editor):
    Verdict = apps.get_model("claims", "Verdict")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    username_field = get_user_model().USERNAME_FIELD  # a historical model has no such attribute
    prefix = "published by "
    for verdict in Verdict.objects.filter(published_at__isnull=False, published_by__isnull=True).iterator():
        record = (HistoricalClaim.objects.filter(id=verdict.claim_id, status="published")
                  .order_by("history_date", "history_id").first())
        if record is None:
            continue
        user_id = record.history_user_id
        reason = record.history_change_reason or ""
        if user_id is None and reason.startswith(prefix):
            user_id = User.objects.filter(**{username_field: reason[len(prefix):]}) \
                .values_list("pk", flat=True).first()
        if user_id is not None:
            Verdict.objects.filter(pk=verdict.pk).update(published_by_id=user_id)


def backfill(apps, schema_editor):
    corrections_complete(apps, schema_editor)
    publishers_fill(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0015_claim_speaker_kind_official'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='verdict', old_name='reviewer', new_name='drafted_by'),
        migrations.RenameField(model_name='historicalverdict', old_name='reviewer', new_name='drafted_by'),
        migrations.AlterField(
            model_name='verdict',
            name='drafted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='drafted by'),
        ),
        migrations.AlterField(
            model_name='historicalverdict',
            name='drafted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='drafted by'),
        ),
        migrations.AddField(
            model_name='historicalverdict',
            name='published_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        migrations.AddField(
            model_name='verdict',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        migrations.AddField(
            model_name='correction',
            name='changed',
            field=models.JSONField(blank=True, default=list, help_text='What the correction changed, among "rating", "headline", "summary" and "rationale".'),
        ),
        migrations.AddField(
            model_name='correction',
            name='new_headline',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='correction',
            name='new_rating',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='claims.rating'),
        ),
        migrations.AddField(
            model_name='correction',
            name='new_rationale',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='correction',
            name='new_summary',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='correction',
            name='previous_rationale',
            field=models.TextField(blank=True),
        ),
        # Last: on PostgreSQL no table may be altered after its rows changed in this transaction.
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
