"""Fewer index pages written per check (docs/performance.md, issue 5): the unit's own foreign-key index goes (the two
composite indexes start with the unit), and the feedback-due index holds only checks that owe feedback.

The unit index is dropped by name rather than by Django's AlterField, which on SQLite would copy the whole
check table to change nothing but an index."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import foreign_key_index_dropped

UNIT_INDEX = "measures_check_unit_id_84873b83"  # Django's name for the foreign key's index, on both backends


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_subject_accounts_consents_user_tokens"),
        ("measures", "0002_checks_answers_and_versions"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="check", name="check_unit_due_idx"),
        foreign_key_index_dropped(
            model_name="check",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="checks",
                to="accounts.unit",
            ),
            table="measures_check",
            index=UNIT_INDEX,
        ),
        migrations.AddIndex(
            model_name="check",
            index=models.Index(
                condition=models.Q(("feedback_due__isnull", False)),
                fields=["unit", "feedback_due"],
                name="check_unit_due_idx",
            ),
        ),
    ]
