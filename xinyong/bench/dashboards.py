"""The dashboards benchmark (issue 16: every dashboard ≤ 1 s server time at 1 M subjects / 10 M records).

The dashboards read only the monthly figures (metrics.UnitMonthFigure, ADR 0035), so the records behind them
need not exist: the figures are generated at the size such a platform keeps — every unit for every month,
split as the refresh splits them (双公示 by category and subject's district, objections and repairs by
district, checks and feedback by matter and measure, list moves by list type and district; about 90 rows per
unit and month) — with raw `executemany` (bench is outside the table-ownership rule). Each dashboard page is
then requested through Django's full stack (middleware, the console's guard, templates) as a verified officer
of the credit office, for the whole range and the city and for one district, beside the same-run raw
aggregate: the GROUP BY statements that produce the same sums, sent straight to the storage.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from xinyong.bench.stats import percentile

BATCH = 5000
CATEGORIES = ["XK", "CF", "DJ", "JYYC", "HTLY"]
MATTERS = ["government-procurement", "bidding", "fiscal-funds"]
MEASURES = [f"bench-measure-{i}" for i in range(8)]
LIST_TYPES = ["fy-sxbzx", "scjg-yzsx", "zfcg-blxw"]
COLUMNS = "month, unit_id, district, metric, dimension, numerator, denominator, detail, computed_at"


def months_back(last: dt.date, count: int) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(count))]


def _count(rng: random.Random, top: int) -> tuple[int, int]:
    den = rng.randint(0, top)
    return rng.randint(den * 7 // 10, den) if den else 0, den


def _unit_month(rng, unit_id: int, own: str, districts: list[str], deciding: bool) -> list[tuple]:
    """The figures of one unit and month: (district, metric, dimension, numerator, denominator, detail)."""
    rows = []
    for district in districts:
        for category in CATEGORIES[:2]:
            num, den = _count(rng, 300)
            late = {str(d): c for d, c in ((1, (den - num) // 2), (4, den - num - (den - num) // 2)) if c}
            rows.append(
                (district, "publicity_on_time", category, num, den, {"0": num, **late} if num else late)
            )
        for metric in ("objections_on_time", "repairs_on_time"):
            rows.append((district, metric, "", *_count(rng, 6), {}))
        if deciding:
            for list_type in LIST_TYPES:
                n = rng.randint(0, 20)
                rows.append((district, "list_entries", list_type, n, n, {}))
                rows.append((district, "list_exits", list_type, n // 2, n // 2, {}))
    rows += [(own, "rows_rejected", c, *_count(rng, 3000), {}) for c in CATEGORIES]
    rows += [(own, "catalog_completeness", c, rng.randint(0, 1), 1, {}) for c in CATEGORIES[2:4]]
    rows += [(own, "checks", m, *_count(rng, 500), {}) for m in MATTERS]
    rows += [(own, "feedback_on_time", m, *_count(rng, 50), {}) for m in MATTERS]
    rows += [(own, "measures_applied", m, *_count(rng, 40), {}) for m in MEASURES]
    return rows


def generate(
    *, months: list[dt.date], units: list[tuple[int, str, bool]], districts: list[str], seed: int
) -> int:
    """Write the figures of every unit (id, own district code, deciding a list type) for every month."""
    rng, now, written, batch = random.Random(seed), dt.datetime.now(dt.UTC), 0, []
    sql = f"INSERT INTO metrics_unitmonthfigure ({COLUMNS}) VALUES ({', '.join(['%s'] * 9)})"
    with transaction.atomic(), connection.cursor() as cursor:
        for month in months:
            for unit_id, own, deciding in units:
                for row in _unit_month(rng, unit_id, own, ["", *districts], deciding):
                    district, metric, dimension, num, den, detail = row
                    batch.append(
                        (month, unit_id, district, metric, dimension, num, den, json.dumps(detail), now)
                    )
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    written, batch = written + len(batch), []
        cursor.executemany(sql, batch)
    return written + len(batch)


def _time(fn, repeat: int) -> dict:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    ordered = sorted(seconds)
    return {"median": statistics.median(ordered), "p90": percentile(ordered, 90)}


def raw_aggregates(spec_tables, month_from: dt.date, month_to: dt.date, district: str | None) -> None:
    """The same sums as the dashboard's tables, as the page reads them (one read per metric at the finest
    grouping its tables use, histograms summed inside the storage), sent straight to the storage."""
    columns = {"unit": "unit_id", "month": "month", "dimension": "dimension"}
    finest: dict[str, list[str]] = {}
    for spec in spec_tables:
        finest.setdefault(spec.metric, [])
        finest[spec.metric] += [columns[g] for g in spec.by if columns[g] not in finest[spec.metric]]
    each = ("jsonb_each_text(detail) AS h(key, value)", "h.value::integer") if (
        connection.vendor == "postgresql") else ("json_each(detail) AS h", "h.value")  # fmt: skip
    with connection.cursor() as cursor:
        for metric, keys in finest.items():
            group = ", ".join(keys)
            where = "metric = %s AND month >= %s AND month <= %s" + (" AND district = %s" if district else "")
            params = [metric, month_from.isoformat(), month_to.isoformat(), *([district] if district else [])]
            cursor.execute(
                f"SELECT {group}, SUM(numerator), SUM(denominator) FROM metrics_unitmonthfigure "
                f"WHERE {where} GROUP BY {group}",
                params,
            )
            cursor.fetchall()
            if metric == "publicity_on_time":  # the medians' histograms
                cursor.execute(
                    f"SELECT {group}, h.key, SUM({each[1]}) FROM metrics_unitmonthfigure, {each[0]} "
                    f"WHERE {where} GROUP BY {group}, h.key",
                    params,
                )
                cursor.fetchall()


def officer_client() -> Client:
    """A client signed in as a credit-office reviewer whose session passed the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xinyong.accounts.models import Unit, User
    from xinyong.accounts.roles import Role

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    unit = Unit.objects.filter(code="bj-jingxinwei").first()  # the credit office's unit (units.yaml)
    user = User.objects.create_user(username="bench-office", password=None, full_name="基准", unit=unit,
                                    roles=[Role.REVIEWER])  # fmt: skip
    device = TOTPDevice.objects.create(user=user, name="基准", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def time_dashboards(client: Client, months: list[dt.date], district: str, repeat: int) -> dict:
    from xinyong.dashboards.specs import DASHBOARDS

    results = {}
    for slug, dashboard in DASHBOARDS.items():
        for scope, where in (("city", ""), ("district", district)):
            query = f"?month_from={months[0]:%Y-%m}&month_to={months[-1]:%Y-%m}&district={where}"

            def page(url=f"/console/dashboards/{slug}/{query}"):
                answer = client.get(url)
                if answer.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {answer.status_code}")

            page()  # warm: templates, the first connection
            raw = _time(
                lambda t=dashboard.tables, w=where: raw_aggregates(t, months[0], months[-1], w or None),
                repeat,
            )
            results[f"{slug}/{scope}"] = {"page": _time(page, repeat), "raw": raw}
    return results


def run(*, months: int, units: int | None, repeat: int, seed: int = 16) -> dict:
    from xinyong.accounts.reference import units_load
    from xinyong.accounts.selectors import unit_list_all
    from xinyong.catalog.services import catalog_load, rules_load
    from xinyong.core.actor import Actor

    now = dt.datetime.now(dt.UTC)
    for load in (units_load, rules_load, catalog_load):
        load(actor=Actor.system(), now=now)
    everyone = list(unit_list_all().values_list("pk", "code", "type"))[: units or None]
    districts = [code for _, code, kind in everyone if kind == "district_government"] or ["bj-dongcheng"]
    chosen = [(pk, code if kind == "district_government" else "", i % 8 == 0) for i, (pk, code, kind) in
              enumerate(everyone)]  # fmt: skip
    span = months_back(dt.date.today().replace(day=1), months)
    started = time.perf_counter()
    rows = generate(months=span, units=chosen, districts=districts, seed=seed)
    generated = time.perf_counter() - started
    timings = time_dashboards(officer_client(), span, districts[0], repeat)
    return {
        "units": len(chosen),
        "districts": len(districts),
        "months": months,
        "rows": rows,
        "generate_seconds": round(generated, 2),
        "repeat": repeat,
        "dashboards": timings,
    }
