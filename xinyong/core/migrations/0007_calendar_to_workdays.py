# The working-day calendar's models now belong to the `workdays` app (issue 17): removed from core's state
# only, after workdays 0001 took them over; the tables stay (workdays 0002 renames them).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_rate_counter_unlogged"),
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="CalendarDay"),
                migrations.DeleteModel(name="CalendarYear"),
            ],
        ),
    ]
