"""Records keep where their severity tier came from (issue 11): the provider's XY_YZCD, the procedure
table, the penalty-type table or the category default (records/severity.py). Records received before this
migration have "" (未记录): their source was not kept and is not guessed.

The column is added in place, with its database default and its check, on both backends. Django's AddField
and AddConstraint would copy the whole record table on SQLite (a NOT NULL column, a new table constraint);
at millions of rows that is minutes of a locked database (ADR 0010). SQLite takes the check as a column
constraint of the new column, PostgreSQL as the named table constraint the state describes."""

from django.db import migrations, models

SOURCES = ["", "provider", "procedure", "penalty_type_default", "category_default"]
CHOICES = [
    ("", "未记录"),
    ("provider", "报送单位给出"),
    ("procedure", "按处罚程序"),
    ("penalty_type_default", "按处罚类别默认"),
    ("category_default", "按信息类别默认"),
]
CHECK = "\"severity_source\" IN ({})".format(", ".join(f"'{s}'" for s in SOURCES))
CONSTRAINT = "record_severity_source_valid"


def add_column(apps, schema_editor):
    column = "ALTER TABLE \"records_record\" ADD COLUMN \"severity_source\" varchar(24) DEFAULT '' NOT NULL"
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"{column} CHECK ({CHECK})")
    else:
        schema_editor.execute(column)
        schema_editor.execute(f'ALTER TABLE "records_record" ADD CONSTRAINT "{CONSTRAINT}" CHECK ({CHECK})')


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute(f'ALTER TABLE "records_record" DROP CONSTRAINT "{CONSTRAINT}"')
    schema_editor.execute('ALTER TABLE "records_record" DROP COLUMN "severity_source"')


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_record_erased_status"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="record",
                    name="severity_source",
                    field=models.CharField(
                        blank=True,
                        choices=CHOICES,
                        db_default="",
                        default="",
                        help_text="报送单位给出、按处罚程序、按处罚类别默认或按信息类别默认（rules.yaml severity.*）",
                        max_length=24,
                        verbose_name="严重程度来源",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="record",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("severity_source__in", SOURCES)), name=CONSTRAINT
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
    ]
