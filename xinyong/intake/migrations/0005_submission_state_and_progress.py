"""Issue 18, ADR 0026: a submission's state (receiving → done, or abandoned) and its progress (rows done,
new versions so far), committed with each chunk so that a killed import resumes where it stopped. Existing
submissions were written whole: `done`."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_consent_moves_to_disclosure'),
        ('catalog', '0001_initial'),
        ('intake', '0004_rejected_row_without_submission_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='submission',
            name='rows_done',
            field=models.PositiveIntegerField(default=0, help_text='接收中断后从此处续传', verbose_name='已处理行数'),
        ),
        migrations.AddField(
            model_name='submission',
            name='state',
            field=models.CharField(choices=[('receiving', '接收中'), ('done', '已完成'), ('abandoned', '已放弃')], default='done', max_length=10, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='submission',
            name='versions',
            field=models.PositiveIntegerField(default=0, help_text='更正或重复报送的行', verbose_name='新版本数'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['receiving', 'done', 'abandoned'])), name='submission_state_valid'),
        ),
    ]
