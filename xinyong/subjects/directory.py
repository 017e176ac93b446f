"""The subjects app's side of accounts' port (accounts/subjectkeys.py, issue 14): validate a USCC or a
resident ID with the registry's own validators and errors, and find the subject a key leads to."""

from __future__ import annotations

import datetime as dt

from xinyong.accounts.subjectkeys import SubjectFound, SubjectKey
from xinyong.subjects.identifiers import ric_validate, uscc_validate
from xinyong.subjects.selectors import CodeKey, identifier_key, subject_lookup, subject_lookup_key
from xinyong.subjects.services._common import validated


class RegistryDirectory:
    def organisation_key(self, raw: str, *, field: str) -> SubjectKey:
        code = validated(uscc_validate, raw, field)
        return SubjectKey("uscc", code, code)

    def person_key(self, raw: str, *, field: str, on_date: dt.date) -> SubjectKey:
        ric = validated(lambda value: ric_validate(value, on_date=on_date), raw, field)
        key = identifier_key("ric", ric.number)
        return SubjectKey("ric", key.value, key.display)

    def subject_find(self, key: SubjectKey) -> SubjectFound | None:
        if key.kind == "uscc":
            code = identifier_key("uscc", key.value)
        else:
            code = CodeKey("ric_hash", key.value, key.display, ("ric_hash",))
        found = subject_lookup_key(code)
        return SubjectFound(found.subject.pk, found.subject.name) if found else None

    def subject_by_code(self, raw: str) -> SubjectFound:
        subject = subject_lookup(raw=raw, field="subject").subject
        return SubjectFound(subject.pk, subject.name)


DIRECTORY = RegistryDirectory()
