"""The `xinyong` command: a thin front to the Django management commands (`xinyong up`, `xinyong plan`, …)."""

from __future__ import annotations

import os
import sys

# Two-word commands of the README (`xinyong audit verify`) → the management command that implements them.
SUBCOMMANDS = {
    ("audit", "verify"): "audit_verify",
    ("authz", "table"): "authz_table",
    ("calendar", "load"): "calendar_load",
    ("calendar", "status"): "calendar_status",
    ("catalog", "load"): "catalog_load",
    ("bench", "search"): "bench_search",
    ("bench", "report"): "bench_report",
    ("bench", "check"): "bench_check",
}
# One-word commands whose natural name is not a valid Python module name.
# `xinyong check` is the joint-punishment check; Django's system check is `xinyong checksystem`.
ALIASES = {"import": "import_file", "check": "measures_check", "checksystem": "check"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    command = SUBCOMMANDS.get(tuple(args[:2]))
    if command:
        args = [command, *args[2:]]
    elif args and args[0] in ALIASES:
        args = [ALIASES[args[0]], *args[1:]]
    execute_from_command_line(["xinyong", *args])


if __name__ == "__main__":
    main()
