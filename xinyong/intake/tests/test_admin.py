"""The back office for submissions: uploads go through the services (queued, then imported by the worker:
test_upload_jobs.py), refusals come back as form errors or messages, and a unit sees only its own rows
(records and name candidates: records/tests/test_admin.py)."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tests.support.otp import verified_login
from tests.support.records import NOW, PERSON, xk_row
from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.core import timeutil
from xinyong.core.outbox import outbox_process
from xinyong.intake import admin as intake_admin
from xinyong.intake.models import FileImportJob, Submission
from xinyong.records.models import Record
from xinyong.subjects.identifiers import uscc_make

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/intake/submission/"
UPLOAD_URL = "/admin/intake/submission/upload/"
OFFICER_PERMS = [
    "view_submission",
    "add_submission",
    "view_record",
    "view_namechangecandidate",
    "change_namechangecandidate",
]
BAD_ROW_MESSAGE = (
    "许可类别取值不在代码表内：99（可选：01 普通、02 特许、03 认可、04 核准、05 登记、06 其他（备注注明））"
)
PERSON_MASKED = PERSON[:6] + "********" + PERSON[-4:]


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timeutil, "now", lambda: NOW)


def _user(username, unit_code, roles=("data_officer",), perms=OFFICER_PERMS):
    user = User.objects.create_user(
        username=username,
        password="x-very-long-pass",
        is_staff=True,
        unit=Unit.objects.get(code=unit_code) if unit_code else None,
        roles=list(roles),
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["records", "intake"], codename__in=perms)
    )
    return user


def _client(user):
    client = Client()
    verified_login(client, user)
    return client


@pytest.fixture
def gongshang(reference):
    return _user("gs-officer", "bj-gongshangju")


@pytest.fixture
def gs_client(gongshang):
    return _client(gongshang)


def _csv_file(rows, name="许可信息.csv", encoding="gbk"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def _good_and_bad():
    return [xk_row(), xk_row(XK_WSH="京工商许字〔2026〕第002号", XK_XKLB="99")]


def _upload(client, rows, **data):
    """Post the form, then run the worker once: the upload only queues the file (issue 18)."""
    category = Category.objects.get(code="XK").pk
    response = client.post(UPLOAD_URL, {"category": category, "file": _csv_file(rows), **data})
    if response.status_code == 302:
        assert outbox_process(now=NOW) == 1
    return response


def _job_url(job):
    return f"/admin/intake/fileimportjob/{job.pk}/change/"


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _download(client, submission, fmt):
    response = client.get(f"{LIST_URL}{submission.pk}/rejected.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# ── upload and result page ───────────────────────────────────────────────────────────────────────────────


def test_upload_gbk_csv_redirects_to_the_job_page_which_links_to_the_result(gs_client):
    response = _upload(gs_client, _good_and_bad())
    submission, job = Submission.objects.get(), FileImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _job_url(job)
    assert job.submission == submission
    assert (submission.file_name, submission.file_format, submission.file_encoding, submission.channel) == (
        "许可信息.csv",
        "csv",
        "gb18030",
        "file",
    )
    assert (submission.total, submission.accepted, submission.rejected, submission.submitted_by) == (
        2,
        1,
        1,
        f"user:{User.objects.get().pk}",
    )
    job_page = gs_client.get(response["Location"])
    assert _messages(job_page) == [f"已收到文件“许可信息.csv”，正在排队导入（任务 #{job.pk}）"]
    assert (
        f'<p>批次 <a href="{LIST_URL}{submission.pk}/change/">#{submission.pk}</a>：共 2 行，接收 1 行，'
        "退回 1 行</p>"
    ) in job_page.content.decode()
    html = gs_client.get(f"{LIST_URL}{submission.pk}/change/").content.decode()
    assert "<tr><th>退回</th><td>1</td></tr>" in html
    assert "<tr><th>格式 / 编码</th><td>csv / gb18030</td></tr>" in html
    assert (
        f"<tr><td>3</td><td>许可类别（XK_XKLB）</td><td><code>code.not_allowed</code></td>"
        f"<td>{BAD_ROW_MESSAGE}</td></tr>"
    ) in html
    assert f'href="{LIST_URL}{submission.pk}/rejected.csv"' in html
    assert f'href="{LIST_URL}{submission.pk}/rejected.xlsx"' in html
    assert AuditEvent.objects.filter(action="submission.receive", actor=submission.submitted_by).count() == 1


def test_upload_with_an_unknown_region_code_says_which_row_to_check(gs_client):
    odd = uscc_make("91119999MA01ABCD")  # region 119999 is not in the GB/T 2260 table
    rows = [
        xk_row(),
        xk_row(XK_WSH="京工商许字〔2026〕第002号", XK_XDR_MC="北京远方科技有限公司", XK_XDR_SHXYM=odd),
    ]
    page = gs_client.get(_upload(gs_client, rows)["Location"]).content.decode()
    submission = Submission.objects.get()
    assert (submission.accepted, submission.rejected, submission.result["warned"]) == (2, 0, 1)
    assert f"#{submission.pk}</a>：共 2 行，接收 2 行，退回 0 行</p>" in page
    assert (
        '<p class="warning">1 行已接收但需核对，如第 3 行：统一社会信用代码：统一社会信用代码第 3–8 位登记管理机关'
        "行政区划码“119999”不在行政区划代码表中（可能为已撤销或调整的区划），已接收，请核对</p>"
    ) in page


def test_changelist_has_the_upload_button_and_the_upload_form_offers_provided_categories(gs_client):
    listing = gs_client.get(LIST_URL).content.decode()
    assert f'<a href="{UPLOAD_URL}" class="addlink">上传归集文件</a>' in listing
    form = gs_client.get(UPLOAD_URL).context["form"]
    offered = set(form.fields["category"].queryset.values_list("code", flat=True))
    assert {"XK", "CF"} <= offered
    assert "unit" not in form.fields


def test_rejected_rows_download_as_csv_and_xlsx(gs_client):
    _upload(gs_client, _good_and_bad())
    submission = Submission.objects.get()
    data = _download(gs_client, submission, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    columns = list(xk_row())
    assert lines[0] == ["行号", *columns, "错误"]
    assert len(lines) == 2
    assert lines[1][0] == "3"
    assert lines[1][columns.index("XK_WSH") + 1] == "京工商许字〔2026〕第002号"
    assert lines[1][-1] == f"XK_XKLB：{BAD_ROW_MESSAGE}"
    sheet = load_workbook(io.BytesIO(_download(gs_client, submission, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["行号", *columns, "错误"]
    assert (rows[1][0], rows[1][-1], len(rows)) == (3, f"XK_XKLB：{BAD_ROW_MESSAGE}", 2)
    assert gs_client.get(f"{LIST_URL}{submission.pk}/rejected.pdf").status_code == 404


def test_result_page_caps_the_rejected_rows_shown(gs_client, monkeypatch):
    monkeypatch.setattr(intake_admin, "REJECTED_SHOWN", 1)
    bad = [xk_row(XK_WSH=f"京工商许字〔2026〕第00{i}号", XK_XKLB="99") for i in (2, 3)]
    _upload(gs_client, bad)
    html = gs_client.get(f"{LIST_URL}{Submission.objects.get().pk}/change/").content.decode()
    assert "仅显示前 1 行，共退回 2 行；完整内容请下载退回文件。" in html
    assert "<tr><td>2</td><td>许可类别（XK_XKLB）</td>" in html
    assert "<tr><td>3</td>" not in html
    assert len(_download(gs_client, Submission.objects.get(), "csv").decode("utf-8-sig").splitlines()) == 3


def test_same_file_again_is_a_replay(gs_client):
    _upload(gs_client, _good_and_bad())
    again = _upload(gs_client, _good_and_bad())
    submission = Submission.objects.get()
    first_job, second_job = FileImportJob.objects.order_by("id")
    assert again["Location"] == _job_url(second_job)
    assert (first_job.submission, second_job.submission) == (submission, submission)
    assert (first_job.replayed, second_job.replayed) == (False, True)
    page = gs_client.get(again["Location"]).content.decode()
    assert f'<p class="warning">该文件已导入过，本次未新增数据（批次 #{submission.pk}）</p>' in page
    assert Record.objects.count() == 1


def test_unknown_column_fails_the_job_with_its_message_and_nothing_is_written(gs_client):
    response = _upload(gs_client, [{**xk_row(), "公司名称": "北京华信科技有限公司"}])
    assert response.status_code == 302
    html = gs_client.get(response["Location"]).content.decode()
    assert (
        '<p class="errornote">表头含有类别 XK 未定义的列：公司名称（请使用目录字段代码作为表头）'
        "（file.unknown_columns）</p>"
    ) in html
    assert Submission.objects.count() == 0
    assert Record.objects.count() == 0


def test_upload_form_checks_the_file_type(gs_client):
    upload = SimpleUploadedFile("xk.xls", b"whatever")
    response = gs_client.post(UPLOAD_URL, {"category": Category.objects.get(code="XK").pk, "file": upload})
    assert response.context["form"].errors == {
        "file": ["只接受 .csv、.xlsx 或 .jsonl 文件（.xls 请在 Excel 中另存为 .xlsx）"]
    }
    assert Submission.objects.count() == 0


def test_only_data_officers_may_upload(reference):
    checker = _client(_user("case", "bj-gongshangju", roles=["case_officer"]))
    assert checker.get(UPLOAD_URL).status_code == 403
    assert "上传归集文件" not in checker.get(LIST_URL).content.decode()
    no_perm = _client(_user("noperm", "bj-gongshangju", perms=["view_submission"]))
    assert no_perm.get(UPLOAD_URL).status_code == 403


def test_superuser_must_pick_the_unit(reference):
    boss = User.objects.create_superuser(username="boss", password="x-very-long-pass", email="")
    client = _client(boss)
    refused = _upload(client, _good_and_bad())
    assert refused.context["form"].errors == {"unit": ["这个字段是必填项。"]}
    unit = Unit.objects.get(code="bj-gongshangju")
    done = _upload(client, _good_and_bad(), unit=unit.pk)
    submission = Submission.objects.get()
    assert done["Location"] == _job_url(FileImportJob.objects.get(submission=submission))
    assert (submission.unit, submission.submitted_by) == (unit, f"user:{boss.pk}")


def test_superuser_not_provider_gets_the_service_refusal(reference):
    boss = _client(User.objects.create_superuser(username="boss", password="x-very-long-pass", email=""))
    court = Unit.objects.get(code="bj-minzhengju")
    category = Category.objects.get(code="XK")
    category.providers_open = False
    category.save()
    response = _upload(boss, _good_and_bad(), unit=court.pk)
    assert response.context["form"].non_field_errors() == [
        "市民政局不是类别“行政许可信息”的数据提供单位（submission.not_provider）"
    ]
    assert Submission.objects.count() == 0


# ── who sees what ────────────────────────────────────────────────────────────────────────────────────────


def test_another_unit_cannot_see_the_submission(gs_client, reference):
    _upload(gs_client, _good_and_bad())
    submission = Submission.objects.get()
    other = _client(_user("mz-officer", "bj-minzhengju"))
    listing = other.get(LIST_URL)
    assert listing.context["cl"].result_count == 0
    page = other.get(f"{LIST_URL}{submission.pk}/change/")
    assert (page.status_code, page["Location"]) == (302, "/admin/")
    assert other.get(f"{LIST_URL}{submission.pk}/rejected.csv").status_code == 404
    assert other.get(f"{LIST_URL}{submission.pk}/rejected.xlsx").status_code == 404
    assert other.get("/admin/records/record/").context["cl"].result_count == 0
    assert gs_client.get("/admin/records/record/").context["cl"].result_count == 1


def test_protected_fields_come_back_in_clear_only_to_the_submitting_unit(gs_client):
    person = xk_row(
        XK_XDR_MC="王芳",
        XK_XDR_LB="自然人",
        XK_XDR_SHXYM=None,
        XK_FRDB=None,
        XK_XDR_ZJLX="身份证",
        XK_XDR_ZJHM=PERSON,
    )
    _upload(gs_client, [person, {**person, "XK_WSH": "京工商许字〔2026〕第010号", "XK_XKLB": "99"}])
    submission = Submission.objects.get()
    assert PERSON not in gs_client.get(f"{LIST_URL}{submission.pk}/change/").content.decode()
    own = _download(gs_client, submission, "csv").decode("utf-8-sig")
    assert PERSON in own
    boss = _client(User.objects.create_superuser(username="boss", password="x-very-long-pass", email=""))
    theirs = _download(boss, submission, "csv").decode("utf-8-sig")
    assert PERSON not in theirs and PERSON_MASKED in theirs
    record = Record.objects.get()
    page = gs_client.get(f"/admin/records/record/{record.pk}/change/").content.decode()
    assert PERSON_MASKED in page
    assert PERSON not in page and record.protected["XK_XDR_ZJHM"] not in page
