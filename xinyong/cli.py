"""The `xinyong` command: a thin front to the Django management commands (`xinyong up`, `xinyong plan`, …).

Issue 13 (contract kept, a newcomer's first hour): `xinyong`, `xinyong --help` and `xinyong help` list the
platform's own commands grouped by task, one Chinese line each (`TASKS`); a group word alone or with `--help`
(`xinyong calendar`) lists its subcommands; `xinyong calendar load --help` shows that command's own help,
with the words the user typed in its usage line. Django's own commands stay reachable as
`xinyong django …` (and, as before, by their bare names: `xinyong migrate`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One platform command: the words typed, the management command run, its leading arguments."""

    words: str
    target: str
    summary: str
    lead: tuple[str, ...] = ()


TASKS: list[tuple[str, list[Entry]]] = [
    ("服务", [
        Entry("up", "up", "一键启动：迁移数据库、载入参考数据、启动服务（--demo 生成演示数据）"),
        Entry("worker", "worker", "后台任务：推送生成、回调投递与重试（up 会启动一个）"),
    ]),
    ("账号与令牌", [
        Entry("createadmin", "createadmin", "创建信用办管理员账号"),
        Entry("account", "account", "账户：新建工作人员或主体账户（打印设置密码链接）、停用、恢复、列出"),
        Entry("token", "token", "接口令牌：本人、主体或系统对接令牌（token create）；吊销（token revoke）"),
    ]),
    ("数据导入", [
        Entry("import", "import_file", "导入归集文件（CSV / XLSX / JSON Lines），显示进度、汇总和退回原因"),
        Entry("import abandon", "import_abandon", "放弃中断的导入：删除其暂存的信息，批次标记为已放弃"),
    ]),
    ("定期处理", [
        Entry("sweep", "sweep", "公示期满的信息结束公示（可反复运行）"),
        Entry("retention_sweep", "retention_sweep", "删除保存期满的自然人不良信息（可反复运行）"),
        Entry("objection_sweep", "objection_sweep", "逾期未受理或未核实的异议提请督办（可反复运行）"),
        Entry("metrics refresh", "metrics_refresh", "重算月度统计指标（默认本月和上月；可反复运行）"),
    ]),
    ("名单", [
        Entry("list_sweep", "list_sweep", "期限届满的名单条目移出名单（可反复运行）"),
        Entry("list_types_load", "list_types_load", "载入名单类型（list_types.yaml）"),
    ]),
    ("核查", [
        Entry("check", "measures_check", "联合奖惩核查：某单位办理某事项时查询主体的名单与措施"),
    ]),
    ("报告", [
        Entry("report", "report", "出具信用报告 PDF（全量或专项）"),
        Entry("timeliness", "timeliness", "双公示报送及时性：按单位、按月统计"),
        Entry("plan", "plan", "规划任务分工：各单位的任务"),
        Entry("evaluation compute", "evaluation_compute", "计算某月单位、区考核排名（--month YYYY-MM）"),
        Entry("evaluation load", "evaluation_load", "载入考核评分表的新版本（scorecards.yaml）"),
        Entry("govintegrity", "govintegrity_evaluate", "区政府政务诚信评价：计算或重新计算某月"),
    ]),
    ("审计", [
        Entry("audit verify", "audit_verify", "校验审计哈希链，报告第一个断开的环节"),
        Entry("audit anchor", "audit_anchor", "把审计链链尾签名写入库外的检查点文件（锚定）"),
        Entry("audit secure", "audit_secure", "（PostgreSQL）审计表交由独立属主角色，应用只能追加和读取"),
        Entry("authz table", "authz_table", "导出权限模型：角色 × 接口"),
    ]),
    ("参考数据", [
        Entry("calendar status", "calendar_status", "节假日安排的载入情况"),
        Entry("calendar load", "calendar_load", "载入新公布年份的节假日安排"),
        Entry("catalog load", "catalog_load", "编辑后重新载入目录和规则（catalog.yaml、rules.yaml）"),
        Entry("search_reindex", "search_reindex", "重建主体名称检索索引"),
    ]),
    ("性能测试", [
        Entry("bench import", "bench", "归集导入速度，与同库原始写入对比", ("import",)),
        Entry("bench search", "bench_search", "主体名称检索 p50/p99，与原始索引查询对比"),
        Entry("bench check", "bench_check", "联合奖惩核查的延迟与吞吐"),
        Entry("bench report", "bench_report", "信用报告 PDF 出具耗时"),
        Entry("bench dashboards", "bench_dashboards", "各看板页面的服务器用时，与原始聚合查询对比"),
        Entry("bench evaluation", "bench_evaluation", "全部单位和区的月度考核计算耗时"),
        Entry("bench portal", "bench_portal", "门户主体页、信用查询结果页的服务端耗时与页面大小"),
        Entry("bench refresh", "bench_refresh", "真实规模数据上的月度统计刷新与考核耗时"),
    ]),
    ("开发", [
        Entry("openapi", "openapi", "导出 OpenAPI 文档（-o docs/openapi.json）"),
        Entry("django", "", "Django 自带的命令：xinyong django help 列出全部（migrate、shell、dbshell …）"),
    ]),
]  # fmt: skip
ENTRIES = {entry.words: entry for _, entries in TASKS for entry in entries}
"""Every entry of the table; `available()` is those whose management command is installed."""
# Django's system check is `xinyong checksystem` (`xinyong check` is the joint-punishment check). Older
# names (`xinyong import_file`, `xinyong measures_check`) still run: unknown words go to Django as typed.
ALIASES = {"checksystem": "check"}
HELP_WORDS = ("-h", "--help", "help")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["version"]):
        _print(_version())
    elif not args or args[0] in HELP_WORDS:
        _help(args[1:])
    elif args[0] == "django":
        _django(["xinyong django", *args[1:]])
    elif args[0] in _groups() and (len(args) == 1 or args[1] in HELP_WORDS):
        _print(_group_text(args[0]))
    else:
        _dispatch(args)


def available() -> dict[str, Entry]:
    """The table's entries whose command is installed (a command of an app that is not there is not shown)."""
    import django
    from django.core.management import get_commands

    django.setup()  # before get_commands, which caches its answer and lists apps' commands only once set up
    present = get_commands()
    return {words: entry for words, entry in ENTRIES.items() if not entry.target or entry.target in present}


def _dispatch(args: list[str]) -> None:
    """Two words (`calendar load`) or one (`import`) from the table; anything else goes to Django as typed."""
    entries = available()
    for size in (2, 1):
        entry = entries.get(" ".join(args[:size]))
        if entry and len(args) >= size:
            return _run(entry, args[size:])
    if args[0] in ALIASES:
        args = [ALIASES[args[0]], *args[1:]]
    _django(["xinyong", *args])


def _help(rest: list[str]) -> None:
    """`xinyong help` → the table; `xinyong help calendar` → the group; `xinyong help import` → its help."""
    if not rest:
        _print(main_help_text())
    elif rest[0] in _groups() and len(rest) == 1:
        _print(_group_text(rest[0]))
    else:
        _dispatch([*rest, "--help"])


def main_help_text() -> str:
    lines = [
        "xinyong — 公共信用信息服务平台的命令行",
        "",
        "用法：xinyong <命令> [参数]",
        "      xinyong <命令> --help      查看某个命令的参数与说明",
        "",
    ]
    entries = available()
    width = max(len(words) for words in entries) + 2
    for task, listed in TASKS:
        shown = [entry for entry in listed if entry.words in entries]
        if shown:
            lines.append(f"{task}：")
            lines.extend(f"  {entry.words:<{width}}{entry.summary}" for entry in shown)
            lines.append("")
    lines.append("文档：README.md；接口文档：启动后访问 /api/v1/docs")
    return "\n".join(lines)


def _groups() -> set[str]:
    """First words of two-word commands, except a word that is a command itself (`import FILE`)."""
    entries = available()
    return {words.split()[0] for words in entries if " " in words} - set(entries)


def _group_text(group: str) -> str:
    entries = [entry for words, entry in available().items() if words.split()[0] == group and " " in words]
    width = max(len(entry.words) for entry in entries) + 2
    lines = [f"xinyong {group} 的子命令：", ""]
    lines.extend(f"  xinyong {entry.words:<{width}}{entry.summary}" for entry in entries)
    lines += ["", f"xinyong {group} <子命令> --help 查看子命令的参数与说明"]
    return "\n".join(lines)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    import django

    try:
        ours = version("xinyong")
    except PackageNotFoundError:  # run from a source tree that was not installed
        ours = "（未安装）"
    return f"xinyong {ours}（Django {django.get_version()}）"


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")


def _run(entry: Entry, rest: list[str]) -> None:
    """Run the entry's management command, its usage line showing `xinyong <words>` as typed."""
    if not entry.target:
        return _django(["xinyong django", *rest])
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand):
            command = super().fetch_command(subcommand)
            run = command.run_from_argv
            command.run_from_argv = lambda argv: run(["xinyong", entry.words, *argv[2:]])
            return command

    Utility(["xinyong", entry.target, *entry.lead, *rest]).execute()


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
