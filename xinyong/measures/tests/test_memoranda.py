"""Loading the memoranda and their measures: the starter set, idempotence, strictness, the legal-basis rule."""

import pytest

from tests.support.constraints import violates
from tests.support.measures import SETUP_AT
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.measures.models import Matter, Measure, MemorandaVersion, Memorandum
from xinyong.measures.services import DEFAULT_PATH, memoranda_load

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


def _variant(tmp_path, old: str, new: str):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "memoranda.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_starter_set_loads_with_units_groups_and_matters(memoranda):
    assert memoranda.summary() == "事项 12，备忘录 5，措施 20：新增 37，更新 0，停用 0"
    assert Matter.objects.count() == 12 and Memorandum.objects.count() == 5 and Measure.objects.count() == 20
    ban = Measure.objects.get(code="zfcg-ban")
    assert (
        ban.legal_basis
        == "《中华人民共和国政府采购法》第七十七条；《中华人民共和国政府采购法实施条例》第十九条"
    )
    assert (ban.kind, ban.strength, ban.memorandum.code) == ("punishment", "prohibit", "zfcg-2018")
    assert ban.memorandum.feedback_working_days == 5
    assert [m.code for m in ban.matters.all()] == ["government-procurement"]
    # 各区政府 expands to the 16 district governments
    assert ban.implementing_units.count() == 17 and not ban.implementing_all
    assert ban.implementing_units.filter(code="bj-caizhengju").exists()
    # 各有关部门 binds every unit: no list, the flag
    honours = Measure.objects.get(code="sxbzxr-honours")
    assert honours.implementing_all and honours.implementing_units.count() == 0
    memo = Memorandum.objects.get(code="sxbzxr-2016")
    assert (memo.document_no, str(memo.signed_on)) == ("发改财金〔2016〕141号", "2016-01-20")
    assert [t.code for t in memo.list_types.all()] == ["fy-sxbzx"]
    consumption = Measure.objects.get(code="sxbzxr-consumption")
    assert (
        "\n" not in consumption.text and " " not in consumption.text
    )  # |- block lines joined without spaces


def test_load_is_audited_once_and_idempotent(memoranda):
    assert memoranda.audit_seq is not None
    event = AuditEvent.objects.get(seq=memoranda.audit_seq)
    assert (event.action, event.target_type) == ("memoranda.load", "memoranda")
    assert event.payload["sha256"] == memoranda.sha256
    again = memoranda_load(actor=SYSTEM, now=SETUP_AT)
    assert not again.changed and again.audit_seq is None
    assert again.summary() == "事项 12，备忘录 5，措施 20：新增 0，更新 0，停用 0（未变更）"
    assert AuditEvent.objects.filter(action="memoranda.load").count() == 1
    assert MemorandaVersion.objects.count() == 1


def test_row_edited_behind_the_loader_is_put_right(memoranda):
    Measure.objects.filter(code="zfcg-ban").update(text="改过的文本")
    result = memoranda_load(actor=SYSTEM, now=SETUP_AT)
    assert result.updated == ("measure:zfcg-ban",)
    assert (
        Measure.objects.get(code="zfcg-ban").text
        == "在不良行为记录名单期间（一至三年）禁止参加政府采购活动。"
    )


def test_measure_without_legal_basis_is_refused_by_name(list_types, tmp_path):
    old = "        legal_basis: 《企业信息公示暂行条例》第十八条\n"
    path = _variant(tmp_path, old, "        legal_basis: ''\n")
    with pytest.raises(DomainError) as err:
        memoranda_load(actor=SYSTEM, now=SETUP_AT, path=path)
    assert err.value.code == "measure.legal_basis_required"
    assert "措施 yzsx-land 缺少法律依据" in err.value.message
    assert err.value.errors[0]["field"] == "memoranda[market-yzsx-2021].measures[yzsx-land].legal_basis"
    assert Measure.objects.count() == 0 and Memorandum.objects.count() == 0


def test_measure_with_the_key_missing_is_refused_too(list_types, tmp_path):
    path = _variant(tmp_path, "        legal_basis: 《企业信息公示暂行条例》第十八条\n", "")
    with pytest.raises(DomainError) as err:
        memoranda_load(actor=SYSTEM, now=SETUP_AT, path=path)
    assert err.value.code == "measure.legal_basis_required"


def test_database_refuses_a_measure_without_legal_basis(memoranda):
    memo = Memorandum.objects.get(code="zfcg-2018")
    with violates(Measure, "measure_has_legal_basis"):
        Measure.objects.create(
            memorandum=memo, code="x", text="t", kind="punishment", strength="restrict", legal_basis=""
        )


@pytest.mark.parametrize(
    ("old", "new", "field", "code"),
    [
        (
            "list_types: [fy-sxbzx]",
            "list_types: [no-such-list]",
            "memoranda[sxbzxr-2016].list_types",
            "unknown_list_type",
        ),
        (
            "implementing_units: [市国资委]",
            "implementing_units: [市不存在局]",
            "memoranda[sxbzxr-2016].measures[sxbzxr-soe-posts].implementing_units",
            "unknown_unit",
        ),
        (
            "matters: [soe-appointment]",
            "matters: [no-such-matter]",
            "memoranda[sxbzxr-2016].measures[sxbzxr-soe-posts].matters",
            "unknown_matter",
        ),
        (
            "strength: prohibit",
            "strength: forbid",
            "memoranda[sxbzxr-2016].measures[sxbzxr-consumption].strength",
            "choice",
        ),
        (
            "    feedback_working_days: 5\n",
            "    feedback_working_days: 5\n    colour: red\n",
            "memoranda[zfcg-2018]",
            "unknown_key",
        ),
    ],
)
def test_strict_file_checks(list_types, tmp_path, old, new, field, code):
    with pytest.raises(DomainError) as err:
        memoranda_load(actor=SYSTEM, now=SETUP_AT, path=_variant(tmp_path, old, new))
    assert err.value.code == "memoranda.invalid"
    assert (err.value.errors[0]["field"], err.value.errors[0]["code"]) == (field, code)
    assert Memorandum.objects.count() == 0


def test_a_measure_dropped_from_the_file_is_deactivated(memoranda, tmp_path):
    block = DEFAULT_PATH.read_text(encoding="utf-8").split("      - code: zfcg-bidding\n")[1].split("\n\n")[0]
    path = _variant(tmp_path, "      - code: zfcg-bidding\n" + block + "\n", "")
    result = memoranda_load(actor=SYSTEM, now=SETUP_AT, path=path)
    assert result.deactivated == ("measure:zfcg-bidding",)
    assert not Measure.objects.get(code="zfcg-bidding").active
    assert MemorandaVersion.objects.count() == 2


def test_only_the_credit_office_loads(list_types):
    officer = Actor(label="token:x", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))
    with pytest.raises(PermissionDenied):
        memoranda_load(actor=officer, now=SETUP_AT)
