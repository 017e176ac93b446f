"""Anonymous uploads and multipart hygiene (issue 12): an anonymous report takes at most
XINYONG_ANON_UPLOAD_MAX_FILES files and XINYONG_ANON_UPLOAD_MAX_BYTES in all (413, the declared body refused
before it is read); NUL or a bidi override in a multipart field or file name is a 400; a 400-character file
name is shortened, not a 500."""

import pytest
from django.test import Client, override_settings

from xinyong.core.models import EvidenceFile
from xinyong.tipoffs.models import Tipoff
from xinyong.tipoffs.tests.test_api import (
    FORM,
    URL,
    _pdf,
    clock,  # noqa: F401 - fixture reused
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
ANONYMOUS = {**FORM, "reporter_name": "", "reporter_phone": "", "anonymous": "true"}


def _problem(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["code"], body["detail"]


def test_an_anonymous_report_takes_three_files_by_default(company):
    response = Client().post(URL, {**ANONYMOUS, "files": [_pdf(f"{i}.pdf") for i in range(4)]})
    assert _problem(response) == (413, "evidence.too_many", "匿名提交的证明材料最多 3 个，实为 4 个")
    response = Client().post(URL, {**ANONYMOUS, "files": [_pdf(f"{i}.pdf") for i in range(3)]})
    assert response.status_code == 201, response.content
    assert Tipoff.objects.count() == 1


@override_settings(XINYONG_ANON_UPLOAD_MAX_BYTES=40)
def test_the_total_of_an_anonymous_filers_files_is_capped(company):
    files = [_pdf("a.pdf", b"%PDF-1.4 " + b"x" * 20), _pdf("b.pdf", b"%PDF-1.4 " + b"y" * 20)]
    response = Client().post(URL, {**ANONYMOUS, "files": files})
    assert _problem(response) == (
        413,
        "evidence.too_large",
        "匿名提交的证明材料合计不得超过 40 字节，实为 58 字节",
    )
    assert Tipoff.objects.count() == 0 and EvidenceFile.objects.count() == 0


@override_settings(XINYONG_ANON_UPLOAD_MAX_BYTES=0)
def test_an_anonymous_body_above_the_cap_is_refused_before_it_is_read(company):
    big = _pdf("big.pdf", b"%PDF-1.4 " + b"z" * (1024 * 1024 + 10))
    response = Client().post(URL, {**ANONYMOUS, "files": [big]})
    status, code, detail = _problem(response)
    assert (status, code) == (413, "request.too_large")
    assert detail.endswith("此接口上限 1048576 字节")


def test_nul_in_a_multipart_field_is_a_400(company):
    response = Client().post(URL, {**ANONYMOUS, "description": "无法联系\x00", "files": [_pdf()]})
    assert _problem(response) == (400, "request.nul_character", "请求中含有不允许的空字符（NUL）")
    assert response.json()["errors"][0]["field"] == "description"


def test_a_bidi_override_in_a_field_is_a_400_and_in_a_file_name_never_kept(company):
    response = Client().post(URL, {**ANONYMOUS, "subject": "北京\u202e华信", "files": [_pdf()]})
    assert _problem(response) == (
        400, "request.invalid_character", "subject 含有不允许的双向文本控制字符 U+202E，请删除后重试")  # fmt: skip
    assert Tipoff.objects.count() == 0
    response = Client().post(URL, {**ANONYMOUS, "files": [_pdf("合同\u202efdp.exe.pdf")]})
    assert response.status_code == 201  # Django's multipart parser drops format characters from file names
    assert EvidenceFile.objects.get().name == "合同fdp.exe.pdf"


def test_a_400_character_file_name_is_shortened_keeping_its_extension(company):
    response = Client().post(URL, {**ANONYMOUS, "files": [_pdf("合" * 400 + ".pdf")]})
    assert response.status_code == 201, response.content
    stored = EvidenceFile.objects.get()
    assert (len(stored.name), len(stored.name.encode()), stored.name[-6:]) == (69, 199, "合合.pdf")


def test_the_records_admin_upload_keeps_a_long_name_on_disk(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.intake.jobs import file_store

    settings.XINYONG_UPLOAD_DIR = tmp_path
    saved = file_store("京" * 400 + ".csv", SimpleUploadedFile("x.csv", b"a,b\n").chunks())
    assert saved.read_bytes() == b"a,b\n" and saved.suffix == ".csv" and len(saved.name.encode()) <= 200
