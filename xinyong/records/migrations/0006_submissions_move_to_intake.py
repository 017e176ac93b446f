# Issue 17: Submission and RejectedRow now belong to the intake app (intake 0001 takes them over in Django's
# state, over the same tables). Here records forgets them, in state only: no table is dropped or changed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
        ('records', '0005_record_severity_source_and_check'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='record',
                    name='submission',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='intake.submission'),
                ),
                migrations.AlterField(
                    model_name='namechangecandidate',
                    name='submission',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='name_candidates', to='intake.submission'),
                ),
                migrations.DeleteModel(name='RejectedRow'),
                migrations.DeleteModel(name='Submission'),
            ],
            database_operations=[],
        ),
    ]
