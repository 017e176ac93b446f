from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    label = "catalog"
    verbose_name = "目录与规则"
