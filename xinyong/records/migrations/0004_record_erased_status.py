"""Record status `erased` (已删除): the tombstone the retention sweep leaves where another case still points at
a natural person's negative record whose retention ended (records/retention.py, ADR 0011). The status check
constraint is replaced to admit it; the choices of the status fields change in Django's state only.

On SQLite the constraint change rebuilds the record table (a copy of every row): run it in a maintenance
window on a large database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_record_subject_index_window"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="record",
            name="record_status_valid",
        ),
        migrations.AlterField(
            model_name="record",
            name="status",
            field=models.CharField(
                choices=[
                    ("published", "公示中"),
                    ("not_published", "不予公示"),
                    ("withdrawn", "已撤回"),
                    ("expired", "公示期满"),
                    ("under_objection", "异议处理中"),
                    ("repaired", "已修复"),
                    ("superseded", "已被新版本取代"),
                    ("erased", "已删除"),
                ],
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="recordstatuschange",
            name="from_status",
            field=models.CharField(
                choices=[
                    ("published", "公示中"),
                    ("not_published", "不予公示"),
                    ("withdrawn", "已撤回"),
                    ("expired", "公示期满"),
                    ("under_objection", "异议处理中"),
                    ("repaired", "已修复"),
                    ("superseded", "已被新版本取代"),
                    ("erased", "已删除"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="recordstatuschange",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("published", "公示中"),
                    ("not_published", "不予公示"),
                    ("withdrawn", "已撤回"),
                    ("expired", "公示期满"),
                    ("under_objection", "异议处理中"),
                    ("repaired", "已修复"),
                    ("superseded", "已被新版本取代"),
                    ("erased", "已删除"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="record",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "published",
                            "not_published",
                            "withdrawn",
                            "expired",
                            "under_objection",
                            "repaired",
                            "superseded",
                            "erased",
                        ],
                    )
                ),
                name="record_status_valid",
            ),
        ),
    ]
