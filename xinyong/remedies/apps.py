from django.apps import AppConfig


class RemediesConfig(AppConfig):
    name = "xinyong.remedies"
    verbose_name = "异议与信用修复"
