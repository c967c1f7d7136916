from django.db import migrations


def unlogged(apps, schema_editor) -> None:
    """Rate-limit counters are worth nothing after a crash: on PostgreSQL keep them out of
    the write-ahead log, so that counting a request costs no disk flush."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE throttle_counter SET UNLOGGED")


def logged(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE throttle_counter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("throttle", "0001_initial")]

    operations = [migrations.RunPython(unlogged, logged)]
