"""The console's plan oversight pages (plan task 55, issue 16, ADR 0038): a unit officer sees what its unit
owes per period and fills in a report (Chinese error summary, evidence upload), the credit office reviews it
(accept, or return with a reason), lists filter and export CSV, and who may open what. Clock: Mon 2026-10-12
10:00 Beijing (2026Q3 due 2026-10-20), or later where a test says so."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.otp import verified_login
from tests.support.oversight import ACTOR, CREDIT_OFFICE_UNIT, DONGCHENG, FINANCE, PDF, T0
from xinyong.accounts.models import Unit, User
from xinyong.accounts.reference import units_load
from xinyong.oversight.models import PlanProgressReport, PlanTaskUnit
from xinyong.oversight.services import plan_load
from xinyong.workdays.services import calendar_load_builtin

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
OCT_12 = dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING)
FORM = "/console/plan/tasks/3/2026Q3/"


@pytest.fixture
def people(clock, settings, tmp_path):
    settings.XINYONG_UPLOAD_DIR = tmp_path / "uploads"
    settings.XINYONG_SESSION_IDLE_MINUTES = 60 * 24 * 60  # the tests move the clock by days
    settings.XINYONG_SESSION_MAX_HOURS = 24 * 60
    settings.SESSION_COOKIE_AGE = 24 * 60 * 3600
    units_load(actor=ACTOR, now=T0)
    plan_load(actor=ACTOR, now=T0)
    calendar_load_builtin(actor=ACTOR, now=T0, years=[2026])
    clock.set(OCT_12)

    def person(username: str, code: str, role: str) -> Client:
        user = User.objects.create_user(
            username=username, password="x-strong-password-1", full_name=username,
            unit=Unit.objects.get(code=code), roles=[role],
        )  # fmt: skip
        return verified_login(Client(), user)

    return {
        "finance": person("caizheng", FINANCE, "data_officer"),
        "district": person("dongcheng", DONGCHENG, "case_officer"),
        "reviewer": person("shenhe", CREDIT_OFFICE_UNIT, "reviewer"),
    }


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _submit(client: Client, **fields):
    data = {
        "progress": "on_track",
        "narrative": "已建立政府采购政务诚信责任制。",
        "action": "submit",
    } | fields
    return client.post(FORM, data)


def test_the_unit_sees_its_owed_reports_with_the_deadline(people):
    page = people["finance"].get("/console/plan/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'aria-current="page">规划进度</a>' in body
    owed = PlanTaskUnit.objects.filter(unit__code=FINANCE).count()
    assert f"应报送的进度报告（{2 * owed} 项）" in body
    row = re.search(r'<tr id="row-3-2026Q3">(.*?)</tr>', body, re.S).group(1)
    assert "2026年第三季度" in row and "2026-10-20 23:59" in row and "未填报" in row and "逾期未报" not in row
    assert "没有逾期未报的进度报告" in body


def test_an_empty_form_answers_with_a_chinese_error_summary(people):
    answer = people["finance"].post(FORM, {"action": "submit", "narrative": "  "})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert '<div class="error-summary" role="alert" tabindex="-1" id="error-summary"' in body
    assert '<a href="#id_progress_0">进度状态：请选择进度状态</a>' in body
    assert '<a href="#id_narrative">进展情况：请填写进展情况</a>' in body
    assert not PlanProgressReport.objects.exists()


def test_a_wrong_evidence_file_is_named_on_the_evidence_field(people):
    fake = SimpleUploadedFile("说明.pdf", b"not a pdf", content_type="application/pdf")
    answer = _submit(people["finance"], evidence=[fake])
    assert answer.status_code == 400
    assert "证明材料（可选）：说明.pdf：文件内容与扩展名不符" in _text(answer)
    assert not PlanProgressReport.objects.exists()


def test_submit_return_resubmit_accept_through_the_pages(people, clock):
    pdf = SimpleUploadedFile("责任制.pdf", PDF, content_type="application/pdf")
    answer = _submit(people["finance"], evidence=[pdf])
    report = PlanProgressReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/console/plan/reports/{report.pk}/"
    shown = _text(people["finance"].get(answer["Location"]))
    assert (
        "进度报告已报送，等待市信用办审核" in shown and "已报送（待审核）" in shown and "责任制.pdf" in shown
    )
    assert "采纳" not in shown  # the unit reads its report, it does not review it
    evidence = report.evidence.get()
    download = people["reviewer"].get(f"/console/plan/reports/{report.pk}/evidence/{evidence.pk}")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"] == "attachment; filename*=UTF-8''%E8%B4%A3%E4%BB%BB%E5%88%B6.pdf"

    queue = people["reviewer"].get("/console/plan/reviews/")
    assert f'href="/console/plan/reports/{report.pk}/"' in queue.content.decode()
    refused = people["reviewer"].post(
        f"/console/plan/reports/{report.pk}/", {"action": "return", "reason": ""}
    )
    assert refused.status_code == 400 and "退回理由：请填写退回理由" in _text(refused)
    people["reviewer"].post(
        f"/console/plan/reports/{report.pk}/", {"action": "return", "reason": "请补充成效数据"}
    )
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("returned", "请补充成效数据")

    form = people["finance"].get(FORM)
    assert "市信用办退回理由：请补充成效数据" in _text(form) and "重新报送" in _text(form)
    clock.set(dt.datetime(2026, 10, 22, 9, 0, tzinfo=BEIJING))
    _submit(people["finance"], narrative="已建立责任制，全市完成验收监督 120 项。")
    report.refresh_from_db()
    assert (report.state, report.late_working_days) == ("submitted", 0)  # counted from the first submission

    accepted = people["reviewer"].post(f"/console/plan/reports/{report.pk}/", {"action": "accept"})
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.state == "accepted" and report.reviewed_by.startswith("user:")
    assert people["finance"].get(FORM).status_code == 302  # accepted: the form is closed


def test_overdue_reports_are_flagged_and_counted(people, clock):
    clock.set(dt.datetime(2026, 10, 21, 9, 0, tzinfo=BEIJING))
    owed = PlanTaskUnit.objects.filter(unit__code=FINANCE).count()
    page = people["finance"].get("/console/plan/?state=overdue")
    assert f"逾期未报 {owed} 项" in _text(page)
    assert f"应报送的进度报告（{owed} 项）" in _text(page)
    overdue = people["reviewer"].get(f"/console/plan/overdue/?unit={FINANCE}")
    assert f"逾期未报 {owed} 项" in _text(overdue)
    csv = people["reviewer"].get(f"/console/plan/overdue/?unit={FINANCE}&format=csv")
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "任务,单位,报送期,报送截止,状态"
    assert len(lines) == owed + 1 and "2,市财政局,2026Q3,2026-10-20 23:59,未填报" in lines


def test_the_review_list_filters_and_exports_csv(people):
    _submit(people["finance"])
    _submit(people["district"])
    both = people["reviewer"].get("/console/plan/reviews/?state=submitted&period=2026Q3")
    assert "进度报告（2 份）" in _text(both)
    one = people["reviewer"].get(f"/console/plan/reviews/?unit={DONGCHENG}")
    assert "进度报告（1 份）" in _text(one) and "东城区政府" in _text(one)
    csv = people["reviewer"].get(f"/console/plan/reviews/?unit={FINANCE}&format=csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [
        "任务,单位,报送期,进度状态,审核状态,首次报送,迟报工作日,审核时间",
        "3,市财政局,2026Q3,进行中,已报送（待审核）,2026-10-12 10:00,0,",
    ]


def test_who_may_open_what(people):
    _submit(people["finance"])
    report = PlanProgressReport.objects.get()
    assert people["district"].get(f"/console/plan/reports/{report.pk}/").status_code == 404
    assert people["district"].get("/console/plan/reviews/").status_code == 403
    refused = people["finance"].post(f"/console/plan/reports/{report.pk}/", {"action": "accept"})
    assert refused.status_code == 403 and "只有市信用办可以审核规划任务进度报告" in _text(refused)
    report.refresh_from_db()
    assert report.state == "submitted"
    assert people["reviewer"].get("/console/plan/").status_code == 302  # the credit office goes to its queue
    assert people["reviewer"].get(FORM).status_code == 403
    assert people["district"].get("/console/plan/tasks/11/2026Q3/").status_code == 404  # not its task
    evidence_url = f"/console/plan/reports/{report.pk}/evidence/999"
    assert people["reviewer"].get(evidence_url).status_code == 404
    assert Client().get("/console/plan/").status_code == 302
