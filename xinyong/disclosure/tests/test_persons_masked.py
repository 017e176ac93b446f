"""A natural person's name in the public answers (ADR 0040; issue 15 "persons never listed by name to the
public"; DESIGN principle 6): the 双公示 list and its CSV / JSON Lines exports show 王** for the public tier —
anonymous callers, public, institution and subject tokens — in `subject_name` and in every field quoting the
name (`CF_XDR_MC`, a text); government roles read the name in full, as before. The rule is the portal's
(subjects.masking): the column page and the API agree. An institution reading a person's profile with the
person's consent gets the name masked in the record fields too, as it gets no name in the profile's base."""

import json

import pytest
from django.test import Client

from tests.support.records import NOW, PERSON, cf_row
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.core.actor import Actor
from xinyong.subjects.masking import person_name_mask, person_name_masked_in

from .test_profile import _person_client, _submit, _token, data  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
NAME, MASKED_NAME = "王小明", "王**"
PERSON_PENALTY = cf_row(
    CF_WSH="京工商罚字〔2026〕第7号",
    CF_XDR_MC=NAME,
    CF_XDR_LB="自然人",
    CF_XDR_SHXYM=None,
    CF_FRDB=None,
    CF_XDR_ZJLX="身份证",
    CF_XDR_ZJHM=PERSON,
    CF_SY=f"{NAME}在经营场所销售假冒商品",
)


@pytest.fixture
def person_penalty(reference):
    _submit(_token("bj-gongshangju", "data_officer"), [PERSON_PENALTY, cf_row()], "CF", "cf-person")


def _bank() -> Client:
    Unit.objects.create(code="bank-demo", name="示例银行北京分行", type="institution", roles=["consumer"])
    return _token("bank-demo", "institution")


def _public_token() -> Client:
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code="bj-gongshangju"), role="public", now=NOW
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _person_item(client: Client) -> dict:
    body = client.get("/api/v1/publicity/penalties")
    assert body.status_code == 200
    return next(i for i in body.json()["items"] if i["subject_kind"] == "natural_person")


def _exports(client: Client) -> tuple[str, dict]:
    csv_text = b"".join(
        client.get("/api/v1/publicity/penalties/export?format=csv").streaming_content
    ).decode()
    lines = b"".join(client.get("/api/v1/publicity/penalties/export?format=jsonl").streaming_content)
    items = [json.loads(line) for line in lines.decode().splitlines()]
    return csv_text, next(i for i in items if i["subject_kind"] == "natural_person")


def test_the_rule():
    assert [person_name_mask(n) for n in ("王小明", "王芳", "王", "欧阳娜娜", "")] == [
        "王**", "王*", "王*", "欧***", ""]  # fmt: skip
    assert person_name_masked_in("王小明在经营场所", "王小明") == "王**在经营场所"
    assert person_name_masked_in(3, "王小明") == 3 and person_name_masked_in("王小明", "") == "王小明"


def test_the_public_tier_reads_the_name_masked_in_the_list_and_the_exports(person_penalty):
    for client in (Client(), _public_token(), _bank()):
        item = _person_item(client)
        assert (item["subject_name"], item["fields"]["CF_XDR_MC"]) == (MASKED_NAME, MASKED_NAME)
        assert item["fields"]["CF_SY"] == "王**在经营场所销售假冒商品"
        assert item["subject_code"] == PERSON[:6] + "********" + PERSON[-4:]
        csv_text, jsonl_item = _exports(client)
        assert NAME not in csv_text and "小明" not in csv_text
        assert f",{MASKED_NAME},published," in csv_text
        assert (jsonl_item["subject_name"], jsonl_item["fields"]["CF_XDR_MC"]) == (MASKED_NAME, MASKED_NAME)
        body = client.get("/api/v1/publicity/penalties").content.decode()
        assert NAME not in body and "北京华信科技有限公司" in body  # organisations stay named


def test_a_subject_token_reads_the_name_masked_too(person_penalty):
    assert _person_item(_person_client())["subject_name"] == MASKED_NAME


def test_government_roles_read_the_name_in_full(person_penalty):
    for unit, role in (("bj-shuiwuju", "case_officer"), ("bj-gongshangju", "data_officer")):
        client = _token(unit, role)
        item = _person_item(client)
        assert (item["subject_name"], item["fields"]["CF_XDR_MC"]) == (NAME, NAME)
        assert item["fields"]["CF_SY"] == f"{NAME}在经营场所销售假冒商品"
        csv_text, jsonl_item = _exports(client)
        assert f",{NAME},published," in csv_text and jsonl_item["subject_name"] == NAME


def test_an_institution_with_consent_reads_the_persons_records_with_the_name_masked(data):  # noqa: F811
    institution = _bank()
    grant = _person_client().post(
        "/api/v1/me/consents",
        json.dumps({"grantee": "bank-demo", "purpose": "个人贷款审批", "valid_until": "2027-05-01"}),
        content_type="application/json",
    )
    assert grant.status_code == 201
    profile = institution.get(f"/api/v1/subjects/{PERSON}/profile").json()
    fields = {f["code"]: f["value"] for f in profile["categories"][0]["records"][0]["fields"]}
    assert (profile["subject"]["name"], fields["XK_XDR_MC"]) == (None, "王*")
    officer = _token("bj-gongshangju", "case_officer")
    full = officer.get(f"/api/v1/subjects/{PERSON}/profile?purpose=许可审查&case_number=C-1").json()
    fields = {f["code"]: f["value"] for f in full["categories"][0]["records"][0]["fields"]}
    assert (full["subject"]["name"], fields["XK_XDR_MC"]) == ("王芳", "王芳")
