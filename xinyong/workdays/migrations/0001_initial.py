# The working-day calendar moves from `core` to its own app (issue 17). Its tables already exist (created by
# core 0001): this migration takes the models over in Django's state only; 0002 renames the tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("core", "0006_rate_counter_unlogged"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='CalendarYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='年份')),
                        ('source', models.CharField(choices=[('chinesecalendar', 'chinesecalendar 内置数据'), ('operator', '运维人员录入')], max_length=20, verbose_name='来源')),
                        ('loaded_at', models.DateTimeField(verbose_name='载入时间')),
                        ('loaded_by', models.CharField(max_length=80, verbose_name='载入人')),
                        ('complete', models.BooleanField(default=True, help_text='未完整载入的年份按临时（provisional）计算', verbose_name='已完整载入')),
                        ('note', models.TextField(blank=True, verbose_name='备注')),
                        ('revision', models.PositiveIntegerField(default=1, editable=False, verbose_name='修订次数')),
                    ],
                    options={
                        'verbose_name': '节假日年度安排',
                        'verbose_name_plural': '节假日年度安排',
                        'db_table': 'core_calendar_year',
                        'ordering': ['year'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('source__in', ['chinesecalendar', 'operator'])), name='calendar_year_source_valid'), models.CheckConstraint(condition=models.Q(('year__gte', 1949), ('year__lte', 2200)), name='calendar_year_range')],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='日期')),
                        ('kind', models.CharField(choices=[('holiday', '节假日（工作日放假）'), ('workday', '调休上班（周末上班）')], max_length=10, verbose_name='类型')),
                        ('name', models.CharField(help_text='如 国庆节、春节', max_length=60, verbose_name='名称')),
                        ('year', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='days', to='workdays.calendaryear', verbose_name='年度')),
                    ],
                    options={
                        'verbose_name': '节假日 / 调休日',
                        'verbose_name_plural': '节假日 / 调休日',
                        'db_table': 'core_calendar_day',
                        'ordering': ['date'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['holiday', 'workday'])), name='calendar_day_kind_valid')],
                    },
                ),
            ],
        ),
    ]
