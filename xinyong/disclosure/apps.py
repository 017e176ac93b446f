from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "xinyong.disclosure"
    label = "disclosure"
    verbose_name = "信用信息查询（档案、授权与查询记录）"
