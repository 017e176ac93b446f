from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "xinyong.records"
    label = "records"
    verbose_name = "信用信息归集"
