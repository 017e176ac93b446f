# Issue 17: the moved tables take the intake prefix (a plain rename; rows, keys and constraints unchanged).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
        ('records', '0006_submissions_move_to_intake'),
    ]

    operations = [
        migrations.AlterModelTable(name='submission', table=None),
        migrations.AlterModelTable(name='rejectedrow', table=None),
    ]
