"""Leaner subject tables for the import (ADR 0027): each new subject wrote five b-tree entries that no read
needs.

* subjects_name.subject: `name_valid_from_unique` (subject, valid_from) starts with the subject and serves
  every lookup its own index served; the index goes.
* merged_into, redirect_to, correction are NULL on every subject and identifier an import creates; their
  indexes (kept for the PROTECT checks and the reverse relations) now hold only the rows where they are set.

The foreign keys' own indexes are dropped by name (core/schema.py), not by AlterField, which on SQLite would
copy each table."""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.core.schema import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0003_name_gram_count"),
    ]

    operations = [
        foreign_key_index_dropped(
            model_name="subjectname",
            name="subject",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="names",
                to="subjects.subject",
            ),
            table="subjects_name",
            index="subjects_name_subject_id_06a38e6a",
        ),
        foreign_key_index_dropped(
            model_name="subject",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_from",
                to="subjects.subject",
                verbose_name="合并至",
            ),
            table="subjects_subject",
            index="subjects_subject_merged_into_id_b5d3f7b9",
        ),
        foreign_key_index_dropped(
            model_name="subjectidentifier",
            name="correction",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="identifiers",
                to="subjects.codecorrection",
                verbose_name="更正单",
            ),
            table="subjects_identifier",
            index="subjects_identifier_correction_id_4f3130ac",
        ),
        foreign_key_index_dropped(
            model_name="subjectidentifier",
            name="redirect_to",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="redirected_identifiers",
                to="subjects.subject",
                verbose_name="更正至",
            ),
            table="subjects_identifier",
            index="subjects_identifier_redirect_to_id_baf72c6f",
        ),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="subject_merged_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="subjectidentifier",
            index=models.Index(
                condition=models.Q(("redirect_to__isnull", False)),
                fields=["redirect_to"],
                name="identifier_redirect_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="subjectidentifier",
            index=models.Index(
                condition=models.Q(("correction__isnull", False)),
                fields=["correction"],
                name="identifier_correction_idx",
            ),
        ),
    ]
