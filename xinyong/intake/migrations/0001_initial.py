# Issue 17: Submission and RejectedRow move from `records` to `intake` without touching their tables. This
# migration only tells Django's state that intake now has them, over the existing records_* tables (records
# 0006 forgets them); 0002 renames the tables. Their content types are relabelled so permissions follow.

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("submission", "rejectedrow"):
        if not ContentType.objects.filter(app_label="intake", model=model).exists():
            ContentType.objects.filter(app_label="records", model=model).update(app_label="intake")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('catalog', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('records', '0005_record_severity_source_and_check'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Submission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('api', '接口'), ('file', '文件')], max_length=8, verbose_name='渠道')),
                        ('idempotency_key', models.CharField(max_length=128, verbose_name='幂等键')),
                        ('body_sha256', models.CharField(max_length=64, verbose_name='内容 SHA-256')),
                        ('submitted_by', models.CharField(max_length=80, verbose_name='报送人')),
                        ('received_at', models.DateTimeField(verbose_name='接收时间')),
                        ('file_name', models.CharField(blank=True, max_length=255, verbose_name='文件名')),
                        ('file_format', models.CharField(blank=True, max_length=8, verbose_name='文件格式')),
                        ('file_encoding', models.CharField(blank=True, max_length=16, verbose_name='文件编码')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='总行数')),
                        ('accepted', models.PositiveIntegerField(default=0, verbose_name='接收')),
                        ('rejected', models.PositiveIntegerField(default=0, verbose_name='拒收')),
                        ('subjects_created', models.PositiveIntegerField(default=0, verbose_name='新建主体')),
                        ('late', models.PositiveIntegerField(default=0, verbose_name='超期报送')),
                        ('result', models.JSONField(default=dict, verbose_name='首次应答')),
                        ('columns', models.JSONField(blank=True, default=list, help_text='按原文件或请求中出现的顺序', verbose_name='退回行的列')),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='catalog.category')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='accounts.unit')),
                    ],
                    options={
                        'verbose_name': '归集批次',
                        'verbose_name_plural': '归集批次',
                        'ordering': ['-received_at', '-id'],
                        'db_table': 'records_submission',
                        'constraints': [
                            models.UniqueConstraint(fields=('unit', 'idempotency_key'), name='submission_idempotency_unique'),
                            models.CheckConstraint(condition=models.Q(('total', django.db.models.expressions.CombinedExpression(models.F('accepted'), '+', models.F('rejected')))), name='submission_counts_add_up'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='RejectedRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('row_index', models.PositiveIntegerField(verbose_name='行号')),
                        ('row', models.JSONField(help_text='遮蔽字段只存遮蔽形式', verbose_name='原始数据')),
                        ('protected', models.JSONField(blank=True, default=dict, verbose_name='加密字段')),
                        ('errors', models.JSONField(verbose_name='错误')),
                        ('submission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rejected_rows', to='intake.submission')),
                    ],
                    options={
                        'verbose_name': '拒收行',
                        'verbose_name_plural': '拒收行',
                        'ordering': ['submission', 'row_index'],
                        'db_table': 'records_rejectedrow',
                        'constraints': [
                            models.UniqueConstraint(fields=('submission', 'row_index'), name='rejected_row_unique'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop, elidable=True),
    ]
