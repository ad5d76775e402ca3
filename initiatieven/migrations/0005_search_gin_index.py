"""A GIN index for the list's full-text search, on PostgreSQL only.

queries.initiatieven_search filters on the Dutch weighted search vector of title, summary
and description. Without an index PostgreSQL computes that vector for every initiative
on every search (seconds at 20,000 initiatives, see bench/bench_initiatieven.py). The
index expression is exactly the SQL Django writes for that SearchVector, so the planner
uses it; change both together. SQLite has no GIN indexes and keeps its LIKE fallback,
which is why this is SQL here and not a Meta.indexes entry.
"""

from django.db import migrations

INDEX = "initiatief_search_gin"
VECTOR = (
    "((setweight(to_tsvector('dutch'::regconfig, COALESCE(\"title\", '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(\"summary\", '')), 'B')) || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(\"description\", '')), 'C'))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "initiatieven_initiatief" '
            f"USING gin ({VECTOR})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("initiatieven", "0004_moderation_reports")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
