"""Fact-checks from elsewhere; editors and publishers may see and import them."""

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
        ('claims', '0015_claim_speaker_kind_official'),
    ]

    operations = [
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
                ('imported_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'fact-check from elsewhere',
                'verbose_name_plural': 'fact-checks from elsewhere',
                'ordering': ['-reviewed_at', '-id'],
                'indexes': [models.Index(fields=['publisher', '-reviewed_at'], name='factcheck_publisher_date')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
