"""Tests of data migrations: the database at an earlier migration, then back to the latest."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(target: list[tuple[str, str]]) -> Apps:
    """Migrate the test database to ``target`` and return the models as they were there."""
    MigrationExecutor(connection).migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


@contextmanager
def at_migration(target: list[tuple[str, str]]) -> Iterator[Apps]:
    """The database at ``target`` for the block; at the latest migrations again after it."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("claims")
    try:
        yield migrate(target)
    finally:
        MigrationExecutor(connection).migrate(latest)
