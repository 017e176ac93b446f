"""The 政务失信 categories (catalog 2026.5, ADR 0037): they load with their kinds, providers, tiers and Chinese
field names; records of them come in through the normal intake (API and file) and a subject that is not a
government body is refused row by row with a Chinese message."""

import json

import pytest
from django.test import Client

from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied
from xinyong.govintegrity.tests.world import (
    COMPANY,
    HAIDIAN_BODY,
    HAIDIAN_INSTITUTION,
    NOW,
    officer,
    receive,
    zfcg_row,
    zfwy_row,
)
from xinyong.intake.models import RejectedRow
from xinyong.intake.services import submission_import_file
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.search import subject_search
from xinyong.subjects.selectors import subject_lookup

pytestmark = pytest.mark.django_db
ZFWY_NAME = "政府违约毁约信息（合同、招商引资承诺）"


def test_the_government_categories_load_as_negative_categories_of_government_bodies(reference):
    got = {
        c.code: (c.name, c.subject_kinds, c.polarity, c.severity_tiers, c.publication_rule, c.version.version)
        for c in Category.objects.filter(code__in=["ZFSXBZX", "ZFWY", "ZFCG"])
    }
    assert got == {
        "ZFSXBZX": (
            "政府机构失信被执行人信息",
            ["government_body", "public_institution"],
            "negative",
            ["serious"],
            "while_listed",
            "2026.5",
        ),
        "ZFWY": (
            ZFWY_NAME,
            ["government_body"],
            "negative",
            ["general", "serious"],
            "severity_period",
            "2026.5",
        ),
        "ZFCG": (
            "政府采购失信信息（采购人）",
            ["government_body", "public_institution"],
            "negative",
            ["general", "serious"],
            "severity_period",
            "2026.5",
        ),
    }
    zfwy = Category.objects.get(code="ZFWY")
    fields = {f.code: (f.name, f.tier, f.required) for f in zfwy.fields.all()}
    assert fields["ZFWY_TYSHXYDM"] == ("统一社会信用代码", "public", "mandatory")
    assert fields["ZFWY_HTBH"] == ("合同编号", "government", "optional")
    assert fields["ZFWY_ZGQK"] == ("整改情况", "government", "optional")
    providers = sorted(zfwy.providers.values_list("code", flat=True))
    assert "bj-haidian" in providers and "bj-touzicujinju" in providers and len(providers) == 21
    assert sorted(Category.objects.get(code="ZFCG").providers.values_list("code", flat=True))[:2] == [
        "bj-caizhengju",
        "bj-changping",
    ]


def test_a_government_body_record_is_accepted_and_the_body_is_a_searchable_district_subject(reference):
    submission = receive("bj-haidian", "ZFWY", [zfwy_row()], "k-1")
    assert (submission.accepted, submission.rejected) == (1, 0)
    body = Subject.objects.get(uscc=HAIDIAN_BODY)
    assert (body.kind, body.district, body.name) == ("government_body", "bj-haidian", "北京市海淀区某某局")
    assert subject_lookup(raw=HAIDIAN_BODY).subject == body
    assert [h.subject for h in subject_search(q="某某局", include_persons=False).hits] == [body]
    record = Record.objects.get(subject=body)
    assert (record.category.code, record.severity, record.status) == ("ZFWY", "general", "published")


def test_api_intake_refuses_an_enterprise_row_with_a_chinese_message(reference):
    unit = Unit.objects.get(code="bj-haidian")
    issued = api_token_create(actor=Actor.system(), unit=unit, role="data_officer", now=NOW)
    rows = [zfwy_row(), zfwy_row(ZFWY_ZTMC="北京华信科技有限公司", ZFWY_TYSHXYDM=COMPANY, ZFWY_RDWSH="x-2")]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}").post(
        "/api/v1/submissions", json.dumps({"category": "ZFWY", "rows": rows}),
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-api",
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (1, 1)
    assert body["rejected_rows"] == [{"index": 1, "errors": [{
        "field": "ZFWY_TYSHXYDM", "code": "subject.kind_not_allowed",
        "message": f"类别“{ZFWY_NAME}”的信用主体只能是机关，统一社会信用代码 {COMPANY} 表明主体为企业",
    }]}]  # fmt: skip
    assert not Subject.objects.filter(uscc=COMPANY).exists()


def test_file_intake_refuses_a_public_institution_where_only_bodies_may_be_and_an_enterprise_as_purchaser(
    reference, tmp_path
):
    path = tmp_path / "zfcg.csv"
    rows = [zfcg_row(), zfcg_row(ZFCG_TYSHXYDM=COMPANY, ZFCG_CLWSH="京财采处〔2026〕6号")]
    header = list(rows[0])
    path.write_text(
        "\n".join([",".join(header), *(",".join(r.get(h, "") for h in header) for r in rows)]) + "\n",
        encoding="utf-8",
    )
    outcome, _info = submission_import_file(
        actor=officer("bj-caizhengju"), unit=Unit.objects.get(code="bj-caizhengju"),
        category=Category.objects.get(code="ZFCG"), path=path, now=NOW,
    )  # fmt: skip
    assert (outcome.submission.accepted, outcome.submission.rejected) == (1, 1)
    assert RejectedRow.objects.get().errors == [{
        "field": "ZFCG_TYSHXYDM", "code": "subject.kind_not_allowed",
        "message": f"类别“政府采购失信信息（采购人）”的信用主体只能是事业单位、机关，统一社会信用代码 {COMPANY} 表明主体为企业",
    }]  # fmt: skip
    assert Subject.objects.get(uscc=HAIDIAN_INSTITUTION).kind == "public_institution"
    refused = receive("bj-haidian", "ZFWY", [zfwy_row(ZFWY_TYSHXYDM=HAIDIAN_INSTITUTION)], "k-inst")
    assert refused.rejected == 1 and refused.result["rejected_rows"][0]["errors"][0]["message"].endswith(
        "表明主体为事业单位"
    )


def test_only_the_named_providers_may_submit(reference):
    with pytest.raises(PermissionDenied) as refused:
        receive("bj-gongshangju", "ZFWY", [zfwy_row()], "k-x")
    assert refused.value.code == "submission.not_provider"


def test_the_portal_shows_a_government_body_and_its_public_record(reference, clock):
    clock.set(NOW)
    receive("bj-haidian", "ZFWY", [zfwy_row(ZFWY_HTBH="HT-2026-001")], "k-portal")
    answer = Client().get(f"/subjects/{HAIDIAN_BODY}/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<h1>北京市海淀区某某局</h1>" in html
    assert (
        "<div><dt>主体类型</dt><dd>机关</dd></div>" in html
        and "<div><dt>所属区</dt><dd>海淀区</dd></div>" in html
    )
    assert f'<h2 id="s-zfwy">{ZFWY_NAME}</h2>' in html
    assert "<div><dt>失信类型</dt><dd>招商引资承诺未履行</dd></div>" in html
    record = Record.objects.get(subject__uscc=HAIDIAN_BODY)
    page = Client().get(f"/records/{record.pk}/").content.decode()
    assert "未按协议兑现约定的房租补贴" in page
    assert "HT-2026-001" not in page  # 合同编号 is government tier (政务共享)
