from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "xinyong.oversight"
    label = "oversight"
    verbose_name = "督导考核"
