"""The subject index of records also covers the publication window's end (issue 11): a record is shown on a
date only while `publish_max_end` has not passed (records/shown.py), and the check's summary of shown negative
records (`negative_summaries`) still reads the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0002_record_subject_covering_index")]

    operations = [
        migrations.RemoveIndex(model_name="record", name="record_subject_idx"),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                fields=["subject", "category", "is_current", "status", "decision_date", "publish_max_end"],
                name="record_subject_idx",
            ),
        ),
    ]
