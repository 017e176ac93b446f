"""The `xinyong` command's front (issue 13): help by task, command groups, Django under `xinyong django`,
and every command the README mentions answering `--help` (in process, through `xinyong.cli.main`)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.db import connections

from xinyong import cli

README = Path(__file__).resolve().parent.parent / "README.md"
# `xinyong` followed by its lower-case command words; FILE, CODE, options and placeholders end them.
COMMAND = re.compile(r"(?<![\w./-])xinyong((?: [a-z][a-z_]*)*)(?![\w./-])")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    """`xinyong ARGV` in this process: (exit status, stdout, stderr)."""
    try:
        cli.main(list(argv))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def readme_commands() -> list[str]:
    """The command words of every `xinyong …` in the README's code spans and blocks, in order, once each."""
    text = README.read_text(encoding="utf-8")
    code = re.findall(r"```.*?```|`[^`\n]+`", text, flags=re.S)
    found = [match.group(1).strip() for span in code for match in COMMAND.finditer(span)]
    return list(dict.fromkeys(found))


def test_help_lists_the_platform_commands_by_task(capsys):
    outputs = {_run(capsys, *argv) for argv in ([], ["--help"], ["-h"], ["help"])}
    assert len(outputs) == 1  # `xinyong`, `xinyong --help`, `-h` and `xinyong help` say the same
    code, out, err = outputs.pop()
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "xinyong — 公共信用信息服务平台的命令行"
    headings = [line for line in lines if line.endswith("：") and not line.startswith(" ")]
    assert headings == [
        "服务：", "账号与令牌：", "数据导入：", "定期处理：", "名单：", "核查：", "报告：", "审计：", "参考数据：",
        "性能测试：", "开发：",
    ]  # fmt: skip
    assert "  calendar load       载入新公布年份的节假日安排" in lines  # the widest: `evaluation compute`
    assert "  import              导入归集文件（CSV / XLSX / JSON Lines），显示进度、汇总和退回原因" in lines
    assert "makemigrations" not in out and "dbshell …" in out  # Django's own list is not the front page


def test_every_platform_command_is_in_the_table():
    """A new management command of ours must be given a task and a line (Django's `flush` is ours only to
    guard the audit trail: it stays under `xinyong django`)."""
    ours = {name for name, app in get_commands().items() if app.startswith("xinyong.")} - {"flush"}
    shown = {entry.target for entry in cli.available().values() if entry.target}
    assert shown == ours
    assert len({entry.words for entry in cli.ENTRIES.values()}) == len(cli.ENTRIES)


@pytest.mark.parametrize("argv", [["calendar"], ["calendar", "--help"], ["help", "calendar"]])
def test_a_group_alone_lists_its_subcommands(capsys, argv):
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    assert out.splitlines() == [
        "xinyong calendar 的子命令：",
        "",
        "  xinyong calendar status  节假日安排的载入情况",
        "  xinyong calendar load    载入新公布年份的节假日安排",
        "",
        "xinyong calendar <子命令> --help 查看子命令的参数与说明",
    ]


def test_a_subcommand_help_shows_the_words_typed(capsys):
    code, out, _ = _run(capsys, "calendar", "load", "--help")
    assert code == 0
    assert out.startswith("usage: xinyong calendar load [-h] [--builtin]")
    assert "载入节假日安排：运维文件（YAML / JSON）或 --builtin" in out
    code, out, _ = _run(capsys, "help", "import")
    assert (code, out.split()[:3]) == (0, ["usage:", "xinyong", "import"])


def test_django_commands_stay_reachable(capsys):
    code, out, _ = _run(capsys, "django", "help", "--commands")
    assert code == 0 and {"migrate", "makemigrations", "shell", "dbshell"} <= set(out.split())
    code, out, _ = _run(capsys, "django", "migrate", "--help")
    assert (code, out.split()[:4]) == (0, ["usage:", "xinyong", "django", "migrate"])
    code, out, _ = _run(capsys, "makemigrations", "--help")  # bare Django names keep working
    assert (code, out.split()[:3]) == (0, ["usage:", "xinyong", "makemigrations"])
    code, out, _ = _run(capsys, "checksystem", "--help")  # Django's system check; `check` is ours
    assert code == 0 and "--deploy" in out


@pytest.mark.django_db
def test_a_two_word_command_runs(capsys, monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # run_from_argv's; it is the test database
    code, out, _ = _run(capsys, "audit", "verify")
    assert code == 0 and "审计" in out


def test_as_a_process_the_table_and_a_group_answer(tmp_path):
    """In a fresh process (settings not yet read, Django not set up) the table finds the platform's commands."""
    env = {**os.environ, "XINYONG_HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "xinyong.cli", "audit", "verify", "--help"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert (run.returncode, run.stdout.split()[:4]) == (0, ["usage:", "xinyong", "audit", "verify"])


def test_version_names_the_platform(capsys):
    code, out, _ = _run(capsys, "--version")
    assert code == 0 and re.fullmatch(r"xinyong \S+（Django 5\.2(\.\d+)?）\n", out)


def test_an_unknown_command_fails(capsys):
    code, _, err = _run(capsys, "nosuchcommand")
    assert code == 1 and "Unknown command: 'nosuchcommand'" in err


def test_readme_mentions_the_commands():
    commands = readme_commands()
    assert {"", "up", "import", "calendar load", "token create", "bench search", "audit verify"} <= set(
        commands
    )


@pytest.mark.parametrize("words", readme_commands())
def test_every_readme_command_answers_help(capsys, words):
    code, out, err = _run(capsys, *words.split(), "--help")
    assert (code, err) == (0, "")
    if words.startswith("django"):  # Django's own list of its commands
        assert "Type 'xinyong django help <subcommand>' for help on a specific subcommand." in out
    elif words:
        assert out.startswith(f"usage: xinyong {words}") or out.startswith(f"xinyong {words} 的子命令")
    else:
        assert out.startswith("xinyong — 公共信用信息服务平台的命令行")
