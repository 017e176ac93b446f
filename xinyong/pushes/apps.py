from django.apps import AppConfig


class PushesConfig(AppConfig):
    name = "xinyong.pushes"
    label = "pushes"
    verbose_name = "信息推送"
