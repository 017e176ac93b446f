from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "xinyong.evaluation"
    label = "evaluation"
    verbose_name = "考核评价"
