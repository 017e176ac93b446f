from django.apps import AppConfig


class TipoffsConfig(AppConfig):
    name = "xinyong.tipoffs"
    label = "tipoffs"
    verbose_name = "失信行为举报"
