"""Leaner record table for the import (ADR 0027): three of the b-trees every new version entered served no
read that another index does not serve as well.

* category: `record_publicity_idx` (category, status, decision_date) starts with it;
* unit: `record_unit_received_idx` (unit, received_at) starts with it;
* supersedes: NULL on every first version (most of an import); its index now holds only the versions that
  supersede another (`record_supersedes_idx`, for the PROTECT check before retention deletes a version).

The foreign keys' own indexes are dropped by name (core/schema.py), not by AlterField, which on SQLite would
copy the whole record table."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_consent_moves_to_disclosure"),
        ("catalog", "0001_initial"),
        ("records", "0006_submissions_move_to_intake"),
    ]

    operations = [
        foreign_key_index_dropped(
            model_name="record",
            name="category",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="catalog.category",
            ),
            table="records_record",
            index="records_record_category_id_730ff034",
        ),
        foreign_key_index_dropped(
            model_name="record",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="accounts.unit",
            ),
            table="records_record",
            index="records_record_unit_id_36cc45cd",
        ),
        foreign_key_index_dropped(
            model_name="record",
            name="supersedes",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="superseded_by",
                to="records.record",
            ),
            table="records_record",
            index="records_record_supersedes_id_79b9a602",
        ),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                condition=models.Q(("supersedes__isnull", False)),
                fields=["supersedes"],
                name="record_supersedes_idx",
            ),
        ),
    ]
