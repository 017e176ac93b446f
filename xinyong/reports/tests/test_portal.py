"""The portal page /reports/verify: the form, a QR-code link that answers at once, a file check, a wrong code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.reports import COMPANY, NOW, OFFICER
from xinyong.reports.services import report_issue, verify_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(known):
    return report_issue(actor=OFFICER, subject=known.subject, kind="compliance", purpose="招投标", now=NOW)


def test_empty_form(db):
    response = Client().get("/reports/verify")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>信用报告核验</h1>" in page and 'name="number"' in page and 'type="file"' in page
    assert 'id="result"' not in page


def test_the_qr_code_link_answers_at_once(issued):
    url = verify_url(issued.report.number, issued.code)
    assert url == f"http://127.0.0.1:8000/reports/verify?number={issued.report.number}&code={issued.code}"
    response = Client().get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<div class="result ok" id="result">' in page
    assert "<strong>报告真实有效：该报告由本平台出具。</strong>" in page
    for cell in [
        issued.report.number,
        "专项信用报告",
        "北京华信科技有限公司",
        COMPANY,
        "2026年11月02日",
        issued.report.sha256,
    ]:
        assert cell in page, cell


def test_public_url_setting_is_used(issued, settings):
    settings.XINYONG_PUBLIC_URL = "https://xinyong.beijing.example/"
    assert (
        verify_url("XYBG-1", "ABC") == "https://xinyong.beijing.example/reports/verify?number=XYBG-1&code=ABC"
    )


def _post(issued, data: bytes | None, code=None):
    form = {"number": issued.report.number, "code": code or issued.code}
    if data is not None:
        form["file"] = SimpleUploadedFile("r.pdf", data, content_type="application/pdf")
    return Client(enforce_csrf_checks=False).post("/reports/verify", form)


def test_uploaded_file_matches(issued):
    page = _post(issued, issued.pdf).content.decode()
    assert "报告真实有效，所核对的文件与平台留存的文件摘要一致，未被改动。" in page
    assert "<tr><th>文件核对</th><td>一致，文件未被改动</td></tr>" in page


def test_altered_file_is_detected(issued):
    altered = bytearray(issued.pdf)
    altered[len(altered) // 3] ^= 0x20
    response = _post(issued, bytes(altered))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="result bad" id="result">' in page
    assert "<tr><th>文件核对</th><td>不一致，文件可能已被改动</td></tr>" in page


def test_wrong_code(issued):
    response = _post(issued, None, code="2222222222")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<strong>核验未通过：</strong>报告编号或验证码不正确，未找到对应的信用报告" in page
    assert "北京华信科技有限公司" not in page


def test_missing_code(db):
    response = Client().post("/reports/verify", {"number": "XYBG-20261102-AAAAAAAA", "code": ""})
    assert response.status_code == 400
    assert "请填写报告编号和验证码" in response.content.decode()


def test_form_carries_a_csrf_token(db):
    assert 'name="csrfmiddlewaretoken"' in Client().get("/reports/verify").content.decode()
