"""Reading and checking the working-day calendar's operator files (docs/rules.md: "the calendar is data").

Operator file format (YAML or JSON, one year per file; see data/calendar-2027-sample.yaml):

    year: 2027                 # required
    complete: true             # optional (default true); false = draft, results stay provisional
    note: "..."                # optional
    holidays:                  # days off; weekdays are stored, weekend days must say `weekend: true`
      - {date: 2027-10-01, name: 国庆节}
      - {date: 2027-10-02, name: 国庆节, weekend: true}   # listed for completeness, not stored
    workdays:                  # adjusted working weekends (调休上班): Saturdays or Sundays only
      - {date: 2027-10-09, name: 国庆节}

Errors are `DomainError("calendar.invalid")` with one entry per problem ({field, code, message});
loading over a year that came from another source needs `replace=True` (else `calendar.year_loaded`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from xinyong.core.errors import DomainError
from xinyong.core.yamlstrict import yaml_load_strict
from xinyong.workdays.models import DayKind

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_TOP_KEYS = {"year", "complete", "note", "holidays", "workdays"}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_YEAR, MAX_YEAR = 1949, 2200


@dataclass(frozen=True)
class DaySpec:
    """One stored exception: a weekday off (`holiday`) or a weekend worked (`workday`)."""

    date: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class YearSpec:
    """A validated year: only the exceptions to Mon–Fri (weekend holidays are dropped)."""

    year: int
    days: tuple[DaySpec, ...]
    complete: bool = True
    note: str = ""
    weekend_holidays: int = 0


def _err(errors: list[dict], fld: str, code: str, message: str) -> None:
    errors.append({"field": fld, "code": code, "message": message})


_ENTRY_RE = re.compile(r"^(holidays|workdays|days)\[(\d+)\]")


def _entry_order(error: dict) -> tuple[int, int]:
    """Document-level errors first, then holidays and workdays in the order of their entries."""
    m = _ENTRY_RE.match(error["field"])
    return (0, 0) if m is None else (1 if m[1] != "workdays" else 2, int(m[2]))


def calendar_invalid(errors: list[dict], where: str) -> DomainError:
    errors = sorted(errors, key=_entry_order)
    return DomainError("calendar.invalid", f"节假日安排{where}有 {len(errors)} 处错误，未载入", errors=errors)


def _day_label(d: dt.date) -> str:
    return f"{d:%Y-%m-%d}（{WEEKDAY_NAMES[d.weekday()]}）"


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _parse_entry(raw: object, kind: str, i: int, errors: list[dict]) -> tuple[dt.date, str, bool] | None:
    """One `holidays` / `workdays` item → (date, name, weekend mark), or None with errors recorded."""
    where = f"{kind}[{i}]"
    label = f"{kind} 第 {i + 1} 项"
    if not isinstance(raw, dict):
        _err(errors, where, "entry_invalid", f"{label}：应为 {{date, name}} 的映射")
        return None
    allowed = {"date", "name", "weekend"} if kind == "holidays" else {"date", "name"}
    for key in sorted(set(map(str, raw)) - allowed):
        _err(
            errors,
            f"{where}.{key}",
            "key_unknown",
            f"{label}：未知字段 {key}（可用：{'、'.join(sorted(allowed))}）",
        )
    day = _parse_date(raw.get("date"))
    if day is None:
        got = f"收到 {raw['date']!r}" if "date" in raw else "缺少 date"
        _err(errors, f"{where}.date", "date_invalid", f"{label}：日期须为 YYYY-MM-DD（{got}）")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 60:
        _err(errors, f"{where}.name", "name_invalid", f"{label}：须填写名称（如 国庆节、春节），不超过 60 字")
    weekend = raw.get("weekend", False)
    if not isinstance(weekend, bool):
        _err(errors, f"{where}.weekend", "weekend_invalid", f"{label}：weekend 只能是 true 或 false")
    if day is None or not isinstance(name, str) or not isinstance(weekend, bool):
        return None
    return day, name.strip(), weekend


def _parse_year(data: dict, errors: list[dict]) -> int | None:
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        _err(errors, "year", "year_invalid", f"year：须为 {MIN_YEAR}–{MAX_YEAR} 之间的年份，收到 {year!r}")
        return None
    return year


def _parse_header(data: object, errors: list[dict]) -> tuple[int | None, bool, str]:
    """The top level: year, complete, note (and unknown keys)."""
    if not isinstance(data, dict):
        _err(errors, "", "document_invalid", "文件内容应为映射，含 year、holidays、workdays")
        return None, True, ""
    for key in sorted(set(map(str, data)) - _TOP_KEYS):
        _err(errors, key, "key_unknown", f"未知字段 {key}（可用：{'、'.join(sorted(_TOP_KEYS))}）")
    complete, note = data.get("complete", True), data.get("note", "")
    if not isinstance(complete, bool):
        _err(errors, "complete", "complete_invalid", "complete 只能是 true 或 false")
    if not isinstance(note, str):
        _err(errors, "note", "note_invalid", "note 应为文本")
    return _parse_year(data, errors), complete is True, note if isinstance(note, str) else ""


def _entries(data: dict, kind: str, errors: list[dict]) -> list[tuple[int, dt.date, str, bool]]:
    raw = data.get(kind) or []
    if not isinstance(raw, list):
        _err(errors, kind, "entries_invalid", f"{kind} 应为列表")
        return []
    parsed = [(i, _parse_entry(item, kind, i, errors)) for i, item in enumerate(raw)]
    return [(i, *entry) for i, entry in parsed if entry is not None]


def _check_holiday(i: int, day: dt.date, weekend: bool, errors: list[dict]) -> bool:
    """True when the holiday is stored (a weekday off); weekend days must be marked and are dropped."""
    label, where = f"holidays 第 {i + 1} 项 {_day_label(day)}", f"holidays[{i}].date"
    on_weekend = day.weekday() >= 5
    if on_weekend and not weekend:
        _err(
            errors,
            where,
            "holiday_on_weekend",
            f"{label}：周末本来休息；若属假期的一部分请标注 weekend: true",
        )
    if weekend and not on_weekend:
        _err(
            errors, f"holidays[{i}].weekend", "weekend_mismatch", f"{label}：不是周末，却标注了 weekend: true"
        )
    return not on_weekend


def _check_year_and_duplicates(year: int, items: list[tuple[str, int, dt.date]], errors: list[dict]) -> None:
    """Every date inside `year`; no date twice; no date both a holiday and a workday."""
    seen: dict[dt.date, tuple[str, int]] = {}
    for kind, i, day in items:
        where, label = f"{kind}[{i}].date", f"{kind} 第 {i + 1} 项 {_day_label(day)}"
        if day.year != year:
            _err(errors, where, "date_outside_year", f"{label}：不在 {year} 年内")
        if day in seen:
            other_kind, j = seen[day]
            code = "holiday_and_workday" if other_kind != kind else "date_duplicate"
            what = "既是放假日又是调休上班日" if other_kind != kind else "重复列出"
            _err(errors, where, code, f"{label}：{what}（另见 {other_kind} 第 {j + 1} 项）")
        else:
            seen[day] = (kind, i)


def parse_calendar_document(data: object, *, where: str = "文件") -> YearSpec:
    """Validate an operator document (the format in this module's docstring) into a YearSpec."""
    errors: list[dict] = []
    year, complete, note = _parse_header(data, errors)
    holidays = _entries(data, "holidays", errors) if isinstance(data, dict) else []
    workdays_ = _entries(data, "workdays", errors) if isinstance(data, dict) else []
    days: list[DaySpec] = []
    weekend_holidays = 0
    for i, day, name, weekend in holidays:
        if _check_holiday(i, day, weekend, errors):
            days.append(DaySpec(day, DayKind.HOLIDAY.value, name))
        else:
            weekend_holidays += 1
    for i, day, name, _ in workdays_:
        if day.weekday() < 5:
            _err(
                errors,
                f"workdays[{i}].date",
                "workday_not_weekend",
                f"workdays 第 {i + 1} 项 {_day_label(day)}：调休上班日须为周六或周日，工作日本来就上班",
            )
        days.append(DaySpec(day, DayKind.WORKDAY.value, name))
    if year is not None:
        items = [("holidays", i, d) for i, d, _, _ in holidays] + [
            ("workdays", i, d) for i, d, _, _ in workdays_
        ]
        _check_year_and_duplicates(year, items, errors)
    if errors or year is None:
        raise calendar_invalid(errors, where)
    days.sort(key=lambda s: s.date)
    return YearSpec(year, tuple(days), complete, note.strip(), weekend_holidays)


def validate_year_days(year: int, days: list[DaySpec]) -> list[dict]:
    """Errors for days entered directly (admin): stored days only, so holidays must fall on weekdays."""
    errors: list[dict] = []
    for i, spec in enumerate(days):
        label = f"{_day_label(spec.date)} {spec.name}"
        if spec.kind == DayKind.HOLIDAY and spec.date.weekday() >= 5:
            _err(errors, f"days[{i}].date", "holiday_on_weekend", f"{label}：周末本来休息，无需录入为节假日")
        if spec.kind == DayKind.WORKDAY and spec.date.weekday() < 5:
            _err(errors, f"days[{i}].date", "workday_not_weekend", f"{label}：调休上班日须为周六或周日")
    items = [("holidays" if s.kind == DayKind.HOLIDAY else "workdays", i, s.date) for i, s in enumerate(days)]
    _check_year_and_duplicates(year, items, errors)
    return errors


def parse_calendar_file(raw: bytes, path: Path) -> tuple[YearSpec, str]:
    """Check an operator file's bytes (.yaml / .yml / .json) → (spec, sha256 of the bytes)."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml_load_strict(text)
    except (UnicodeDecodeError, ValueError) as exc:  # StrictYamlError and JSONDecodeError are ValueErrors
        raise DomainError(
            "calendar.invalid", f"文件 {path.name} 不是有效的 UTF-8 YAML / JSON：{exc}"
        ) from exc
    return parse_calendar_document(data, where=f"文件 {path.name} "), hashlib.sha256(raw).hexdigest()
