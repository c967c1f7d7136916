"""The topics and rating scales a newsroom starts with; editors change them in the admin."""

import json
from pathlib import Path

from django.db import migrations

TOPICS_FILE = Path(__file__).resolve().parent.parent / "nlp" / "patterns" / "topics.json"

RATINGS = [
    # language, label, value, colour
    ("en", "True", 5, "#1a7f37"),
    ("en", "Mostly true", 4, "#6a9f1f"),
    ("en", "Unproven", 3, "#6e7781"),
    ("en", "Misleading", 2, "#bc4c00"),
    ("en", "False", 1, "#cf222e"),
    ("id", "Benar", 5, "#1a7f37"),
    ("id", "Sebagian benar", 4, "#6a9f1f"),
    ("id", "Tidak terbukti", 3, "#6e7781"),
    ("id", "Menyesatkan", 2, "#bc4c00"),
    ("id", "Keliru", 1, "#cf222e"),
]


def topics_load(apps) -> None:
    """The default topics (also loaded by the browser tests, which flush the database)."""
    Topic = apps.get_model("claims", "Topic")
    for topic in json.loads(TOPICS_FILE.read_text(encoding="utf-8")):
        Topic.objects.get_or_create(
            slug=topic["slug"],
            defaults={
                "name": topic["name"]["en"],
                "name_id": topic["name"].get("id", ""),
                "keywords": topic["keywords"],
            },
        )


def load_defaults(apps, schema_editor):
    # The ratings as they were stored here, one row per language: migration 0016 makes
    # each rating one row with a label per language (its ratings_load loads the defaults
    # on a database flushed since).
    topics_load(apps)
    Rating = apps.get_model("claims", "Rating")
    for language, label, value, colour in RATINGS:
        Rating.objects.get_or_create(
            language=language, label=label,
            defaults={"value": value, "best": 5, "worst": 1, "colour": colour},
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
