"""Name history (名称变更) of credit subjects (docs/domain.md Subject: "names change over time")."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.subjects.models import Subject, SubjectName
from xinyong.subjects.search_index import name_grams_renamed
from xinyong.subjects.services._common import clean_name, require_active, require_registrar


def _check_rename(current: SubjectName, name: str, valid_from: dt.date, source: str) -> None:
    """A new name must differ, start after the current one started, and say where it comes from."""
    if not source.strip():
        raise DomainError("subject.rename_source_required", "须注明名称变更的来源（如登记机关、文书）")
    if name == current.name:
        raise DomainError("subject.rename_same_name", f"新名称与现名称相同：{name}")
    if valid_from <= current.valid_from:
        raise DomainError(
            "subject.rename_date_invalid",
            f"新名称的起始日期须晚于现名称的起始日期 {current.valid_from:%Y-%m-%d}",
        )


def subject_rename(
    *, actor: Actor, now: dt.datetime, subject: Subject, name: str, valid_from: dt.date, source: str
) -> SubjectName:
    """Record a change of name: the current row ends the day before `valid_from`, a new row opens.

    Nothing is overwritten (docs/domain.md principle 1): the old name stays in the history with its period.
    Returns the new name-history row.
    """
    require_registrar(actor)
    name = clean_name(name)
    with transaction.atomic():
        subject = Subject.objects.select_for_update().get(pk=subject.pk)
        require_active(subject)
        current = SubjectName.objects.select_for_update().get(subject=subject, valid_to__isnull=True)
        _check_rename(current, name, valid_from, source)
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
        row = SubjectName.objects.create(
            subject=subject, name=name, valid_from=valid_from, source=source.strip(), recorded_at=now
        )
        subject.name = name
        subject.save(update_fields=["name"])
        name_grams_renamed(subject.pk, closed=current.name, opened=name)
        audit_append(
            actor=actor,
            action="subject.rename",
            target_type="subject",
            target_id=subject.pk,
            now=now,
            payload={
                "from": current.name,
                "to": name,
                "valid_from": valid_from.isoformat(),
                "source": row.source,
            },
        )
    return row
