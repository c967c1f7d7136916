"""Fact-checks from elsewhere, vectors for matching, and links; editors and publishers may
see and import fact-checks."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLE_PERMISSIONS = {"Editors": ["view_factcheck", "add_factcheck"], "Publishers": ["view_factcheck", "add_factcheck"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0020_rate_ratings_translations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='claim',
            name='vector',
            field=models.BinaryField(blank=True, help_text="The multilingual encoder's vector of the claim (float16), for matching.", null=True),
        ),
        migrations.CreateModel(
            name='FactCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=2000, unique=True)),
                ('claim_reviewed', models.TextField()),
                ('claimant', models.CharField(blank=True, max_length=300)),
                ('publisher', models.CharField(blank=True, max_length=200)),
                ('publisher_url', models.URLField(blank=True, max_length=2000)),
                ('headline', models.CharField(blank=True, max_length=500)),
                ('rating_text', models.CharField(blank=True, max_length=120)),
                ('rating_value', models.FloatField(blank=True, null=True)),
                ('rating_best', models.FloatField(blank=True, null=True)),
                ('rating_worst', models.FloatField(blank=True, null=True)),
                ('reviewed_at', models.DateTimeField(blank=True, help_text='When the fact-check was published.', null=True)),
                ('claimed_at', models.DateTimeField(blank=True, help_text='When the claim was made, if known.', null=True)),
                ('language', models.CharField(blank=True, max_length=12)),
                ('imported_from', models.CharField(blank=True, help_text='The page, feed or file it was last imported from.', max_length=2000)),
                ('vector', models.BinaryField(blank=True, help_text="The multilingual encoder's vector of the claim reviewed (float16), for matching.", null=True)),
                ('imported_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={
                'verbose_name': 'fact-check from elsewhere',
                'verbose_name_plural': 'fact-checks from elsewhere',
                'ordering': ['-reviewed_at', '-id'],
                'indexes': [models.Index(fields=['publisher', '-reviewed_at'], name='factcheck_publisher_date')],
            },
        ),
        migrations.CreateModel(
            name='MatchLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.FloatField()),
                ('method', models.CharField(help_text='How it was found: "vectors+words", "words", "editor".', max_length=30)),
                ('state', models.CharField(choices=[('suggested', 'Suggested'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='suggested', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_links', to='claims.claim')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('factcheck', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='match_links', to='claims.factcheck')),
                ('other', models.ForeignKey(blank=True, help_text='The other claim, when the match is between two claims.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='claims.claim')),
            ],
            options={
                'ordering': ['-score', 'id'],
                'indexes': [models.Index(fields=['claim', 'state'], name='matchlink_claim_state')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('factcheck__isnull', True), ('other__isnull', False)), models.Q(('factcheck__isnull', False), ('other__isnull', True)), _connector='OR'), name='matchlink_one_target'), models.CheckConstraint(condition=models.Q(('claim', models.F('other')), _negated=True), name='matchlink_not_itself'), models.UniqueConstraint(condition=models.Q(('factcheck__isnull', False)), fields=('claim', 'factcheck'), name='matchlink_claim_factcheck'), models.UniqueConstraint(condition=models.Q(('other__isnull', False)), fields=('claim', 'other'), name='matchlink_claim_other')],
            },
        ),
        migrations.AlterField(
            model_name='notice',
            name='kind',
            field=models.CharField(choices=[('assigned', 'Assigned to you'), ('note', 'New note'), ('matched', 'A new claim matches your fact-check')], max_length=12),
        ),
        migrations.AddField(
            model_name='claim',
            name='cluster',
            field=models.IntegerField(blank=True, db_index=True, editable=False, help_text='The story the claim belongs to: the first claim of those matched to each other.', null=True),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
