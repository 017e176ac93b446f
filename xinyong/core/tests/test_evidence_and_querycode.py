import datetime as dt

import pytest

from xinyong.core.errors import DomainError
from xinyong.core.evidence import MAX_BYTES, MAX_FILES, Upload, evidence_describe, evidence_store
from xinyong.core.models import EvidenceFile
from xinyong.core.querycode import query_code_new, query_code_normalise

NOW = dt.datetime(2026, 5, 6, 2, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 10


def _refusal(files):
    with pytest.raises(DomainError) as caught:
        evidence_store(files=files, purpose="objection", actor_label="anonymous", now=NOW)
    return caught.value


@pytest.mark.django_db
def test_files_stored_with_hash_and_described_without_bytes():
    ids = evidence_store(
        files=[Upload("C:\\scan\\缴款凭证.pdf", PDF), Upload("照片.PNG", PNG)],
        purpose="repair",
        actor_label="user:3",
        now=NOW,
    )
    described = evidence_describe(ids)
    assert [d["name"] for d in described] == ["缴款凭证.pdf", "照片.PNG"]
    assert [d["content_type"] for d in described] == ["application/pdf", "image/png"]
    assert described[1]["size"] == len(PNG)
    assert bytes(EvidenceFile.objects.get(pk=ids[0]).data) == PDF
    assert "data" not in described[0]


@pytest.mark.django_db
def test_each_bad_file_named_and_nothing_stored():
    error = _refusal(
        [Upload("a.pdf", PDF), Upload("b.exe", b"MZ"), Upload("c.jpg", PDF), Upload("d.png", b"")]
    )
    assert error.code == "evidence.invalid"
    assert error.message == (
        "证明材料不符合要求：b.exe：只接受 PDF、JPG、PNG 文件；c.jpg：文件内容与扩展名不符；d.png：文件为空"
    )
    assert [e["field"] for e in error.errors] == ["files[1]", "files[2]", "files[3]"]
    assert EvidenceFile.objects.count() == 0


@pytest.mark.django_db
def test_size_and_count_limits():
    big = _refusal([Upload("big.pdf", PDF + b"0" * MAX_BYTES)])
    assert big.message == f"证明材料不符合要求：big.pdf：超过 10 MB（{MAX_BYTES + len(PDF)} 字节）"
    many = _refusal([Upload(f"{i}.pdf", PDF) for i in range(MAX_FILES + 1)])
    assert (many.code, many.message) == ("evidence.too_many", "证明材料最多 10 个，实为 11 个")


def test_query_codes_round_trip_and_forgive_typing():
    code = query_code_new("objection")
    assert code.startswith("YY-") and len(code) == 22
    assert query_code_normalise(code.lower().replace("-", " ")) == code
    assert query_code_normalise("xf-7k2m-q9pd-3xta-hvoc") == "XF-7K2M-Q9PD-3XTA-HV0C"
    assert query_code_normalise("ZZ-7K2M-Q9PD-3XTA-HV0C") == ""
    assert query_code_normalise("YY-7K2M-Q9PD-3XTA-HV0") == ""
    assert query_code_normalise("YY-7K2M-Q9PD-3XTA-HVU!") == ""
    assert len({query_code_new("tipoff") for _ in range(200)}) == 200


def test_uploads_are_read_only_to_one_byte_past_the_limit_and_refused_with_their_real_size():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.core.evidence import uploads_read

    size = MAX_BYTES + 5 * 1024 * 1024
    (upload,) = uploads_read([SimpleUploadedFile("大文件.pdf", PDF + b"0" * (size - len(PDF)))])
    assert (len(upload.data), upload.size) == (MAX_BYTES + 1, size)
    assert _refusal([upload]).message == f"证明材料不符合要求：大文件.pdf：超过 10 MB（{size} 字节）"
    assert uploads_read(None) == []
