"""commitments_load: the shipped file loads idempotently; a bad file is refused whole with every problem."""

import pytest

from tests.support.lists import SYSTEM
from tests.support.records import SETUP_AT
from xinyong.audit.models import AuditEvent
from xinyong.commitments.models import CommitmentTemplate, Course
from xinyong.commitments.services import commitments_load
from xinyong.commitments.services.reference import DEFAULT_PATH
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_shipped_file_loads_once(lists_reference):
    first = commitments_load(actor=SYSTEM, now=SETUP_AT)
    assert first.summary() == "承诺模板 4 个，培训课程 3 个：新增 7，更新 0，停用 0"
    assert sorted(CommitmentTemplate.objects.values_list("kind", flat=True)) == [
        "approval",
        "industry",
        "repair",
        "voluntary",
    ]
    assert list(Course.objects.values_list("code", "mode", "provider__code", "list_types")) == [
        ("scjg-xyxf-offline", "offline", "bj-gongshangju", ["scjg-yzsx"]),
        ("xyxf-online-basic", "online", "bj-jingxinwei", []),
        ("zfcg-xyxf-online", "online", "bj-caizhengju", ["zfcg-blxw"]),
    ]
    again = commitments_load(actor=SYSTEM, now=SETUP_AT)
    assert again.summary() == "承诺模板 4 个，培训课程 3 个：新增 0，更新 0，停用 0（未变更）"
    assert AuditEvent.objects.filter(action="commitments.load").count() == 1


def test_a_changed_file_updates_and_deactivates(lists_reference, tmp_path):
    commitments_load(actor=SYSTEM, now=SETUP_AT)
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("verify_months: 6", "verify_months: 12")
    text = text[: text.index("  - code: zfcg-xyxf-online")]
    path = tmp_path / "commitments.yaml"
    path.write_text(text, encoding="utf-8")
    result = commitments_load(actor=SYSTEM, now=SETUP_AT, path=path)
    assert (result.updated, result.deactivated) == (("industry-self-discipline",), ("zfcg-xyxf-online",))
    assert CommitmentTemplate.objects.get(code="industry-self-discipline").verify_months == 12
    assert Course.objects.get(code="zfcg-xyxf-online").active is False


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("日期：{signed_on}", "日期：{today}", "templates[0].text：未知的占位符 today"),
        (
            "provider: bj-caizhengju",
            "provider: bj-nowhere",
            "courses.zfcg-xyxf-online.provider：培训单位代码 bj-nowhere 不在单位名录中",
        ),
        (
            "list_types: [zfcg-blxw]",
            "list_types: [zfcg]",
            "courses.zfcg-xyxf-online.list_types：名单类型 zfcg 不存在",
        ),
        ("mode: offline", "mode: hybrid", "courses[1].mode：取值 'hybrid' 不在允许范围（online、offline）内"),
    ],
)
def test_a_bad_file_is_refused(lists_reference, tmp_path, old, new, message):
    path = tmp_path / "commitments.yaml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        commitments_load(actor=SYSTEM, now=SETUP_AT, path=path)
    assert caught.value.code == "commitments.invalid"
    assert caught.value.message.startswith(f"承诺模板与培训课程文件校验未通过：{message}")
    assert not Course.objects.exists()


def test_admin_pages_are_read_only(admin_client, company, own):
    from tests.support.commitments import sign

    commitment = sign(company, actor=own)
    for page in ("commitmenttemplate", "course", "enrolment", "commitment"):
        assert admin_client.get(f"/admin/commitments/{page}/").status_code == 200
        assert admin_client.get(f"/admin/commitments/{page}/add/").status_code == 403
    assert (
        "食品经营许可证核发"
        in admin_client.get(f"/admin/commitments/commitment/{commitment.pk}/change/").content.decode()
    )
