from django.apps import AppConfig


class GovintegrityConfig(AppConfig):
    name = "xinyong.govintegrity"
    label = "govintegrity"
    verbose_name = "政务诚信"
