from django.apps import AppConfig


class StandingConfig(AppConfig):
    name = "xinyong.standing"
    label = "standing"
    verbose_name = "信用状况（一站式查询）"
