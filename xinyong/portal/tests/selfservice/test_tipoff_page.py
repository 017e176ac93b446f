"""/tipoffs/new (举报, issue 15): anyone files a report without an account, anonymously or named, with evidence
files checked as the API checks them; the answer's query code is followed on /progress/. Every refusal is in
Chinese on its field; nothing is written on a refusal. Clock: Wed 2026-09-30 10:00 Beijing (acceptance due
5 working days later, Tue 10-13 23:59)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.accounts import signed_in
from tests.support.remedies import FILED_AT
from xinyong.accounts.models import User
from xinyong.core import ratelimit
from xinyong.core.models import EvidenceFile
from xinyong.tipoffs.models import Tipoff

URL = "/tipoffs/new"
FORM = {
    "subject": "北京华信科技有限公司",
    "category": "JYYC",
    "description": "该公司在其住所地已无法联系，仍以原地址对外签订合同。",
}


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


def _pdf(name="合同.pdf", data=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def world(company, remedies_reference, clock):
    clock.set(FILED_AT)
    return company


def test_the_form_offers_the_catalog_and_the_units(world):
    answer = Client().get(URL)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert '<option value="JYYC">经营异常名录信息（JYYC）</option>' in page
    assert '<option value="bj-gongshangju">市工商局</option>' in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page


def test_an_anonymous_report_with_evidence_answers_its_query_code(world):
    answer = Client().post(URL, {**FORM, "anonymous": "on", "evidence": [_pdf()]})
    assert answer.status_code == 201
    tipoff = Tipoff.objects.get()
    result = re.search(r'<div class="result" id="result"[^>]*>(.*?)</div>', answer.content.decode(), re.S)
    assert result and f'<strong id="query-code">{tipoff.query_code}</strong>' in result.group(1)
    assert "承办单位：市工商局；状态：已提交；受理期限：2026年10月13日 23:59；证明材料：1 个" in text(answer)
    assert (tipoff.anonymous, tipoff.subject_id, tipoff.reporter_masked) == (True, world.pk, "")
    assert EvidenceFile.objects.get(pk=tipoff.evidence_ids[0]).name == "合同.pdf"
    progress = text(Client().get(f"/progress/?code={tipoff.query_code}"))
    assert f"失信行为举报：已提交 查询码 {tipoff.query_code} 提交时间 2026年09月30日 10:00" in progress


def test_a_named_report_keeps_the_identity_masked(world):
    answer = Client().post(URL, {**FORM, "reporter_name": "李秀英", "reporter_phone": "139 1234 5678"})
    assert answer.status_code == 201
    tipoff = Tipoff.objects.get()
    assert (tipoff.anonymous, tipoff.reporter_masked) == (False, "李**，139****5678")
    assert "李秀英" not in answer.content.decode()


def test_a_signed_in_user_files_the_same_way(world):
    user = User.objects.create_user(username="citizen", password="x-strong-password-1")
    answer = signed_in(user).post(URL, {**FORM, "reporter_name": "李秀英", "reporter_phone": "13912345678"})
    assert answer.status_code == 201


def test_each_field_is_refused_in_chinese(world):
    answer = Client().post(URL, {"subject": "", "category": "", "description": " "})
    assert answer.status_code == 400
    shown = text(answer)
    assert "提交未成功，请修改以下内容" in shown
    for line in (
        "被举报主体：请填写被举报主体的名称或统一社会信用代码",
        "失信行为类别：请选择失信行为类别",
        "举报内容：请填写举报内容（失信行为的事实）",
    ):
        assert line in shown
    wrong = Client().post(URL, {**FORM, "category": "NOPE", "unit": "bj-nowhere"})
    assert wrong.status_code == 400
    assert "失信行为类别：请从列表中选择失信行为类别" in text(wrong)
    assert "承办单位（可选）：请从列表中选择承办单位" in text(wrong)
    assert Tipoff.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        ({}, "举报人姓名：实名举报须填写举报人姓名"),
        ({"reporter_name": "李秀英"}, "联系电话：实名举报须填写联系电话"),
        ({"reporter_name": "李秀英", "reporter_phone": "12345"},
         "联系电话：联系电话应为 11 位手机号码或带区号的固定电话"),
        ({"anonymous": "on", "reporter_name": "李秀英"},
         "匿名举报（不填写举报人信息）：匿名举报不填写举报人姓名、电话和身份号码"),
        ({"anonymous": "on", "unit": "bj-caizhengju"},
         "承办单位（可选）：市财政局不是“经营异常名录信息”（JYYC）的信息提供单位，不能承办此类举报"),
    ],
)  # fmt: skip
def test_the_services_refusals_land_on_their_fields(world, overrides, line):
    answer = Client().post(URL, {**FORM, **overrides})
    assert answer.status_code == 400
    assert line in text(answer)
    assert Tipoff.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "line"),
    [
        (SimpleUploadedFile("说明.txt", b"plain text"), "说明.txt：只接受 PDF、JPG、PNG 文件"),
        (SimpleUploadedFile("假.pdf", b"GIF89a"), "假.pdf：文件内容与扩展名不符"),
    ],
)
def test_files_are_checked_as_the_api_checks_them(world, upload, line):
    answer = Client().post(URL, {**FORM, "anonymous": "on", "evidence": [_pdf(), upload]})
    assert answer.status_code == 400
    assert f"证明材料（可选）：证明材料不符合要求：{line}" in text(answer)
    assert (Tipoff.objects.count(), EvidenceFile.objects.count()) == (0, 0)


def test_an_anonymous_filer_is_capped_per_request(world, settings):
    settings.XINYONG_ANON_UPLOAD_MAX_FILES = 1
    answer = Client().post(URL, {**FORM, "anonymous": "on", "evidence": [_pdf(), _pdf("二.pdf")]})
    assert answer.status_code == 413
    assert "证明材料（可选）：匿名提交的证明材料最多 1 个，实为 2 个" in text(answer)
    assert Tipoff.objects.count() == 0


def test_filings_count_in_the_apis_filing_class(world, settings, monkeypatch):
    settings.XINYONG_RATE_LIMITS = {**settings.XINYONG_RATE_LIMITS, "filing": "1/3600"}
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_796_000_000 - 1_796_000_000 % 3600 + 600)
    ratelimit.counters_clear()
    try:
        client = Client()
        form = client.get(URL)  # reading the form is not a filing
        first = client.post(URL, {**FORM, "anonymous": "on"})
        second = client.post(URL, {**FORM, "anonymous": "on"})
        api = client.post("/api/v1/tipoffs", {**FORM, "anonymous": "true"})
    finally:
        ratelimit.counters_clear()
    assert [a.status_code for a in (form, first, second, api)] == [200, 201, 429, 429]
    assert second["Retry-After"] == "3000"
    assert "<h1>请求过于频繁</h1>" in second.content.decode()
    assert Tipoff.objects.count() == 1


ODD = ["0", "-1", "99999999999999999999", "\x00", "ａｂｃ", "京" * 300, "' OR 1=1 --", "null", "<script>"]


@pytest.mark.parametrize("value", ODD)
def test_odd_input_is_answered_in_chinese_never_a_500(world, value):
    fields = ["subject", "category", "description", "unit", "anonymous", "reporter_name", "reporter_phone",
              "reporter_id_number"]  # fmt: skip
    for field in fields:
        answer = Client().post(URL, {**FORM, "reporter_name": "李秀英", "reporter_phone": "13912345678",
                                     field: value})  # fmt: skip
        assert answer.status_code in (201, 400), (field, answer.status_code)
        if value == "\x00":  # refused before any view by the request hygiene (core/hygiene.py), in Chinese
            assert "含有不允许的空字符 NUL U+0000，请删除后重试" in answer.content.decode()
        elif answer.status_code == 400:
            assert re.search(
                r"[\u4e00-\u9fff]+：[^<]*[\u4e00-\u9fff]", text(answer).split("请修改以下内容")[1]
            )
            assert "Null characters" not in answer.content.decode()
