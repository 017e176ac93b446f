"""The targets of issue 18 for the check, each beside the baseline this same run measured on the same storage,
judged PASS or MISS (a miss is printed as a miss), and the text report of `xinyong bench check`.

| target | SQLite | PostgreSQL |
|---|---|---|
| single-subject check in process, p99 | ≤ 2.5 × the raw durable one-row commit's p99 | ≤ 3 ms |
| POST /api/v1/checks, requests/s | ≥ 2/3 of GET /api/v1/units/me | ≥ 1/2 of it |
| GET /api/v1/subjects/{code}, requests/s | ≥ 2/3 of GET /api/v1/units/me | ≥ 1/2 of it |
| check p99 while an import runs | ≤ 50 ms | ≤ 10 ms |
| a batch of 1,000 subjects (docs/performance.md) | ≤ 1 s | ≤ 1 s |

The raw indexed lookup and the cold run have no target of their own: they are printed as baselines.
"""

from __future__ import annotations

TARGETS = {
    "sqlite": {"check_p99_x_commit": 2.5, "http_share": 2 / 3, "during_p99_ms": 50.0},
    "postgresql": {"check_p99_ms": 3.0, "http_share": 1 / 2, "during_p99_ms": 10.0},
}
SHARE_TEXT = {"sqlite": "2/3", "postgresql": "1/2"}


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def _row(key: str, label: str, result: str, baseline: str, target: str, ok: bool | None) -> dict:
    return {"key": key, "label": label, "result": result, "baseline": baseline, "target": target,
            "verdict": _verdict(ok)}  # fmt: skip


def http_server(report: dict) -> str | None:
    """The server the HTTP targets are judged on: `xinyong up` when measured, else bare gunicorn."""
    http = report.get("http", {})
    return next((kind for kind in ("up", "bare") if kind in http), None)


def targets(report: dict) -> list[dict]:
    kind = report["storage"]
    t = TARGETS[kind]
    rows = []
    inproc = report.get("inproc")
    if inproc:
        check, commit = inproc["check"]["p99_ms"], inproc["raw_commit"]["p99_ms"]
        ratio = check / commit if commit else float("inf")
        if kind == "sqlite":
            target, ok = f"≤ {t['check_p99_x_commit']:g} × 提交", ratio <= t["check_p99_x_commit"]
        else:
            target, ok = f"≤ {t['check_p99_ms']:g} ms", check <= t["check_p99_ms"]
        rows.append(_row("check_p99", "进程内单主体核查 p99", f"{check:.3f} ms",
                         f"原始持久提交 p99 {commit:.3f} ms（{ratio:.2f}×）", target, ok))  # fmt: skip
        lookup = inproc["raw_lookup"]["p99_ms"]
        rows.append(_row("raw_lookup", "核查应答（只读）p99", f"{inproc['answer']['p99_ms']:.3f} ms",
                         f"原始索引查找 p99 {lookup:.3f} ms", "基线", None))  # fmt: skip
        rows[-1]["verdict"] = "—"
        size, median = inproc["batch_size"], inproc["batch_median_s"]
        rows.append(_row("batch", f"批量核查 {size:,} 个主体（中位数）", f"{median:.3f} 秒", "—", "≤ 1 秒",
                         median <= 1.0 if size == 1000 else None))  # fmt: skip
    server = http_server(report)
    if server:
        http = report["http"][server]
        base = http["units_me"]["requests_per_s"]
        for key, name in (
            ("check", "POST /api/v1/checks"),
            ("subject_lookup", "GET /api/v1/subjects/{code}"),
        ):
            got = http[key]["requests_per_s"]
            share = got / base if base else 0.0
            rows.append(_row(f"http_{key}", f"{name}（{server}）", f"{got:,} 请求/秒",
                             f"GET /api/v1/units/me {base:,} 请求/秒（{share:.2f}）",
                             f"≥ {SHARE_TEXT[kind]}", share >= t["http_share"]))  # fmt: skip
    during = report.get("during_import")
    if during:
        without = during["without"]["p99_ms"]
        got = during["during"]
        ok = None if got is None else (got["p99_ms"] <= t["during_p99_ms"] and not during["failed"])
        shown = "无完成的核查" if got is None else f"{got['p99_ms']:.3f} ms（最大 {got['max_ms']:.1f} ms）"
        if during["failed"]:
            shown += f"，失败 {sum(during['failed'].values())} 次"
        rows.append(_row("during_import", "导入期间单主体核查 p99", shown, f"无导入时 p99 {without:.3f} ms",
                         f"≤ {t['during_p99_ms']:g} ms", ok))  # fmt: skip
    cold = report.get("cold")
    if cold:
        warm = f"热缓存 p99 {inproc['check']['p99_ms']:.3f} ms" if inproc else "—"
        rows.append(_row("cold", "冷缓存核查 p99（首次核查）",
                         f"{cold['check']['p99_ms']:.3f} ms（首次 {cold['first_check_ms']:.1f} ms）", warm,
                         "基线", None))  # fmt: skip
        rows[-1]["verdict"] = "—"
    return rows


# ── text ─────────────────────────────────────────────────────────────────────────────────────────────────


def _ms(row: dict) -> str:
    return f"p50 {row['p50_ms']:.3f} ms，p99 {row['p99_ms']:.3f} ms"


def text(r: dict) -> str:
    storage = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["storage"]]
    kept = f"，已保留：{r['database']}" if r["kept"] and r["storage"] == "postgresql" else ""
    lines = [
        f"联合奖惩核查基准（{storage}，{r['subjects']:,} 个主体，{r['records']:,} 条信息，"
        f"数据库 {r['database_mb']:,} MB{kept}）"
    ]
    if "inproc" in r:
        lines.extend(_inproc_lines(r["inproc"]))
    if "cold" in r:
        lines.extend(_cold_lines(r["cold"]))
    if "http" in r:
        lines.extend(_http_lines(r["http"]))
    if "during_import" in r:
        lines.extend(_during_lines(r["during_import"]))
    lines.append(f"  系统负载（1/5/15 分钟）：{', '.join(f'{x:.2f}' for x in r['load_average'])}")
    lines.append("目标（issue 18）与本次同库基线：")
    lines.append("  | 项目 | 结果 | 基线（同次运行） | 目标 | 判定 |")
    for row in r["targets"]:
        lines.append(f"  | {row['label']} | {row['result']} | {row['baseline']} | {row['target']} | "
                     f"{row['verdict']} |")  # fmt: skip
    return "\n".join(lines)


def _inproc_lines(i: dict) -> list[str]:
    relaxed = "synchronous=NORMAL" if i.get("storage") != "postgresql" else "synchronous_commit=off"
    return [
        "  进程内（热缓存）：",
        f"    原始索引查找（标识 → 主体 id，同库同连接）：{_ms(i['raw_lookup'])}",
        f"    核查应答（只读部分，单主体）：{_ms(i['answer'])}",
        f"    单主体核查（应答 + 保存 + 审计 + 提交）：{_ms(i['check'])}"
        f"（p99.9 {i['check'].get('p999_ms', 0):.1f} ms，最大 {i['check']['max_ms']:.1f} ms）",
        f"    单主体核查（名单内主体，措施适用）：{_ms(i['check_listed'])}",
        f"    原始持久提交（单行 INSERT + COMMIT，同库）：{_ms(i['raw_commit'])}",
        f"    单主体核查，{relaxed}（仅作对照，平台为持久提交，见 ADR 0010）：{_ms(i['check_sync_normal'])}",
        f"    批量核查 {i['batch_size']:,} 个主体：中位数 {i['batch_median_s']:.3f} 秒"
        f"（各次 {i['batch_seconds']}）",
    ]


def _cold_lines(c: dict) -> list[str]:
    if c["os_cache_evicted"]:
        how = f"逐出页缓存 {c['files_evicted']} 个文件 {c['evicted_mb']:,} MB"
    else:
        how = f"未能逐出页缓存（{c['not_evicted']}）"
    if c["shared_buffers_kept"]:
        how += "；PostgreSQL 共享缓冲区未清空（需重启服务器），新进程 = 新的服务器连接"
    return [
        f"  冷缓存（新进程，{how}）：",
        f"    首次核查 {c['first_check_ms']:.1f} ms；其后 {c['check']['n']} 次：{_ms(c['check'])}，"
        f"最大 {c['check']['max_ms']:.1f} ms",
    ]


def _http_lines(h: dict) -> list[str]:
    load = (f"wrk {h['connections']} 个连接" if h.get("client") == "wrk"
            else f"python 客户端 {h['clients']} 个进程")  # fmt: skip
    lines = []
    for kind, what in (
        ("up", "xinyong up：缓冲前置 + gunicorn 配置 + 访问日志 + 后台任务"),
        ("bare", "裸 gunicorn"),
    ):
        if kind not in h:
            continue
        lines.append(f"  HTTP（{what}，{h['workers']} 个同步 worker，{load}，各 {h['seconds']:g} 秒）：")
        for name, label in (("units_me", "GET /api/v1/units/me（基线：仅认证）"),
                            ("subject_lookup", "GET /api/v1/subjects/{code}（按代码查询）"),
                            ("check", "POST /api/v1/checks（单主体核查）")):  # fmt: skip
            row = h[kind][name]
            cpu = row.get("server_cpu_ms")
            lines.append(f"    {label}：{row['requests_per_s']:,} 请求/秒，{_ms(row)}"
                         + (f"，服务端 CPU {cpu:.2f} ms/请求" if cpu is not None else ""))  # fmt: skip
    return lines


def _during_lines(d: dict) -> list[str]:
    imp = d["import"]
    got = d["during"]
    during = "无" if got is None else f"{got['n']:,} 次，{_ms(got)}，最大 {got['max_ms']:.1f} ms"
    failed = f"；失败 {d['failed']}" if d["failed"] else ""
    return [
        f"  导入期间核查（数据库副本；另一进程经导入服务导入 {imp['rows']:,} 行，{imp['seconds']:.1f} 秒，"
        f"{imp['rows_per_s']:,} 行/秒，接收 {imp['accepted']:,}，退回 {imp['rejected']:,}）：",
        f"    无导入时：{_ms(d['without'])}，最大 {d['without']['max_ms']:.1f} ms",
        f"    导入期间：{during}{failed}",
    ]
