from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "xinyong.ops"
    label = "ops"
    verbose_name = "运维"
