"""Writes to the working-day calendar (docs/rules.md: "the calendar is data, updated yearly").

Two sources: the years chinesecalendar knows (2004 to its last year; 1.11.0 stops at 2026), and operator
files (or the admin) for the years it does not know yet. Every write runs in one transaction with a
`calendar.load` / `calendar.complete` audit event, drops the working-day cache, and then calls the
"provisional recompute" hooks named in `settings.XINYONG_CALENDAR_RECOMPUTE` (dotted paths, each called
as `fn(years=[...], now=now, actor=actor)` and returning how many things it recomputed), so that deadlines
first computed as provisional (weekends only) are reckoned again once the year's schedule is known.

Operator files are read and checked by `parsing.py` (the file format is described there).

Errors are `DomainError("calendar.invalid")` with one entry per problem ({field, code, message});
loading over a year that came from another source needs `replace=True` (else `calendar.year_loaded`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from xinyong.audit.services import audit_append
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError
from xinyong.core.reference import (
    AuditNote,
    Changes,
    LoadResult,
    ReferenceSpec,
    reference_read,
    reference_write,
)
from xinyong.workdays import selectors as workdays
from xinyong.workdays.models import CalendarDay, CalendarSource, CalendarYear, DayKind
from xinyong.workdays.parsing import (
    DaySpec,
    YearSpec,
    calendar_invalid,
    parse_calendar_file,
    validate_year_days,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class YearLoad:
    """One year to write: its checked schedule, its source, and (from a file) the file's provenance."""

    spec: YearSpec
    source: str = CalendarSource.OPERATOR.value
    replace: bool = False
    provenance: dict = field(default_factory=dict)


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


@dataclass(kw_only=True)
class CalendarLoadResult(LoadResult):
    """What a load wrote: years, day counts, and what the recompute hooks reported."""

    years: list[int]
    source: str
    holidays: int = 0
    workdays: int = 0
    unchanged: bool = False
    replaced: list[int] = field(default_factory=list)
    previous_source: str = ""
    recomputed: dict[str, int] = field(default_factory=dict)
    recompute_errors: dict[str, str] = field(default_factory=dict)


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
        raise calendar_invalid(errors, f" {spec.year} 年")
    load = YearLoad(spec, source, replace, provenance or {})
    result = reference_write(CALENDAR_YEAR, load, actor=actor, now=now)
    if result.changed:
        result.recomputed, result.recompute_errors = _run_recompute_hooks(
            years=result.years, now=now, actor=actor
        )
    return result


def _year_write(load: YearLoad, changes: Changes) -> CalendarLoadResult:
    """Create or replace the year (a year from another source only with `replace`); identical: unchanged."""
    spec, source = load.spec, load.source
    result = CalendarLoadResult(
        years=[spec.year],
        source=source,
        holidays=_count(spec, DayKind.HOLIDAY),
        workdays=_count(spec, DayKind.WORKDAY),
    )
    existing = CalendarYear.objects.select_for_update().filter(year=spec.year).first()
    if existing is not None and existing.source != source and not load.replace:
        raise _other_source(existing)
    if existing is not None and _same_content(existing, spec, source):
        result.unchanged = True
        return result
    _write_year(existing=existing, spec=spec, source=source, actor=changes.actor, now=changes.now)
    changes.add("created" if existing is None else "updated", str(spec.year))
    result.replaced = [spec.year] if existing is not None else []
    result.previous_source = existing.source if existing is not None else ""
    result.created, result.updated = changes.of("created"), changes.of("updated")
    return result


def _year_audit(load: YearLoad, result: CalendarLoadResult, changes: Changes) -> AuditNote:
    counts = {"holidays": result.holidays, "workdays": result.workdays}
    if load.source == CalendarSource.BUILTIN:
        payload = {"source": load.source, "complete": True, "note": load.spec.note, **counts}
    else:
        payload = {
            "source": load.source, "complete": load.spec.complete, **counts,
            "replaced": bool(result.replaced), "previous_source": result.previous_source, **load.provenance,
        }  # fmt: skip
    return AuditNote("calendar.load", "calendar_year", load.spec.year, payload)


def _read_year(raw: bytes, path: Path) -> YearLoad:
    spec, digest = parse_calendar_file(raw, path)
    provenance = {"file": path.name, "sha256": digest, "weekend_holidays": spec.weekend_holidays}
    return YearLoad(spec, provenance=provenance)


def calendar_load_file(
    *, actor: Actor, now: dt.datetime, path: str | Path, replace: bool = False
) -> CalendarLoadResult:
    """Load an operator file for a year chinesecalendar does not know (or, with replace=True, to override
    one it does). Raises `calendar.invalid` (per-entry errors) or `calendar.year_loaded`."""
    load = reference_read(CALENDAR_YEAR, path)
    return calendar_load_year(
        actor=actor, now=now, spec=load.spec, replace=replace, provenance=load.provenance
    )


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
            load = YearLoad(builtin_year_spec(year), source=result.source)
            written = reference_write(CALENDAR_YEAR, load, actor=actor, now=now)
            result.years.append(year)
            result.holidays += written.holidays
            result.workdays += written.workdays
            result.created += written.created
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


CALENDAR_YEAR = ReferenceSpec(name="calendar", invalid="calendar.invalid", parse=_read_year,
                              write=_year_write, audit=_year_audit, append=audit_append,
                              unreadable="无法读取文件 {path}：{reason}", encoding=None,
                              after_change=_invalidate_cache)  # fmt: skip
