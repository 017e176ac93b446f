from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "xinyong.lists"
    label = "lists"
    verbose_name = "红黑名单"
