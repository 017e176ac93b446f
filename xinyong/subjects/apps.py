from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "xinyong.subjects"
    label = "subjects"
    verbose_name = "信用主体"

    def ready(self) -> None:
        """Accounts (below subjects in the import layers) finds a subject by code through this resolver
        (issue 14: `xinyong account create --subject CODE`, accounts/people.py)."""
        from xinyong.accounts.people import subject_resolver_register

        subject_resolver_register(_subject_ref)


def _subject_ref(code: str):
    from xinyong.accounts.people import SubjectRef
    from xinyong.subjects.selectors import subject_lookup

    subject = subject_lookup(raw=code, field="subject").subject
    return SubjectRef(id=subject.pk, name=subject.name)
