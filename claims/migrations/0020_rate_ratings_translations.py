"""One rating scale, its labels in every language; verdicts written in a language; translations.

Ratings were stored one row per language ("True" in English and "Benar" in Indonesian, both
value 5). Here each pair becomes one rating with a label and description per language, and
every verdict, correction (its rating before and after) and historical verdict that pointed
at either row points at the one that is kept. A verdict's language is its claim's (when the site speaks it), else the
language of the rating it was given. Nothing is lost: a row with no partner in the other
language keeps its label in both.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The languages of the labels this migration writes (the model's label_<code> fields).
LANGUAGES = ("en", "id")

# The default scale (migration 0002's, paired): value, colour, labels.
RATINGS = [
    (5, "#1a7f37", {"en": "True", "id": "Benar"}),
    (4, "#6a9f1f", {"en": "Mostly true", "id": "Sebagian benar"}),
    (3, "#6e7781", {"en": "Unproven", "id": "Tidak terbukti"}),
    (2, "#bc4c00", {"en": "Misleading", "id": "Menyesatkan"}),
    (1, "#cf222e", {"en": "False", "id": "Keliru"}),
]


def ratings_load(apps) -> None:
    """The default scale, on a database without ratings (the browser tests flush theirs)."""
    Rating = apps.get_model("claims", "Rating")
    for value, colour, labels in RATINGS:
        Rating.objects.get_or_create(
            label_en=labels["en"],
            defaults={"label_id": labels["id"], "value": value, "best": 5, "worst": 1, "colour": colour},
        )


def pairs(rows: list) -> list[dict]:
    """Rows of one (value, best, worst) paired across languages, in the order they were made:
    each pair as {language: row}. A row left without a partner stands alone."""
    by_language: dict[str, list] = {}
    for row in rows:
        by_language.setdefault(row.language if row.language in LANGUAGES else "en", []).append(row)
    paired = []
    while any(by_language.values()):
        paired.append({language: queue.pop(0) for language, queue in by_language.items() if queue})
    return paired


def ratings_pair(apps, schema_editor) -> None:
    Rating = apps.get_model("claims", "Rating")
    Claim = apps.get_model("claims", "Claim")
    Verdict = apps.get_model("claims", "Verdict")
    HistoricalVerdict = apps.get_model("claims", "HistoricalVerdict")
    Correction = apps.get_model("claims", "Correction")
    HistoricalCorrection = apps.get_model("claims", "HistoricalCorrection")

    # A verdict's language: its claim's, else that of the rating it was given (read before
    # the rows are paired). A historical verdict is given its language the same way.
    rating_language = dict(Rating.objects.values_list("id", "language"))
    claim_language = dict(Claim.objects.values_list("id", "language"))
    fallback = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGES else LANGUAGES[0]
    for model in (Verdict, HistoricalVerdict):
        for claim_id, rating_id in model.objects.values_list("claim_id", "rating_id").distinct():
            known = (claim_language.get(claim_id), rating_language.get(rating_id))
            language = next((code for code in known if code in LANGUAGES), fallback)
            model.objects.filter(claim_id=claim_id, rating_id=rating_id).update(language=language)

    scales: dict[tuple, list] = {}
    for rating in Rating.objects.order_by("id"):
        scales.setdefault((rating.value, rating.best, rating.worst), []).append(rating)
    for rows in scales.values():
        for pair in pairs(rows):
            kept = pair.get("en") or next(iter(pair.values()))
            labels = {language: row.label for language, row in pair.items()}
            descriptions = {language: row.description for language, row in pair.items()}
            for language in LANGUAGES:
                setattr(kept, f"label_{language}", labels.get(language) or next(iter(labels.values())))
                setattr(kept, f"description_{language}", descriptions.get(language, ""))
            kept.save()
            others = [row.pk for row in pair.values() if row.pk != kept.pk]
            if others:
                Verdict.objects.filter(rating_id__in=others).update(rating_id=kept.pk)
                HistoricalVerdict.objects.filter(rating_id__in=others).update(rating_id=kept.pk)
                Correction.objects.filter(previous_rating_id__in=others).update(previous_rating_id=kept.pk)
                Correction.objects.filter(new_rating_id__in=others).update(new_rating_id=kept.pk)
                for name in ("previous_rating_id", "new_rating_id"):
                    HistoricalCorrection.objects.filter(**{f"{name}__in": others}).update(**{name: kept.pk})
                Rating.objects.filter(pk__in=others).delete()
    if schema_editor.connection.vendor == "postgresql":
        # The columns dropped next are on rows just updated: PostgreSQL alters no table
        # with deferred foreign-key checks still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def ratings_split(apps, schema_editor) -> None:
    """Back to one row per language: each rating's English row keeps its id; an Indonesian
    row is made for it, and the verdicts written in Indonesian point at that one."""
    Rating = apps.get_model("claims", "Rating")
    Verdict = apps.get_model("claims", "Verdict")
    for rating in Rating.objects.order_by("id"):
        indonesian = Rating.objects.create(
            label=rating.label_id, language="id", value=rating.value, best=rating.best, worst=rating.worst,
            colour=rating.colour, description=rating.description_id, label_en=rating.label_en,
            label_id=rating.label_id,
        )
        Verdict.objects.filter(rating=rating, language="id").update(rating=indonesian)
        Rating.objects.filter(pk=rating.pk).update(label=rating.label_en, language="en",
                                                   description=rating.description_en)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0019_edit_claim_edits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalVerdictTranslation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('id', 'Bahasa Indonesia')], max_length=12, verbose_name='language')),
                ('headline', models.CharField(max_length=300, verbose_name='headline')),
                ('summary', models.TextField(verbose_name='summary')),
                ('rationale', models.TextField(blank=True, verbose_name='rationale')),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical verdict translation',
                'verbose_name_plural': 'historical verdict translations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='VerdictTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('en', 'English'), ('id', 'Bahasa Indonesia')], max_length=12, verbose_name='language')),
                ('headline', models.CharField(max_length=300, verbose_name='headline')),
                ('summary', models.TextField(verbose_name='summary')),
                ('rationale', models.TextField(blank=True, verbose_name='rationale')),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['language', 'id'],
            },
        ),
        migrations.AddField(
            model_name='historicalverdict',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('id', 'Bahasa Indonesia')], default='', help_text='The language the verdict is written in; its rating is shown in it.', max_length=12, verbose_name='language'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='rating',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='description in English'),
        ),
        migrations.AddField(
            model_name='rating',
            name='description_id',
            field=models.TextField(blank=True, verbose_name='description in Indonesian'),
        ),
        migrations.AddField(
            model_name='rating',
            name='label_en',
            field=models.CharField(default='', max_length=80, verbose_name='label in English'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='rating',
            name='label_id',
            field=models.CharField(default='', max_length=80, verbose_name='label in Indonesian'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='verdict',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('id', 'Bahasa Indonesia')], default='', help_text='The language the verdict is written in; its rating is shown in it.', max_length=12, verbose_name='language'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalverdicttranslation',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalverdicttranslation',
            name='translator',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalverdicttranslation',
            name='verdict',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.verdict'),
        ),
        migrations.AddField(
            model_name='verdicttranslation',
            name='translator',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='verdicttranslation',
            name='verdict',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='claims.verdict'),
        ),
        migrations.AddConstraint(
            model_name='verdicttranslation',
            constraint=models.UniqueConstraint(fields=('verdict', 'language'), name='verdict_translation_unique'),
        ),
        migrations.RemoveConstraint(
            model_name='rating',
            name='rating_label_unique',
        ),
        # Defaults for the columns dropped below, only so that going back can add them again
        # to a table with rows (ratings_split then fills them).
        migrations.AlterField(model_name='rating', name='label', field=models.CharField(default='', max_length=80)),
        migrations.AlterField(model_name='rating', name='language', field=models.CharField(default='', max_length=12)),
        migrations.RunPython(ratings_pair, ratings_split),
        migrations.RemoveField(
            model_name='rating',
            name='description',
        ),
        migrations.RemoveField(
            model_name='rating',
            name='label',
        ),
        migrations.RemoveField(
            model_name='rating',
            name='language',
        ),
        migrations.AlterModelOptions(
            name='rating',
            options={'ordering': ['-value', 'id']},
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.UniqueConstraint(fields=('label_en',), name='rating_label_en_unique'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.UniqueConstraint(fields=('label_id',), name='rating_label_id_unique'),
        ),
    ]
