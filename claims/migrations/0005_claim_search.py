import django.contrib.postgres.search
from django.db import migrations


def gin_index_create(apps, schema_editor):
    # GIN is PostgreSQL's; SQLite searches the plain columns instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS claim_search_vector_gin ON claims_claim USING GIN (search_vector)"
        )


def gin_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_editor_and_publisher_groups")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(gin_index_create, gin_index_drop),
    ]
