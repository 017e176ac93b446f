"""Name history (名称变更): a rename closes the current row the day before and opens a new one."""

import datetime as dt

import pytest

from tests.support.factories import T0, SubjectFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.subjects.selectors import subject_names
from xinyong.subjects.services import subject_rename

pytestmark = pytest.mark.django_db


def _history(subject):
    return [(n.name, n.valid_from, n.valid_to, n.source) for n in subject_names(subject=subject)]


def test_two_renames_leave_exact_history(registrar):
    subject = SubjectFactory(name="北京甲科技有限公司", name_valid_from=dt.date(2015, 3, 1))
    subject_rename(
        actor=registrar,
        now=T0,
        subject=subject,
        name="北京甲信息技术有限公司",
        valid_from=dt.date(2019, 7, 15),
        source="海淀区市场监管局变更登记",
    )
    row = subject_rename(
        actor=registrar,
        now=T0,
        subject=subject,
        name="北京甲集团有限公司",
        valid_from=dt.date(2024, 1, 1),
        source="变更登记",
    )
    assert _history(subject) == [
        ("北京甲科技有限公司", dt.date(2015, 3, 1), dt.date(2019, 7, 14), "登记"),
        ("北京甲信息技术有限公司", dt.date(2019, 7, 15), dt.date(2023, 12, 31), "海淀区市场监管局变更登记"),
        ("北京甲集团有限公司", dt.date(2024, 1, 1), None, "变更登记"),
    ]
    subject.refresh_from_db()
    assert (subject.name, row.name, row.recorded_at) == ("北京甲集团有限公司", "北京甲集团有限公司", T0)
    event = AuditEvent.objects.filter(action="subject.rename").last()
    assert event.payload == {
        "from": "北京甲信息技术有限公司",
        "to": "北京甲集团有限公司",
        "valid_from": "2024-01-01",
        "source": "变更登记",
    }


@pytest.mark.parametrize(
    "name,valid_from,source,code",
    [
        ("新名称", dt.date(2015, 2, 28), "变更登记", "subject.rename_date_invalid"),
        ("新名称", dt.date(2015, 3, 1), "变更登记", "subject.rename_date_invalid"),
        ("旧名称", dt.date(2020, 1, 1), "变更登记", "subject.rename_same_name"),
        ("新名称", dt.date(2020, 1, 1), " ", "subject.rename_source_required"),
        ("  ", dt.date(2020, 1, 1), "变更登记", "subject.name_required"),
    ],
)
def test_rename_refusals_change_nothing(registrar, name, valid_from, source, code):
    subject = SubjectFactory(name="旧名称", name_valid_from=dt.date(2015, 3, 1))
    with pytest.raises(DomainError) as exc:
        subject_rename(
            actor=registrar, now=T0, subject=subject, name=name, valid_from=valid_from, source=source
        )
    assert exc.value.code == code
    assert _history(subject) == [("旧名称", dt.date(2015, 3, 1), None, "登记")]
