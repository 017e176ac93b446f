"""On PostgreSQL the rate counters are an UNLOGGED table: a count is written without WAL and without waiting
for a flush (measured: a logged UPSERT waited ~10 ms for its commit on a busy machine), and after a crash
the table starts empty, which only forgives the current window (docs/adr/0020). SQLite keeps its counters
in a side file (core/ratelimit.py); this is a no-op there."""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_rate_counter SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_rate_counter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_rate_counter")]
    operations = [migrations.RunPython(unlogged, logged)]
