from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "xinyong.metrics"
    label = "metrics"
    verbose_name = "统计指标"
