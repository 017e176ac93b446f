"""The event hash loses its UNIQUE index (docs/performance.md, issue 5; ADR 0003 addendum). Nothing looks an event up by
its hash: the verifier walks `seq`, which stays unique. An index of random 64-character keys had every append
write a page at a random place in a growing b-tree, and split one now and then (four pages), on every write of
the platform that is audited.

On SQLite, Django rebuilds the table to drop a column's UNIQUE (copy, drop, rename), and dropping the old
table drops its triggers too, so the append-only guard of migration 0002 is put back after the rebuild, in
both directions. On PostgreSQL the constraint is dropped in place and the triggers stay."""

from django.db import migrations, models

from xinyong.audit.dbguard import guard_restore


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, guard_restore),  # reverse: after the rebuild back
        migrations.AlterField(model_name="auditevent", name="hash", field=models.CharField(max_length=64)),
        migrations.RunPython(guard_restore, migrations.RunPython.noop),
    ]
