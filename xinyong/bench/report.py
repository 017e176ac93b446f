"""The report benchmark (docs/performance.md: a credit report PDF ≤ 0.5 s median for a subject with 50
records).

Runs in a throw-away database (see management/commands/bench_report.py). One company gets N records through
the platform's own submission service (行政许可, 行政处罚 of both tiers, 行政强制; two of them flagged under
objection), then reports are issued through `report_issue` — the whole path: the reads, the PDF, the SHA-256,
the row and the audit event — and timed one by one. In the same run, on the same machine:
  * content — gathering the report content alone (the database reads);
  * render — the PDF alone;
  * baseline_pdf — a one-page, one-line PDF in the same font face with the same embedding: the fixed cost of
    the PDF and font machinery, the floor no report can go below with this toolchain;
  * baseline_write — writing the same bytes to a file with fsync: the storage floor.
`issue_cpu` is the CPU time of the same issues: on a busy machine, what a report costs an idle core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import statistics
import tempfile
import time

from xinyong.accounts.roles import Role
from xinyong.bench.stats import percentile
from xinyong.subjects.identifiers import uscc_make

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Beijing
AGENCY = uscc_make("1111000000001234")
COMPANY = uscc_make("9111010800054321")
COMPANY_NAME = "北京华信恒通科技有限公司"
UNIT = "bj-gongshangju"
AGENCY_NAME = "北京市工商行政管理局"


def prepare_reference(now: dt.datetime) -> None:
    """Units, catalog, rules and the working-day calendar, as `xinyong up` loads them."""
    from xinyong.accounts.reference import units_load
    from xinyong.catalog.services import catalog_load, rules_load
    from xinyong.core.actor import Actor
    from xinyong.workdays.services import calendar_load_builtin

    system = Actor.system()
    units_load(actor=system, now=now)
    rules_load(actor=system, now=now)
    catalog_load(actor=system, now=now)
    calendar_load_builtin(actor=system, now=now, years=[2024, 2025, 2026])


def _day(i: int) -> str:
    return (dt.date(2026, 10, 28) - dt.timedelta(days=3 * i)).isoformat()


def xk_row(i: int) -> dict:
    return {
        "XK_XDR_MC": COMPANY_NAME, "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": COMPANY,
        "XK_FRDB": "李建国",
        "XK_XKWS": "准予行政许可决定书", "XK_WSH": f"京工商许字〔2026〕第{i + 1:04d}号", "XK_XKLB": "01",
        "XK_XKZS": "食品经营许可证", "XK_XKBH": f"JY1110108{i:07d}",
        "XK_NR": "食品经营许可：预包装食品销售（含冷藏冷冻食品）、散装食品销售、热食类食品制售",
        "XK_JDRQ": _day(i), "XK_YXQZ": _day(i), "XK_YXQZI": "2031-10-27" if i % 2 else "2099-12-31",
        "XK_XKJG": AGENCY_NAME, "XK_XKJGDM": AGENCY, "XK_ZT": "1",
        "XK_LYDW": AGENCY_NAME, "XK_LYDWDM": AGENCY,
    }  # fmt: skip


def cf_row(i: int) -> dict:
    return {
        "CF_XDR_MC": COMPANY_NAME, "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": COMPANY,
        "CF_FRDB": "李建国",
        "CF_WSH": f"京工商罚字〔2026〕第{i + 101:04d}号", "CF_WFXW": "虚假宣传",
        "CF_SY": "当事人在其经营场所和网络店铺发布的商品宣传中，对商品的性能、功能、质量作虚假的商业宣传，"
                 "欺骗、误导消费者，违法事实清楚，证据确凿。",
        "CF_YJ": "《中华人民共和国反不正当竞争法》第八条第一款、第二十条第一款",
        "CF_CFLB": "罚款;没收违法所得",
        "CF_NR": "责令停止违法行为，罚款人民币二十万元，没收违法所得一万二千元",
        "CF_NR_FK": "20", "CF_NR_WFFF": "1.2", "CF_JDRQ": _day(i), "CF_YXQ": "2099-12-31",
        "CF_CFJG": AGENCY_NAME, "CF_CFJGDM": AGENCY, "CF_SJLY": AGENCY_NAME, "CF_SJLYDM": AGENCY,
        "XY_YZCD": "严重" if i % 5 == 0 else "一般",
    }  # fmt: skip


def qz_row(i: int) -> dict:
    return {
        "QZ_ZTMC": COMPANY_NAME, "QZ_TYSHXYDM": COMPANY, "QZ_WSH": f"京工商强字〔2026〕第{i + 1:04d}号",
        "QZ_LB": "查封场所设施或者财物",
        "QZ_SY": "涉嫌生产、销售不符合保障人体健康和人身、财产安全的国家标准的产品",
        "QZ_YJ": "《中华人民共和国产品质量法》第十八条", "QZ_NR": "查封仓库内待售电动自行车充电器 1,200 件",
        "QZ_JDRQ": _day(i), "QZ_JG": AGENCY_NAME, "QZ_JGDM": AGENCY,
        "XY_YZCD": "一般",
    }  # fmt: skip


def subject_with_records(*, records: int, now: dt.datetime):
    """One company with `records` records (40 % licences, 50 % penalties, 10 % coercion), two of them
    flagged under objection; through the submission service, like a provider's API call."""
    from xinyong.accounts.models import Unit
    from xinyong.catalog.models import Category
    from xinyong.core.actor import Actor
    from xinyong.intake.services import SubmissionSource, body_digest, submission_receive
    from xinyong.subjects.models import Subject

    unit = Unit.objects.get(code=UNIT)
    actor = Actor(label="bench", unit_code=UNIT, roles=frozenset({Role.DATA_OFFICER}))
    qz = max(records // 10, 1) if records >= 3 else 0
    xk = (records - qz) * 4 // 9
    plan = {"XK": [xk_row(i) for i in range(xk)], "CF": [cf_row(i) for i in range(records - qz - xk)],
            "QZ": [qz_row(i) for i in range(qz)]}  # fmt: skip
    for code, rows in plan.items():
        if not rows:
            continue
        source = SubmissionSource(
            channel="api", idempotency_key=f"bench-{code}", body_sha256=body_digest(code, rows)
        )
        outcome = submission_receive(actor=actor, unit=unit, category=Category.objects.get(code=code),
                                     rows=list(enumerate(rows)), source=source, now=now)  # fmt: skip
        if outcome.submission.rejected:
            raise RuntimeError(f"bench rows refused: {outcome.submission.result}")
    subject = Subject.objects.get(uscc=COMPANY)
    flag_objections(subject=subject, count=2, now=now)
    return subject


def flag_objections(*, subject, count: int, now: dt.datetime) -> None:
    """Object to the newest penalties as the providing unit's officer registering written objections (the
    real objection service flags them `under_objection`)."""
    from xinyong.core.actor import Actor
    from xinyong.core.evidence import Upload
    from xinyong.records.models import Record, RecordStatus
    from xinyong.remedies.services import objection_file

    officer = Actor(label="bench:objections", unit_code=UNIT, roles=frozenset({Role.DATA_OFFICER}))
    scan = [Upload("异议申请书.pdf", b"%PDF-1.4\n% bench\n")]
    rows = Record.objects.filter(
        subject=subject, category__code="CF", is_current=True, status=RecordStatus.PUBLISHED
    ).order_by("-decision_date", "-id")[:count]
    for record in list(rows):
        objection_file(
            actor=officer, target_kind="record", target_id=record.pk, grounds="error",
            description="异议申请（基准数据）", applicant_name=subject.name, evidence=scan, now=now,
        )  # fmt: skip


def run(*, records: int, reports: int, now: dt.datetime = NOW) -> dict:
    """Build the subject, then time `reports` reports and the baselines; every figure in seconds."""
    from xinyong.core.actor import Actor
    from xinyong.reports.content import report_content
    from xinyong.reports.fonts import report_fonts, source_font
    from xinyong.reports.pdf import Letterhead, render_one_line, render_report
    from xinyong.reports.services import report_issue

    start = time.perf_counter()
    fonts = report_fonts()  # builds the pre-subset on a machine's very first report
    font_seconds = time.perf_counter() - start
    prepare_reference(now)
    subject = subject_with_records(records=records, now=now)
    officer = Actor(label="bench", unit_code=UNIT, roles=frozenset({Role.CASE_OFFICER}))

    def issue(kind="full"):
        return report_issue(actor=officer, subject=subject, kind=kind, purpose="基准测试", now=now)

    first = issue()  # warm-up: imports, font objects, query plans
    shown = len(first.report.record_ids)
    keys = ("issue", "issue_cpu", "compliance", "content", "render", "baseline_pdf", "baseline_write")
    times: dict[str, list[float]] = {k: [] for k in keys}
    head = Letterhead(number="XYBG-20261102-BENCHMRK", code="ABCDEFGHJK", verify_url="http://127.0.0.1:8000/x",
                      platform="北京市公共信用信息服务平台", purpose="基准测试", issued_at=now)  # fmt: skip
    content = report_content(subject=subject, kind="full", now=now)
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "report.pdf")
        for _ in range(reports):
            cpu = time.process_time()
            times["issue"].append(_timed(issue))
            times["issue_cpu"].append(time.process_time() - cpu)  # what the report costs an idle core
            times["compliance"].append(_timed(lambda: issue("compliance")))
            times["content"].append(_timed(lambda: report_content(subject=subject, kind="full", now=now)))
            times["render"].append(_timed(lambda: render_report(content, head)))
            times["baseline_pdf"].append(
                _timed(lambda: render_one_line("公共信用信息报告 基准 XYBG-20261102"))
            )
            times["baseline_write"].append(_timed(lambda: _write(target, first.pdf)))
    summary = {
        k: {"median": statistics.median(v), "p90": percentile(sorted(v), 90)} for k, v in times.items()
    }
    return {
        "records": records,
        "records_shown": shown,
        "reports": reports,
        "pages": first.report.pages,
        "bytes": first.report.size,
        "font": source_font().name,
        "font_subset_bytes": fonts.subset.stat().st_size,
        "font_prepare_seconds": round(font_seconds, 3),
        "sha256_check": hashlib.sha256(first.pdf).hexdigest() == first.report.sha256,
        "seconds": {k: {m: round(x, 6) for m, x in v.items()} for k, v in summary.items()},
        "ratio_issue_to_baseline_pdf": round(
            summary["issue"]["median"] / summary["baseline_pdf"]["median"], 2
        ),
    }


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
