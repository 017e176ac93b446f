"""The link tables of check results (entries named, measures applied) become declared models so that their
index on the result alone can go: the unique (result, entry) and (result, measure) indexes start with the
result and serve every lookup it served. Two pages fewer written per listed subject checked (docs/performance.md,
issue 5). The tables, their columns and their unique indexes are unchanged; only the two indexes are dropped,
by name."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import index_dropped

ENTRY_INDEX = "measures_checkresult_entries_checkresult_id_8cef38b3"  # Django's names, on both backends
MEASURE_INDEX = "measures_checkresult_measures_checkresult_id_e3449988"


def _link(name: str, table: str, other: str, to: str) -> migrations.CreateModel:
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            (
                "checkresult",
                models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, to="measures.checkresult"
                ),
            ),
            (other, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=to)),
        ],
        options={"db_table": table, "unique_together": {("checkresult", other)}},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lists", "0003_entry_objection_flag"),
        ("measures", "0004_check_without_matter_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _link("CheckResultEntry", "measures_checkresult_entries", "listentry", "lists.listentry"),
                _link("CheckResultMeasure", "measures_checkresult_measures", "measure", "measures.measure"),
                migrations.AlterField(
                    model_name="checkresult",
                    name="entries",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="check_results",
                        through="measures.CheckResultEntry",
                        to="lists.listentry",
                    ),
                ),
                migrations.AlterField(
                    model_name="checkresult",
                    name="measures",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="check_results",
                        through="measures.CheckResultMeasure",
                        to="measures.measure",
                    ),
                ),
            ],
            database_operations=[
                index_dropped(ENTRY_INDEX, "measures_checkresult_entries", "checkresult_id"),
                index_dropped(MEASURE_INDEX, "measures_checkresult_measures", "checkresult_id"),
            ],
        ),
    ]
