"""Writes to the working-day calendar (DESIGN §4: "the calendar is data, updated yearly").

Two sources: the years chinesecalendar knows (2004 to its last year; 1.11.0 stops at 2026), and operator
files (or the admin) for the years it does not know yet. Every write runs in one transaction with a
`calendar.load` / `calendar.complete` audit event, drops the working-day cache, and then calls the
"provisional recompute" hooks named in `settings.XINYONG_CALENDAR_RECOMPUTE` (dotted paths, each called
as `fn(years=[...], now=now, actor=actor)` and returning how many things it recomputed), so that deadlines
first computed as provisional (weekends only) are reckoned again once the year's schedule is known.

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
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from xinyong.audit.services import audit_append
from xinyong.core import timeutil, workdays
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError
from xinyong.core.models import CalendarDay, CalendarSource, CalendarYear, DayKind

log = logging.getLogger(__name__)

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
BUILTIN_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
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


@dataclass
class CalendarLoadResult:
    """What a load wrote: years, day counts, and what the recompute hooks reported."""

    years: list[int]
    source: str
    holidays: int = 0
    workdays: int = 0
    unchanged: bool = False
    replaced: list[int] = field(default_factory=list)
    recomputed: dict[str, int] = field(default_factory=dict)
    recompute_errors: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- parsing


def _err(errors: list[dict], fld: str, code: str, message: str) -> None:
    errors.append({"field": fld, "code": code, "message": message})


_ENTRY_RE = re.compile(r"^(holidays|workdays|days)\[(\d+)\]")


def _entry_order(error: dict) -> tuple[int, int]:
    """Document-level errors first, then holidays and workdays in the order of their entries."""
    m = _ENTRY_RE.match(error["field"])
    return (0, 0) if m is None else (1 if m[1] != "workdays" else 2, int(m[2]))


def _invalid(errors: list[dict], where: str) -> DomainError:
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
        raise _invalid(errors, where)
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


def read_calendar_file(path: str | Path) -> tuple[YearSpec, str]:
    """Read and validate an operator file (.yaml / .yml / .json) → (spec, sha256 of the bytes)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DomainError("calendar.invalid", f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise DomainError(
            "calendar.invalid", f"文件 {path.name} 不是有效的 UTF-8 YAML / JSON：{exc}"
        ) from exc
    return parse_calendar_document(data, where=f"文件 {path.name} "), hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------------------------------------- writing


def _run_recompute_hooks(*, years: list[int], now: dt.datetime, actor: Actor) -> tuple[dict, dict]:
    """Call each hook of settings.XINYONG_CALENDAR_RECOMPUTE; a failing hook is logged and reported, and
    does not undo the calendar write (the admin action "载入完成并重新计算" runs them again)."""
    counts: dict[str, int] = {}
    failures: dict[str, str] = {}
    for path in getattr(settings, "XINYONG_CALENDAR_RECOMPUTE", []):
        try:
            counts[path] = int(import_string(path)(years=list(years), now=now, actor=actor) or 0)
        except Exception as exc:  # reported to the operator; the calendar stays loaded
            log.exception("calendar recompute hook %s failed", path)
            failures[path] = f"{type(exc).__name__}: {exc}"
    return counts, failures


def _invalidate_cache() -> None:
    """Drop the working-day cache now (this transaction) and again once the write is committed."""
    workdays.invalidate()
    transaction.on_commit(workdays.invalidate)


def _same_content(existing: CalendarYear, spec: YearSpec, source: str) -> bool:
    have = {(d.date, d.kind, d.name) for d in existing.days.all()}
    want = {(d.date, d.kind, d.name) for d in spec.days}
    same_header = (existing.source, existing.complete, existing.note) == (source, spec.complete, spec.note)
    return same_header and have == want


def _write_year(
    *, existing: CalendarYear | None, spec: YearSpec, source: str, actor: Actor, now: dt.datetime
) -> CalendarYear:
    """Create or replace the year's row and all its days."""
    values = {
        "source": source,
        "loaded_at": now,
        "loaded_by": actor.label,
        "complete": spec.complete,
        "note": spec.note,
    }
    if existing is None:
        year = CalendarYear.objects.create(year=spec.year, revision=1, **values)
    else:
        year = existing
        for key, value in values.items():
            setattr(year, key, value)
        year.revision += 1
        year.save()
        year.days.all().delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d.date, kind=d.kind, name=d.name, year=year) for d in spec.days]
    )
    return year


def _other_source(existing: CalendarYear) -> Conflict:
    """A year from another source is only overwritten on request (replace=True / --replace)."""
    loaded = timeutil.business_date(existing.loaded_at)
    return Conflict(
        "calendar.year_loaded",
        f"{existing.year} 年已由 {existing.get_source_display()} 载入（{loaded:%Y-%m-%d}）；"
        "如确需以本文件替换，请使用 --replace",
        year=existing.year,
        source=existing.source,
    )


def _count(spec: YearSpec, kind: str) -> int:
    return sum(1 for d in spec.days if d.kind == kind)


def calendar_load_year(
    *,
    actor: Actor,
    now: dt.datetime,
    spec: YearSpec,
    source: str = CalendarSource.OPERATOR,
    replace: bool = False,
    provenance: dict | None = None,
) -> CalendarLoadResult:
    """Write one year's schedule (file or admin) in one transaction with a `calendar.load` audit event,
    then run the recompute hooks. Loading identical content again writes nothing (no event, no hooks)."""
    source = CalendarSource(source).value
    errors = validate_year_days(spec.year, list(spec.days))
    if errors:
        raise _invalid(errors, f" {spec.year} 年")
    result = CalendarLoadResult(
        years=[spec.year],
        source=source,
        holidays=_count(spec, DayKind.HOLIDAY),
        workdays=_count(spec, DayKind.WORKDAY),
    )
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=spec.year).first()
        if existing is not None and existing.source != source and not replace:
            raise _other_source(existing)
        if existing is not None and _same_content(existing, spec, source):
            result.unchanged = True
            return result
        _write_year(existing=existing, spec=spec, source=source, actor=actor, now=now)
        audit_append(
            actor=actor,
            action="calendar.load",
            target_type="calendar_year",
            target_id=spec.year,
            now=now,
            payload={
                "source": source,
                "complete": spec.complete,
                "holidays": result.holidays,
                "workdays": result.workdays,
                "replaced": existing is not None,
                "previous_source": existing.source if existing else "",
                **(provenance or {}),
            },
        )
        _invalidate_cache()
    result.replaced = [spec.year] if existing is not None else []
    result.recomputed, result.recompute_errors = _run_recompute_hooks(
        years=result.years, now=now, actor=actor
    )
    return result


def calendar_load_file(
    *, actor: Actor, now: dt.datetime, path: str | Path, replace: bool = False
) -> CalendarLoadResult:
    """Load an operator file for a year chinesecalendar does not know (or, with replace=True, to override
    one it does). Raises `calendar.invalid` (per-entry errors) or `calendar.year_loaded`."""
    spec, digest = read_calendar_file(path)
    provenance = {"file": Path(path).name, "sha256": digest, "weekend_holidays": spec.weekend_holidays}
    return calendar_load_year(actor=actor, now=now, spec=spec, replace=replace, provenance=provenance)


# ---------------------------------------------------------------------------------------------- builtin


def builtin_years() -> range:
    """The years chinesecalendar knows (1.11.0: 2004–2026)."""
    from chinese_calendar.constants import holidays

    years = [d.year for d in holidays]
    return range(min(years), max(years) + 1)


def builtin_year_spec(year: int) -> YearSpec:
    """One chinesecalendar year as stored exceptions: weekday holidays and weekend workdays only."""
    import chinese_calendar
    from chinese_calendar.constants import holidays
    from chinese_calendar.constants import workdays as worked

    days = [
        DaySpec(d, DayKind.HOLIDAY.value, BUILTIN_NAMES.get(n, n))
        for d, n in holidays.items()
        if d.year == year and d.weekday() < 5
    ]
    days += [
        DaySpec(d, DayKind.WORKDAY.value, BUILTIN_NAMES.get(n, n))
        for d, n in worked.items()
        if d.year == year and d.weekday() >= 5
    ]
    note = f"chinesecalendar {chinese_calendar.__version__}"
    return YearSpec(year=year, days=tuple(sorted(days, key=lambda s: s.date)), complete=True, note=note)


def calendar_load_builtin_result(
    *, actor: Actor, now: dt.datetime, years: list[int] | None = None
) -> CalendarLoadResult:
    """Load every chinesecalendar year (or the given ones) not yet loaded from any source, in one
    transaction with one `calendar.load` event per year; a second call loads nothing and writes nothing."""
    known = builtin_years()
    wanted = sorted(set(known if years is None else years))
    unknown = [y for y in wanted if y not in known]
    if unknown:
        raise DomainError(
            "calendar.builtin_unknown_year",
            f"chinesecalendar 只含 {known.start}–{known.stop - 1} 年，"
            f"没有 {'、'.join(map(str, unknown))} 年；请以运维文件载入（xinyong calendar load FILE）",
        )
    result = CalendarLoadResult(years=[], source=CalendarSource.BUILTIN.value)
    with transaction.atomic():
        loaded = set(CalendarYear.objects.select_for_update().values_list("year", flat=True))
        for year in (y for y in wanted if y not in loaded):
            spec = builtin_year_spec(year)
            _write_year(existing=None, spec=spec, source=result.source, actor=actor, now=now)
            counts = {"holidays": _count(spec, DayKind.HOLIDAY), "workdays": _count(spec, DayKind.WORKDAY)}
            audit_append(
                actor=actor,
                action="calendar.load",
                target_type="calendar_year",
                target_id=year,
                now=now,
                payload={"source": result.source, "complete": True, "note": spec.note, **counts},
            )
            result.years.append(year)
            result.holidays += counts["holidays"]
            result.workdays += counts["workdays"]
        if result.years:
            _invalidate_cache()
    if result.years:
        result.recomputed, result.recompute_errors = _run_recompute_hooks(
            years=result.years, now=now, actor=actor
        )
    return result


def calendar_load_builtin(*, actor: Actor, now: dt.datetime, years: list[int] | None = None) -> list[int]:
    """The years newly loaded from chinesecalendar (see calendar_load_builtin_result)."""
    return calendar_load_builtin_result(actor=actor, now=now, years=years).years


# ---------------------------------------------------------------------------------------------- admin


def calendar_mark_complete(*, actor: Actor, now: dt.datetime, years: list[int]) -> CalendarLoadResult:
    """Mark loaded years complete (a `calendar.complete` event for each that was not) and run the
    recompute hooks for all of them — the admin action "载入完成并重新计算"."""
    result = CalendarLoadResult(years=sorted(set(years)), source=CalendarSource.OPERATOR.value)
    with transaction.atomic():
        rows = list(CalendarYear.objects.select_for_update().filter(year__in=result.years))
        missing = sorted(set(result.years) - {r.year for r in rows})
        if missing:
            raise DomainError("calendar.year_missing", f"{'、'.join(map(str, missing))} 年尚未载入")
        for row in (r for r in rows if not r.complete):
            row.complete, row.loaded_at, row.loaded_by = True, now, actor.label
            row.revision += 1
            row.save(update_fields=["complete", "loaded_at", "loaded_by", "revision"])
            audit_append(
                actor=actor,
                action="calendar.complete",
                target_type="calendar_year",
                target_id=row.year,
                now=now,
                payload={"source": row.source},
            )
        _invalidate_cache()
    result.recomputed, result.recompute_errors = _run_recompute_hooks(
        years=result.years, now=now, actor=actor
    )
    return result
