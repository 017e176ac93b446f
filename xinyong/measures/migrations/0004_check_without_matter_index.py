"""One index page fewer written per check (docs/performance.md, issue 5): the matter's foreign-key index goes. Checks
are read by unit (check_unit_time_idx, check_unit_due_idx) or by id; the credit office's statistics over
every unit for one matter read the month's checks anyway. Dropped by name, as in 0003, so SQLite does not
copy the table."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import foreign_key_index_dropped

MATTER_INDEX = "measures_check_matter_id_3893f9b7"  # Django's name for the foreign key's index, on both backends


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_check_indexes_for_fewer_pages"),
    ]

    operations = [
        foreign_key_index_dropped(
            model_name="check",
            name="matter",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="checks",
                to="measures.matter",
            ),
            table="measures_check",
            index=MATTER_INDEX,
        ),
    ]
