"""ADR 0025: a migration imports only the modules written for migrations, never app code that may change
under it (models, services, selectors)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "xinyong"
MIGRATION_HELPERS = {"xinyong.core.schema", "xinyong.audit.dbguard"}


def _imports_of_our_code(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "xinyong":
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "xinyong"}
    return found


def test_migrations_import_only_migration_helpers():
    offenders = {
        str(path.relative_to(ROOT.parent)): sorted(imports - MIGRATION_HELPERS)
        for path in sorted(ROOT.glob("*/migrations/*.py"))
        if (imports := _imports_of_our_code(path)) - MIGRATION_HELPERS
    }
    assert offenders == {}


def test_the_scan_sees_an_import_of_app_code(tmp_path):
    probe = tmp_path / "0099_probe.py"
    probe.write_text(
        "from xinyong.lists.models import ListEntry\nfrom xinyong.core.schema import index_dropped\n"
    )
    assert _imports_of_our_code(probe) - MIGRATION_HELPERS == {"xinyong.lists.models"}
