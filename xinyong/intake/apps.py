from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xinyong.intake"
    label = "intake"
    verbose_name = "信用信息归集（报送批次）"
