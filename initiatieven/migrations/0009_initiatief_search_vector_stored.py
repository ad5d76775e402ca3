"""A stored, GIN-indexed search vector on Initiatief, kept up to date by PostgreSQL.

Before this, every search recomputed the Dutch weighted vector of title, summary and
description for its ranking (~1 s for a common word at 20,000 initiatives, issue 17).
Now the column `search_vector` holds it and queries.initiatieven_search reads it.

Who fills it: a BEFORE INSERT OR UPDATE trigger, not the service that saves an
initiative, so that every way a row is written keeps it right: the forms' services,
the admin, `QuerySet.update()`, `bulk_create`, COPY in the benchmarks, the demo loader,
loaddata from a backup and raw SQL. The trigger fires on updates of the three texts (and
of the vector itself, so nobody can store a stale one), not on e.g. a status change.

SQLite has neither tsvector nor triggers in this form: the column stays NULL there and
the search keeps its icontains fallback. That is why the PostgreSQL part is SQL in a
RunPython and the GIN index is not a Meta.indexes entry. 0005's expression index is
dropped here: nothing queries that expression any more.
"""

import django.contrib.postgres.search
from django.db import migrations

TABLE = '"initiatieven_initiatief"'
FUNCTION = "initiatieven_initiatief_search_vector_update"
TRIGGER = "initiatieven_initiatief_search_vector_trigger"
INDEX = "initiatief_search_vector_gin"
OLD_INDEX = "initiatief_search_gin"  # 0005, on the expression


def _vector(row: str) -> str:
    """Weights as in the ranking: title A, summary B, description C; Dutch config."""
    return (
        f"setweight(to_tsvector('pg_catalog.dutch', COALESCE({row}title, '')), 'A') || "
        f"setweight(to_tsvector('pg_catalog.dutch', COALESCE({row}summary, '')), 'B') || "
        f"setweight(to_tsvector('pg_catalog.dutch', COALESCE({row}description, '')), 'C')"
    )


OLD_VECTOR = (
    "((setweight(to_tsvector('dutch'::regconfig, COALESCE(\"title\", '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(\"summary\", '')), 'B')) || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(\"description\", '')), 'C'))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := {_vector('NEW.')}; "
        "RETURN NEW; END $$"
    )
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF "
        f"title, summary, description, search_vector ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    # The rows that exist now (the trigger handles every later write).
    backfill = f"UPDATE {TABLE} SET search_vector = {_vector('')}"  # noqa: S608
    schema_editor.execute(backfill)  # constants only, no input
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON {TABLE} USING gin (search_vector)'
    )
    schema_editor.execute(f'DROP INDEX IF EXISTS "{OLD_INDEX}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{OLD_INDEX}" ON {TABLE} USING gin ({OLD_VECTOR})'
    )


class Migration(migrations.Migration):
    dependencies = [("initiatieven", "0008_organiser_invitation")]

    operations = [
        migrations.AddField(
            model_name="initiatief",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
