"""The `xinyong` command: a thin front to the Django management commands (`xinyong up`, `xinyong plan`, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["audit", "verify"]:
        args = ["audit_verify", *args[2:]]
    elif args[:2] == ["calendar", "load"]:
        args = ["calendar_load", *args[2:]]
    elif args[:2] == ["calendar", "status"]:
        args = ["calendar_status", *args[2:]]
    execute_from_command_line(["xinyong", *args])


if __name__ == "__main__":
    main()
