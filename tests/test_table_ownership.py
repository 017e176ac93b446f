"""Issue 17: each table is read and written by the app that owns it. Another app asks the owner (its
selectors and services); raw SQL stays where speed needs it, inside the owner.

The scan reads every module of an app outside its tests and migrations and fails on
- `Model.objects` (or `_default_manager`/`_base_manager`) of a model imported from another app's models;
- a string that names another app's database table (raw SQL).

The composition root (`config`) and the benchmark package (`bench`, whose builders write millions of rows
as fast as the storage allows and whose baselines query tables raw on purpose) are outside the rule.
Relations followed from an object the owner handed over (`entry.subject.name`) are not queries of this kind.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parent.parent / "xinyong"
OUTSIDE_THE_RULE = {"config", "bench"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def _our_apps() -> dict[str, str]:
    """Python package under xinyong → app label, for every installed Xinyong app."""
    return {
        cfg.name.split(".")[1]: cfg.label
        for cfg in django_apps.get_app_configs()
        if cfg.name.startswith("xinyong.")
    }


def _tables_by_package() -> dict[str, set[str]]:
    packages = {
        cfg.label: cfg.name.split(".")[1]
        for cfg in django_apps.get_app_configs()
        if cfg.name.startswith("xinyong.")
    }
    tables: dict[str, set[str]] = {}
    for model in django_apps.get_models(include_auto_created=True):
        package = packages.get(model._meta.app_label)
        if package:
            tables.setdefault(package, set()).add(model._meta.db_table)
    return tables


def _modules_of(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT / package).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _foreign_models(tree: ast.AST, package: str) -> dict[str, str]:
    """Local name → owning package, for every model class imported from another app's models module."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xinyong."):
            parts = node.module.split(".")
            if len(parts) >= 3 and parts[2] == "models" and parts[1] != package:
                for alias in node.names:
                    names[alias.asname or alias.name] = parts[1]
    return names


def foreign_reads(package: str, paths=None) -> list[str]:
    """Every place in `package` (or in `paths`, read as modules of `package`) that queries a table owned by
    another app: 'path:line: what', in order."""
    tables = _tables_by_package()
    foreign_tables = {t: owner for owner, ts in tables.items() if owner != package for t in ts}
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, foreign_tables), key=len, reverse=True)) + r")\b"
    )
    found = []
    for path in paths or _modules_of(package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        models = _foreign_models(tree, package)
        where = path.relative_to(ROOT.parent) if path.is_relative_to(ROOT.parent) else path.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in MANAGERS
                and isinstance(node.value, ast.Name)
                and node.value.id in models
            ):
                found.append(
                    f"{where}:{node.lineno}: {node.value.id}.{node.attr} (owned by {models[node.value.id]})"
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                for table in sorted(set(pattern.findall(node.value))):
                    found.append(f"{where}:{node.lineno}: table {table} (owned by {foreign_tables[table]})")
    return sorted(found, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), line))


def _packages() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())


@pytest.mark.parametrize("package", _packages())
def test_an_app_queries_only_its_own_tables(package):
    if package in OUTSIDE_THE_RULE:
        pytest.skip(f"{package} is outside the rule (module docstring)")
    reads = foreign_reads(package)
    assert reads == [], f"{package} queries other apps' tables; ask their selectors/services:\n" + "\n".join(
        reads
    )


def test_the_scan_finds_an_orm_query_and_raw_sql_of_another_app(tmp_path):
    """The scanner itself: a module that queries another app's model and names another app's table."""
    module = tmp_path / "probe.py"
    module.write_text(
        "from xinyong.lists.models import ListEntry\n"
        "from xinyong.tipoffs.models import Tipoff\n"
        "def probe():\n"
        "    ListEntry.objects.count()\n"
        "    Tipoff.objects.count()\n"
        "    return 'SELECT 1 FROM subjects_subject JOIN tipoffs_tipoff'\n",
        encoding="utf-8",
    )
    assert foreign_reads("tipoffs", [module]) == [
        "probe.py:4: ListEntry.objects (owned by lists)",
        "probe.py:6: table subjects_subject (owned by subjects)",
    ]
