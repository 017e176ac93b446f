"""A rejected row's submission has no index of its own: `rejected_row_unique` (submission, row_index) starts
with it and serves every lookup it served (ADR 0027). Dropped by name (core/schema.py), not by AlterField,
which on SQLite would copy the table."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_file_import_job"),
    ]

    operations = [
        foreign_key_index_dropped(
            model_name="rejectedrow",
            name="submission",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rejected_rows",
                to="intake.submission",
            ),
            table="intake_rejectedrow",
            index="records_rejectedrow_submission_id_331fc17d",  # the name it kept from the records app
        ),
    ]
