# Issue 17: Consent moves from `accounts` to `disclosure` without touching its table. This migration only
# tells Django's state that disclosure now has it, over the existing accounts_consent table (accounts 0005
# forgets it); 0002 renames the table. Its content type is relabelled so permissions follow.

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="disclosure", model="consent").exists():
        ContentType.objects.filter(app_label="accounts", model="consent").update(app_label="disclosure")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_apitoken_officer'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('subjects', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Consent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('purpose', models.CharField(max_length=200, verbose_name='用途')),
                        ('evidence', models.CharField(blank=True, max_length=200, verbose_name='授权凭证')),
                        ('granted_at', models.DateTimeField(verbose_name='授权时间')),
                        ('valid_until', models.DateField(verbose_name='有效期至')),
                        ('recorded_by', models.CharField(max_length=80, verbose_name='登记人')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='撤回时间')),
                        ('grantee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='accounts.unit')),
                        ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='subjects.subject')),
                    ],
                    options={
                        'verbose_name': '查询授权',
                        'verbose_name_plural': '查询授权',
                        'db_table': 'accounts_consent',
                        'indexes': [models.Index(fields=['subject', 'grantee'], name='consent_subject_grantee_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop, elidable=True),
    ]
