"""Issue 14, the registration pages with the test client: choose a kind, a multipart form with CSRF, the error
summary and per-field errors in Chinese, the query code in #result, and the code followed at /progress/."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support.registration import PASSWORD, PDF_BYTES, PNG_BYTES, RIC, USCC, pdf, png
from xinyong.accounts.models import AccountApplication, User

pytestmark = pytest.mark.django_db


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


def summary(answer) -> list[tuple[str, str]]:
    block = re.search(r'<div class="error-summary".*?</div>', answer.content.decode(), re.S)
    return re.findall(r'<a href="#(id_\w+)">([^<]*)</a>', block.group(0)) if block else []


def enterprise_form(**over) -> dict:
    return {"name": "北京蓝桥科技有限公司", "subject_code": USCC, "contact": "13800000000",
            "username": "lanqiao", "password": PASSWORD, "doc_licence": pdf()} | over  # fmt: skip


def test_the_start_page_offers_the_three_kinds():
    answer = Client().get("/accounts/register/")
    assert answer.status_code == 200
    hrefs = re.findall(r'href="(/accounts/register/\w+/)"', answer.content.decode())
    assert hrefs == [
        "/accounts/register/enterprise/",
        "/accounts/register/person/",
        "/accounts/register/agent/",
    ]
    assert "法人账户" in text(answer) and "线下窗口核验" in text(answer)


def test_the_form_is_multipart_with_csrf_and_each_kind_asks_its_fields():
    page = Client().get("/accounts/register/agent/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="csrfmiddlewaretoken"' in page
    names = re.findall(r'<input type="(\w+)" id="id_(\w+)"', page)
    assert names == [("text", "name"), ("text", "subject_code"), ("text", "resident_id"), ("date", "agency_valid_to"),
                     ("text", "contact"), ("text", "username"), ("password", "password"), ("file", "doc_id_card"),
                     ("file", "doc_authorisation")]  # fmt: skip
    assert re.findall(r'name="scope" value="(\w+)"', page) == [
        "objection",
        "repair",
        "report",
        "query_log",
        "consent",
    ]
    assert Client().get("/accounts/register/robot/").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(uploads):
    answer = Client(enforce_csrf_checks=True).post("/accounts/register/enterprise/", enterprise_form())
    assert answer.status_code == 403
    assert not User.objects.exists()


def test_a_firm_registers_and_reads_its_query_code_and_its_progress(uploads):
    client = Client()
    answer = client.post(
        "/accounts/register/enterprise/", enterprise_form(doc_authorisation=pdf("委托书.pdf"))
    )
    assert (answer.status_code, answer["Location"]) == (302, "/accounts/register/submitted/")
    app = AccountApplication.objects.get()
    assert [d.kind for d in app.documents.order_by("pk")] == ["licence", "authorisation"]
    done = client.get("/accounts/register/submitted/")
    result = re.search(r'<div class="result" id="result">(.*?)</div>', done.content.decode(), re.S).group(1)
    assert app.query_code in result
    assert "请携带所上传材料的原件（营业执照或身份证件；代理人另带授权委托书原件）到信用办窗口核验" in text(
        done
    )
    progress = text(Client().get("/progress/", {"code": app.query_code}))
    assert "实名注册申请：待核验" in progress
    assert "请携带所提交材料的原件到信用办窗口核验" in progress
    assert Client().get("/accounts/register/submitted/")["Location"] == "/accounts/register/"


def test_errors_come_back_in_a_summary_and_beside_each_field_and_values_stay(uploads):
    bad = enterprise_form(
        subject_code="", username="", password="12345678", doc_licence=pdf("执照.pdf", PNG_BYTES)
    )
    answer = Client().post("/accounts/register/enterprise/", bad)
    assert answer.status_code == 400
    assert summary(answer) == [
        ("id_username", "请填写用户名"),
        (
            "id_password",
            "密码太短：至少 12 个字符，现有 8 个；密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类；密码太常见，容易被猜到；密码不能只有数字",
        ),
        ("id_subject_code", "请填写统一社会信用代码"),
        ("id_doc_licence", "执照.pdf：文件内容与扩展名不符"),
    ]
    page = answer.content.decode()
    assert "<title>错误：法人账户注册" in page
    assert re.search(
        r'id="subject_code-error"><span class="visually-hidden">错误：</span>请填写统一社会信用代码</p>', page
    )
    assert 'aria-describedby="subject_code-hint subject_code-error" aria-invalid="true"' in page
    assert 'value="北京蓝桥科技有限公司"' in page and "12345678" not in page
    assert not User.objects.exists()


def test_a_person_and_an_agent_register(uploads):
    person = {"name": "李四", "resident_id": RIC, "contact": "li@example.cn", "username": "lisi",
              "password": PASSWORD, "doc_id_card": png()}  # fmt: skip
    assert Client().post("/accounts/register/person/", person).status_code == 302
    agent = {"name": "王五", "subject_code": USCC, "scope": ["repair", "report"], "agency_valid_to": "2027-06-30",
             "contact": "13900000000", "username": "wangwu", "password": PASSWORD, "doc_id_card": png(),
             "doc_authorisation": pdf("授权委托书.pdf")}  # fmt: skip
    assert Client().post("/accounts/register/agent/", agent).status_code == 302
    made = AccountApplication.objects.get(kind="agent")
    assert (made.scope, str(made.agency_valid_to)) == (["repair", "report"], "2027-06-30")
    assert AccountApplication.objects.get(kind="person").person_masked == RIC[:6] + "********" + RIC[-4:]


def test_an_agents_date_typed_wrongly_is_named(uploads):
    form = {"name": "王五", "subject_code": USCC, "scope": ["repair"], "agency_valid_to": "2027/06/30",
            "contact": "1", "username": "wangwu", "password": PASSWORD, "doc_id_card": png(),
            "doc_authorisation": pdf()}  # fmt: skip
    answer = Client().post("/accounts/register/agent/", form)
    assert summary(answer) == [("id_agency_valid_to", "委托截止日期格式应为 年-月-日，如 2027-06-30")]
    assert re.search(r'name="scope" value="repair" checked', answer.content.decode())


def test_a_body_above_the_anonymous_upload_limit_is_refused_before_it_is_read(uploads, settings):
    settings.XINYONG_ANON_UPLOAD_MAX_BYTES = 1000
    big = enterprise_form(doc_licence=pdf("执照.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 2000)))
    answer = Client().post("/accounts/register/enterprise/", big)
    assert answer.status_code == 413
    assert summary(answer) == [("id_doc_licence", "上传的材料合计过大：一次提交不得超过 1000 字节")]
    assert not User.objects.exists()
