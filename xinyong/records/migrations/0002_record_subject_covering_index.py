"""The subject index of records covers the check's negative-record summary (docs/performance.md, issue 5): subject,
category, is_current, status and decision date, so `measures/lookups.py::negatives_for` reads the index alone
instead of one table page per record of the subject (p50 39 → 13 µs, p99 76 → 21 µs at 10 M records).

The subject's own foreign-key index goes: the covering index starts with the subject and serves every lookup
it served. It is dropped by name rather than by Django's AlterField, which on SQLite would copy the whole
record table to change nothing but an index."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import foreign_key_index_dropped

SUBJECT_INDEX = "records_record_subject_id_07deca2a"  # Django's name for the foreign key's index, on both backends


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("subjects", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="record", name="record_subject_idx"),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                fields=["subject", "category", "is_current", "status", "decision_date"],
                name="record_subject_idx",
            ),
        ),
        foreign_key_index_dropped(
            model_name="record",
            name="subject",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="subjects.subject",
            ),
            table="records_record",
            index=SUBJECT_INDEX,
        ),
    ]
