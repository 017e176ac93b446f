from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xinyong.dashboards"
    label = "dashboards"
    verbose_name = "看板"
