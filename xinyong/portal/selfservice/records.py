"""The subject's own records as the self-service forms offer them (objection and repair targets)."""

from __future__ import annotations

from django.utils import dateformat
from django.utils.translation import gettext

from xinyong.catalog.selectors import categories_by_ids
from xinyong.core.timeutil import business_date, now
from xinyong.portal.wording import word
from xinyong.records.models import RecordStatus
from xinyong.records.selectors import record_list_by_ids
from xinyong.standing.selectors import SELF, standing_for

STATUS_LABELS = dict(RecordStatus.choices)


def own_record_choices(*, subject_id: int, statuses: tuple[str, ...] | None = None) -> list[tuple[int, str]]:
    """(record id, label) of the subject's current records (what it sees of itself), newest decision first;
    only those in `statuses` when given. Label: category, document number, unit, decision date, status."""
    facts = standing_for(subject_id=subject_id, on=business_date(now()), scope=SELF).records
    ids = [f.record_id for f in facts if statuses is None or f.status in statuses]
    records = record_list_by_ids(record_ids=ids)
    names = {c.pk: c.name for c in categories_by_ids(ids={r.category_id for r in records})}
    label, day = gettext("%(category)s %(doc_no)s（%(unit)s，%(day)s，%(status)s）"), gettext("Y年m月d日")
    return [
        (
            r.pk,
            label
            % {
                "category": names.get(r.category_id, ""),
                "doc_no": r.doc_no,
                "unit": r.unit.name,
                "day": dateformat.format(r.decision_date, day),
                "status": word(STATUS_LABELS.get(r.status, r.status)),
            },
        )
        for r in records
    ]
