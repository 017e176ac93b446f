"""Issue 18, ADR 0026: imports are staged chunk by chunk behind a gate. `RecordBatch` holds the submissions
still being staged (their versions are left out of every read); `record_subject_idx` gains the submission as
its last column, so that the check's summary (records/shown.py) still reads the index alone with the gate."""

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_consent_moves_to_disclosure'),
        ('catalog', '0001_initial'),
        ('intake', '0005_submission_state_and_progress'),
        ('records', '0007_record_indexes_leaner'),
        ('subjects', '0002_name_gram'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(verbose_name='开始暂存')),
            ],
            options={
                'verbose_name': '暂存中的归集批次',
                'verbose_name_plural': '暂存中的归集批次',
            },
        ),
        migrations.AlterModelOptions(
            name='record',
            options={'base_manager_name': 'with_staged', 'ordering': ['-id'], 'verbose_name': '信用信息', 'verbose_name_plural': '信用信息'},
        ),
        migrations.AlterModelManagers(
            name='record',
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('with_staged', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RemoveIndex(
            model_name='record',
            name='record_subject_idx',
        ),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(fields=['subject', 'category', 'is_current', 'status', 'decision_date', 'publish_max_end', 'submission'], name='record_subject_idx'),
        ),
        migrations.AddField(
            model_name='recordbatch',
            name='category',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.category'),
        ),
        migrations.AddField(
            model_name='recordbatch',
            name='submission',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intake.submission'),
        ),
        migrations.AddField(
            model_name='recordbatch',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit'),
        ),
        migrations.AddConstraint(
            model_name='recordbatch',
            constraint=models.UniqueConstraint(fields=('unit', 'category'), name='record_batch_one_per_unit_category'),
        ),
    ]
