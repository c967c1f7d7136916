"""Who may manage watched sources: editors and publishers see them, their entries, and
add, change, switch on and off and poll them (issue 22)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK_PERMISSIONS = ["view_watchedsource", "view_watchedentry", "manage_watchedsource"]
ROLE_PERMISSIONS = {"Editors": DESK_PERMISSIONS, "Publishers": DESK_PERMISSIONS}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these are needed now.
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
        ('claims', '0025_watchpoll_hosts_turns'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='watchedsource',
            options={'ordering': ['name', 'id'], 'permissions': [('manage_watchedsource', 'Can add, change, switch on and off and poll watched sources')], 'verbose_name': 'watched source', 'verbose_name_plural': 'watched sources'},
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
