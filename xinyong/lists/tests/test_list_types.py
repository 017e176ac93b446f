"""The list types as data: the shipped file, idempotent loads, repairs of edited rows, deactivation, and
strict refusals of a bad file (every problem with its path)."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.support.lists import SETUP_AT
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.lists.models import ListType
from xinyong.lists.services import list_types_load
from xinyong.lists.services.list_types import DEFAULT_PATH

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()


def _shipped() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _write(tmp_path, data: dict | str):
    path = tmp_path / "list_types.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_list_types(reference):
    result = list_types_load(actor=SYSTEM, now=SETUP_AT)
    assert result.summary() == "名单类型 6 个：新增 6，更新 0，停用 0"
    rows = [
        (
            t.code,
            t.kind,
            t.deciding_unit.code,
            t.duration_months,
            t.earliest_exit_months,
            t.repairable,
            t.training_required,
            t.public,
            t.statement_working_days,
            t.category.code if t.category else None,
        )
        for t in ListType.objects.select_related("deciding_unit", "category").order_by("code")
    ]
    assert rows == [
        ("cxdx-hmd", "red", "bj-jingxinwei", 24, 0, False, False, True, 5, "HMD"),
        ("fy-sxbzx", "black", "bj-gaoyuan", 24, 0, True, False, True, 3, "SXBZX"),
        ("nsxy-a", "red", "bj-guoshuiju", 12, 0, False, False, True, 5, "HMD"),
        ("scjg-yzsx", "black", "bj-gongshangju", 36, 12, True, True, True, 5, "YZSX"),
        ("zdgz", "attention", "bj-jingxinwei", 24, 0, True, False, False, 10, None),
        ("zfcg-blxw", "black", "bj-caizhengju", 36, 0, False, False, True, 5, "YZSX"),
    ]
    scjg = ListType.objects.get(code="scjg-yzsx")
    assert scjg.name == "市场监督管理严重违法失信名单"
    assert scjg.legal_basis.startswith(
        "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号"
    )
    assert " " not in scjg.criteria  # single-line YAML texts: no space between Chinese lines
    event = AuditEvent.objects.get(action="list_types.load")
    assert (event.seq, event.payload["created"][:2]) == (result.audit_seq, ["scjg-yzsx", "fy-sxbzx"])


def test_loading_twice_changes_nothing_and_audits_nothing(reference):
    list_types_load(actor=SYSTEM, now=SETUP_AT)
    again = list_types_load(actor=SYSTEM, now=SETUP_AT)
    assert (again.summary(), again.audit_seq) == ("名单类型 6 个：新增 0，更新 0，停用 0（未变更）", None)
    assert AuditEvent.objects.filter(action="list_types.load").count() == 1


def test_a_row_edited_behind_the_loaders_back_is_put_right(reference):
    list_types_load(actor=SYSTEM, now=SETUP_AT)
    ListType.objects.filter(code="zdgz").update(duration_months=99, public=True)
    result = list_types_load(actor=SYSTEM, now=SETUP_AT)
    assert (result.updated, result.created) == (("zdgz",), ())
    assert ListType.objects.filter(code="zdgz").values_list("duration_months", "public").get() == (24, False)


def test_a_list_type_dropped_from_the_file_is_deactivated_not_deleted(reference, tmp_path):
    list_types_load(actor=SYSTEM, now=SETUP_AT)
    data = _shipped()
    data["list_types"] = [t for t in data["list_types"] if t["code"] != "zdgz"]
    result = list_types_load(actor=SYSTEM, now=SETUP_AT, path=_write(tmp_path, data))
    assert result.summary() == "名单类型 5 个：新增 0，更新 0，停用 1"
    assert ListType.objects.get(code="zdgz").active is False
    assert list_types_load(actor=SYSTEM, now=SETUP_AT).updated == ("zdgz",)  # back in the file: active again


def test_a_bad_file_is_refused_whole_with_every_problem(reference, tmp_path):
    data = _shipped()
    first, second, third = data["list_types"][:3]
    first["colour"] = "black"
    first["kind"] = "grey"
    second["deciding_unit"] = "bj-nosuchunit"
    second["earliest_exit_months"] = 30
    third["category"] = "HMD"  # a positive category for a key-attention list
    third["statement_working_days"] = 0
    data["list_types"].append(dict(data["list_types"][3]))  # a duplicate code
    with pytest.raises(DomainError) as caught:
        list_types_load(actor=SYSTEM, now=SETUP_AT, path=_write(tmp_path, data))
    assert (caught.value.code, caught.value.status) == ("list_types.invalid", 400)
    assert [(e["field"], e["code"]) for e in caught.value.errors] == [
        ("list_types[0].colour", "unknown_key"),
        ("list_types[0].kind", "bad_value"),
        ("list_types[1].earliest_exit_months", "bad_value"),
        ("list_types[2].statement_working_days", "bad_type"),
        ("list_types[6].code", "duplicate"),
    ]
    assert caught.value.message.startswith("名单类型文件校验未通过：list_types[0].colour：未知的键")
    assert ListType.objects.count() == 0

    data = _shipped()
    data["list_types"][1]["deciding_unit"] = "bj-nosuchunit"
    data["list_types"][2]["category"] = "HMD"
    data["list_types"][3]["category"] = "NOPE"
    with pytest.raises(DomainError) as caught:
        list_types_load(actor=SYSTEM, now=SETUP_AT, path=_write(tmp_path, data))
    assert [e["message"] for e in caught.value.errors] == [
        "list_types[1].deciding_unit：认定单位代码 bj-nosuchunit 不在单位名录中",
        "list_types[2].category：attention 名单不能对应信息性质为 positive 的类别 HMD",
        "list_types[3].category：目录类别 NOPE 不存在",
    ]
    assert ListType.objects.count() == 0


def test_yaml_syntax_and_repeated_keys_are_refused(reference, tmp_path):
    with pytest.raises(DomainError) as caught:
        list_types_load(
            actor=SYSTEM, now=SETUP_AT, path=_write(tmp_path, "list_types:\n  - code: a\n    code: b\n")
        )
    assert caught.value.code == "list_types.invalid"
    assert "重复的键 'code'" in caught.value.message
    with pytest.raises(DomainError) as caught:
        list_types_load(actor=SYSTEM, now=SETUP_AT, path=tmp_path / "missing.yaml")
    assert caught.value.code == "list_types.invalid"


def test_the_command_loads_and_reports(reference, tmp_path):
    out = io.StringIO()
    call_command("list_types_load", stdout=out)
    assert out.getvalue() == "名单类型 6 个：新增 6，更新 0，停用 0\n"
    with pytest.raises(CommandError) as caught:
        call_command("list_types_load", str(_write(tmp_path, "list_types: []\n")))
    assert "list_types：应为非空列表" in str(caught.value)
