from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "xinyong.subjects"
    label = "subjects"
    verbose_name = "信用主体"

    def ready(self) -> None:
        """Give accounts the registry's validators and lookup (accounts/subjectkeys.py, issue 14)."""
        from xinyong.accounts.subjectkeys import directory_install
        from xinyong.subjects.directory import DIRECTORY

        directory_install(DIRECTORY)
