# Issue 17: Consent now belongs to the disclosure app (disclosure 0001 takes it over in Django's state, over
# the same table). Here accounts forgets it, in state only: the table is neither dropped nor changed.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_apitoken_officer'),
        ('disclosure', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Consent')],
            database_operations=[],
        ),
    ]
