# Issue 17: the moved consents table takes the disclosure prefix (a plain rename; rows and index unchanged).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_consent_moves_to_disclosure'),
        ('disclosure', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='consent', table=None),
    ]
