"""Loading the calendar: chinesecalendar years, operator files, audit events, recompute hooks (docs/rules.md)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings

from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.workdays import services as svc
from xinyong.workdays.models import CalendarDay, CalendarYear
from xinyong.workdays.selectors import add_working_days
from xinyong.workdays.tests.helpers import ACTOR, SAMPLE_2027, T0

HOOK = "xinyong.workdays.tests.test_services.recompute_hook"
FAILING_HOOK = "xinyong.workdays.tests.test_services.failing_hook"
CALLS: list[dict] = []


def recompute_hook(*, years, now, actor) -> int:
    """A stand-in for "recompute provisional deadlines": records its call and what it sees."""
    CALLS.append(
        {
            "years": years,
            "now": now,
            "actor": actor,
            "sees": add_working_days(dt.date(2026, 12, 31), 1),
        }
    )
    return 3


def failing_hook(*, years, now, actor) -> int:
    raise RuntimeError("下游不可用")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def loads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="calendar.load").order_by("seq"))


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------- builtin


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_builtin_load_is_idempotent():
    assert svc.builtin_years() == range(2004, 2027)
    assert svc.calendar_load_builtin(actor=ACTOR, now=T0) == list(range(2004, 2027))
    events = loads()
    assert [e.target_id for e in events] == [str(y) for y in range(2004, 2027)]
    assert events[-1].payload == {
        "source": "chinesecalendar",
        "complete": True,
        "note": "chinesecalendar 1.11.0",
        "holidays": 19,
        "workdays": 6,
    }
    assert [c["years"] for c in CALLS] == [list(range(2004, 2027))]

    assert svc.calendar_load_builtin(actor=ACTOR, now=T0 + dt.timedelta(days=1)) == []
    assert len(loads()) == 23 and len(CALLS) == 1
    assert CalendarYear.objects.count() == 23


@pytest.mark.django_db
def test_builtin_stores_only_exceptions_with_chinese_names():
    svc.calendar_load_builtin(actor=ACTOR, now=T0, years=[2025])
    days = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(year__year=2025)}
    assert days[dt.date(2025, 10, 6)] == ("holiday", "中秋节")
    assert days[dt.date(2025, 10, 8)] == ("holiday", "国庆节")
    assert days[dt.date(2025, 9, 28)] == ("workday", "国庆节")
    assert days[dt.date(2025, 10, 11)] == ("workday", "国庆节")
    assert dt.date(2025, 10, 4) not in days  # a Saturday inside the holiday: off anyway
    assert all(d.weekday() < 5 for d, (kind, _) in days.items() if kind == "holiday")
    assert all(d.weekday() >= 5 for d, (kind, _) in days.items() if kind == "workday")


@pytest.mark.django_db
def test_builtin_refuses_a_year_it_does_not_know():
    with pytest.raises(DomainError) as exc:
        svc.calendar_load_builtin(actor=ACTOR, now=T0, years=[2026, 2027])
    assert exc.value.code == "calendar.builtin_unknown_year"
    assert exc.value.message == (
        "chinesecalendar 只含 2004–2026 年，没有 2027 年；请以运维文件载入（xinyong calendar load FILE）"
    )
    assert CalendarYear.objects.count() == 0


# ------------------------------------------------------------------------------- operator files


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_sample_file_load_audits_and_calls_the_hook_with_its_year(builtin):
    CALLS.clear()
    result = svc.calendar_load_file(actor=ACTOR, now=T0, path=SAMPLE_2027)
    assert (result.years, result.source, result.holidays, result.workdays) == ([2027], "operator", 18, 5)
    assert (result.unchanged, result.replaced, result.recomputed) == (False, [], {HOOK: 3})
    assert result.recompute_errors == {}
    (call,) = CALLS
    assert (call["years"], call["now"], call["actor"]) == ([2027], T0, ACTOR)
    assert call["sees"].value == dt.date(2027, 1, 4) and not call["sees"].provisional  # cache already fresh
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.complete, year.loaded_by, year.loaded_at) == ("operator", True, "user:7", T0)
    assert year.note.startswith("示例数据（SAMPLE）")
    event = loads()[-1]
    assert (event.target_type, event.target_id, event.actor, event.request_id) == (
        "calendar_year",
        "2027",
        "user:7",
        "t-cal",
    )
    assert event.payload["file"] == "calendar-2027-sample.yaml"
    assert len(event.payload["sha256"]) == 64
    assert (event.payload["weekend_holidays"], event.payload["replaced"]) == (11, False)


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_same_file_again_changes_nothing(sample_2027):
    CALLS.clear()
    before = len(loads())
    result = svc.calendar_load_file(actor=ACTOR, now=T0 + dt.timedelta(days=1), path=SAMPLE_2027)
    assert result.unchanged and result.recomputed == {}
    assert len(loads()) == before and CALLS == []
    assert CalendarYear.objects.get(year=2027).loaded_at == T0


@pytest.mark.django_db
def test_corrected_operator_file_replaces_the_year(sample_2027, tmp_path):
    path = write(
        tmp_path,
        "calendar-2027.json",
        json.dumps(
            {
                "year": 2027,
                "note": "更正",
                "holidays": [{"date": "2027-10-01", "name": "国庆节"}],
                "workdays": [{"date": "2027-10-09", "name": "国庆节"}],
            },
            ensure_ascii=False,
        ),
    )
    result = svc.calendar_load_file(actor=ACTOR, now=T0, path=path)
    assert (result.holidays, result.workdays, result.replaced) == (1, 1, [2027])
    assert CalendarDay.objects.filter(year__year=2027).count() == 2
    year = CalendarYear.objects.get(year=2027)
    assert (year.note, year.revision) == ("更正", 2)
    assert loads()[-1].payload["previous_source"] == "operator"


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_year_from_chinesecalendar_needs_replace(builtin, tmp_path):
    path = write(tmp_path, "c.yaml", "year: 2026\nholidays:\n  - {date: 2026-10-01, name: 国庆节}\n")
    with pytest.raises(DomainError) as exc:
        svc.calendar_load_file(actor=ACTOR, now=T0, path=path)
    assert (exc.value.code, exc.value.status) == ("calendar.year_loaded", 409)
    assert exc.value.message == (
        "2026 年已由 chinesecalendar 内置数据 载入（2026-06-01）；如确需以本文件替换，请使用 --replace"
    )
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar" and CALLS == []

    result = svc.calendar_load_file(actor=ACTOR, now=T0, path=path, replace=True)
    assert (result.replaced, CALLS[-1]["years"]) == ([2026], [2026])
    assert CalendarYear.objects.get(year=2026).source == "operator"
    assert CalendarDay.objects.filter(year__year=2026).count() == 1


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[FAILING_HOOK, HOOK])
def test_failing_hook_is_reported_and_the_calendar_stays_loaded(builtin):
    result = svc.calendar_load_file(actor=ACTOR, now=T0, path=SAMPLE_2027)
    assert result.recompute_errors == {FAILING_HOOK: "RuntimeError: 下游不可用"}
    assert result.recomputed == {HOOK: 3}
    assert CalendarYear.objects.filter(year=2027).exists()


INVALID = """\
year: 2027
holiday: []
holidays:
  - {date: 2027-01-02, name: 元旦}
  - {date: 2027-01-04, name: 元旦, weekend: true}
  - {date: 2026-12-31, name: 元旦}
  - {date: 2027-02-08, name: ""}
  - {date: 2027-2-9, name: 春节}
  - {date: 2027-10-01, name: 国庆节}
  - {date: 2027-10-01, name: 国庆节}
  - {name: 国庆节}
workdays:
  - {date: 2027-10-04, name: 国庆节}
  - {date: 2027-10-09, name: 国庆节, weekend: true}
  - {date: 2027-10-01, name: 国庆节}
"""


@pytest.mark.django_db
def test_invalid_file_gives_every_error_in_chinese(tmp_path):
    with pytest.raises(DomainError) as exc:
        svc.calendar_load_file(actor=ACTOR, now=T0, path=write(tmp_path, "bad.yaml", INVALID))
    assert (exc.value.code, exc.value.status) == ("calendar.invalid", 400)
    assert exc.value.message == "节假日安排文件 bad.yaml 有 12 处错误，未载入"
    assert [(e["field"], e["code"], e["message"]) for e in exc.value.errors] == [
        ("holiday", "key_unknown", "未知字段 holiday（可用：complete、holidays、note、workdays、year）"),
        (
            "holidays[0].date",
            "holiday_on_weekend",
            "holidays 第 1 项 2027-01-02（星期六）：周末本来休息；若属假期的一部分请标注 weekend: true",
        ),
        (
            "holidays[1].weekend",
            "weekend_mismatch",
            "holidays 第 2 项 2027-01-04（星期一）：不是周末，却标注了 weekend: true",
        ),
        ("holidays[2].date", "date_outside_year", "holidays 第 3 项 2026-12-31（星期四）：不在 2027 年内"),
        ("holidays[3].name", "name_invalid", "holidays 第 4 项：须填写名称（如 国庆节、春节），不超过 60 字"),
        ("holidays[4].date", "date_invalid", "holidays 第 5 项：日期须为 YYYY-MM-DD（收到 '2027-2-9'）"),
        (
            "holidays[6].date",
            "date_duplicate",
            "holidays 第 7 项 2027-10-01（星期五）：重复列出（另见 holidays 第 6 项）",
        ),
        ("holidays[7].date", "date_invalid", "holidays 第 8 项：日期须为 YYYY-MM-DD（缺少 date）"),
        (
            "workdays[0].date",
            "workday_not_weekend",
            "workdays 第 1 项 2027-10-04（星期一）：调休上班日须为周六或周日，工作日本来就上班",
        ),
        ("workdays[1].weekend", "key_unknown", "workdays 第 2 项：未知字段 weekend（可用：date、name）"),
        (
            "workdays[2].date",
            "workday_not_weekend",
            "workdays 第 3 项 2027-10-01（星期五）：调休上班日须为周六或周日，工作日本来就上班",
        ),
        (
            "workdays[2].date",
            "holiday_and_workday",
            "workdays 第 3 项 2027-10-01（星期五）：既是放假日又是调休上班日（另见 holidays 第 6 项）",
        ),
    ]
    assert CalendarYear.objects.count() == 0 and loads() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "text", "errors"),
    [
        (
            "y.yaml",
            "holidays: []\n",
            [("year", "year_invalid", "year：须为 1949–2200 之间的年份，收到 None")],
        ),
        (
            "y.yaml",
            "year: '2027'\n",
            [("year", "year_invalid", "year：须为 1949–2200 之间的年份，收到 '2027'")],
        ),
        ("y.yaml", "- 2027\n", [("", "document_invalid", "文件内容应为映射，含 year、holidays、workdays")]),
        (
            "y.json",
            '{"year": 2027, "holidays": {"date": "2027-10-01"}, "complete": "yes"}',
            [
                ("complete", "complete_invalid", "complete 只能是 true 或 false"),
                ("holidays", "entries_invalid", "holidays 应为列表"),
            ],
        ),
    ],
)
def test_invalid_documents(tmp_path, name, text, errors):
    with pytest.raises(DomainError) as exc:
        svc.calendar_load_file(actor=ACTOR, now=T0, path=write(tmp_path, name, text))
    assert exc.value.code == "calendar.invalid"
    assert [(e["field"], e["code"], e["message"]) for e in exc.value.errors] == errors


@pytest.mark.django_db
def test_unreadable_or_malformed_file(tmp_path):
    with pytest.raises(DomainError) as exc:
        svc.calendar_load_file(actor=ACTOR, now=T0, path=write(tmp_path, "m.yaml", "year: [2027\n"))
    assert exc.value.code == "calendar.invalid"
    assert exc.value.message.startswith("文件 m.yaml 不是有效的 UTF-8 YAML / JSON：")
    with pytest.raises(DomainError) as exc:
        svc.calendar_load_file(actor=ACTOR, now=T0, path=tmp_path / "none.yaml")
    assert exc.value.code == "calendar.invalid"
    assert exc.value.message.startswith("无法读取文件 ")


# ------------------------------------------------------------------------------- draft and completion


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_mark_complete_audits_and_recomputes(builtin):
    draft = svc.YearSpec(
        year=2027, days=(svc.DaySpec(dt.date(2027, 1, 1), "holiday", "元旦"),), complete=False
    )
    svc.calendar_load_year(actor=ACTOR, now=T0, spec=draft)
    result = svc.calendar_mark_complete(actor=ACTOR, now=T0, years=[2027])
    assert result.recomputed == {HOOK: 3} and CALLS[-1]["years"] == [2027]
    assert not CALLS[-1]["sees"].provisional
    event = AuditEvent.objects.filter(action="calendar.complete").get()
    assert (event.target_id, event.payload) == ("2027", {"source": "operator"})
    with pytest.raises(DomainError) as exc:
        svc.calendar_mark_complete(actor=ACTOR, now=T0, years=[2028])
    assert (exc.value.code, exc.value.message) == ("calendar.year_missing", "2028 年尚未载入")
