"""No endpoint answers 500 to odd input: every operation of the OpenAPI document is called with garbage path,
query and body values, anonymously and with a unit token, and must answer a problem (4xx) or success."""

import datetime as dt
import json
import re

import pytest
from django.test import Client

from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_create
from xinyong.config.api import api
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
ODD_VALUES = [
    "0",
    "-1",
    "99999999999999999999",
    "%00",
    "ａｂｃ",
    "京" * 300,
    "' OR 1=1 --",
    "2026-02-30",
    "null",
]
ODD_BODIES = [
    b"",
    b"{",
    b"[]",
    b'{"rows": "x"}',
    json.dumps({"category": "XK", "rows": [{"a": {"b": 1}}]}).encode(),
]


def _operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            yield path, method, [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


@pytest.fixture
def clients():
    units_load(actor=Actor.system(), now=NOW)
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code="bj-gongshangju"), role="data_officer", now=NOW
    )
    return [Client(), Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")]


def test_no_operation_answers_500(clients):
    seen = 0
    for path, method, query in _operations():
        for value in ODD_VALUES:
            url = re.sub(r"\{[^}]+\}", value.replace("/", "%2F"), path)
            params = "&".join(f"{name}={value}" for name in query)
            for client in clients:
                for body in ODD_BODIES if method in ("post", "put", "patch") else [None]:
                    call = getattr(client, method)
                    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
                    response = call(f"{url}?{params}" if params else url, **kwargs, HTTP_IDEMPOTENCY_KEY="k")
                    seen += 1
                    assert response.status_code < 500, (method, url, params, body, response.content[:300])
    assert seen > 500


def test_nul_characters_are_refused_before_any_service(clients):
    response = clients[1].post(
        "/api/v1/submissions",
        '{"category": "XK", "rows": [{"XK_NR": "a\\u0000"}]}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert (response.status_code, response.json()["code"]) == (400, "request.nul_character")
    response = clients[0].get("/api/v1/publicity/penalties?unit=%00")
    assert (response.status_code, response.json()["detail"]) == (400, "请求中含有不允许的空字符（NUL）")


def _problem(response, status: int, code: str) -> dict:
    assert (response.status_code, response["Content-Type"]) == (
        status,
        "application/problem+json; charset=utf-8",
    )
    body = response.json()
    assert body["code"] == code
    return body


def test_a_body_above_the_limit_is_refused_before_it_is_read(clients, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.XINYONG_API_MULTIPART_MAX_BYTES = 5000
    unit = clients[1]
    body = json.dumps({"category": "XK", "rows": [{"x": "a" * 1000}]})
    big = _problem(
        unit.post("/api/v1/submissions", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"),
        413,
        "request.too_large",
    )
    assert (big["detail"], big["limit"]) == (f"请求体过大：{len(body)} 字节，此接口上限 1000 字节", 1000)
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 6000, content_type="application/pdf")]
    multipart = Client().post("/api/v1/tipoffs", {"subject": "x", "category": "JYYC", "files": files})
    assert _problem(multipart, 413, "request.too_large")["limit"] == 5000
    small = unit.post("/api/v1/submissions", "{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert small.status_code != 413  # under the limit the API answers as before


def test_requests_django_will_not_read_are_problems_on_the_api_and_pages_elsewhere(clients, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    fields = {f"f{i}": "x" for i in range(5)}
    _problem(Client().post("/api/v1/tipoffs", fields), 413, "request.too_many_parts")
    _problem(Client(HTTP_HOST="evil.example").get("/api/v1/matters"), 400, "request.refused")
    page = Client(HTTP_HOST="evil.example").get("/progress/")
    assert (page.status_code, page["Content-Type"]) == (400, "text/html; charset=utf-8")


# ── reproducers of issue 13's fuzzing: each answered 500 before ─────────────────────────────────────────


@pytest.mark.parametrize(
    "path", ["/api/v1/tipoffs", "/api/v1/objections", "/api/v1/reports/verify", "/api/v1/repairs"]
)
def test_multipart_without_a_boundary_is_a_400_problem(clients, path):
    # anonymous callers of /repairs are refused (401) before the body is read
    expected = [401 if path == "/api/v1/repairs" else 400, 400]
    for client, status in zip(clients, expected, strict=True):
        response = client.generic("POST", path, b"--x\r\n", content_type="multipart/form-data")
        assert response.status_code == status, (path, response.content[:200])
        assert response["Content-Type"].startswith("application/problem+json")
        if status == 400:
            assert response.json()["code"] == "request.multipart_invalid"


@pytest.mark.parametrize("path", ["/api/v1/objections", "/api/v1/repairs"])
@pytest.mark.parametrize(
    "cursor", ["e30", "eyJhdCI6IDF9", "eyJhdCI6ICJ4IiwgImlkIjogMX0"]
)  # {}, {"at": 1}, bad date
def test_a_cursor_that_decodes_to_the_wrong_keys_is_a_400_problem(clients, path, cursor):
    response = clients[1].get(path, {"cursor": cursor})
    assert (response.status_code, response.json()["code"]) == (400, "cursor.invalid")


@pytest.mark.parametrize(
    "path,body",
    [
        ("/api/v1/checks", {"matter": "\udc00", "case_number": "x", "subjects": ["x"]}),
        (
            "/api/v1/commitments",
            {"template": "x", "subject": "x\udc00", "matter": "x", "accepting_unit": "x", "signer_name": "x"},
        ),  # fmt: skip
        ("/api/v1/submissions", {"category": "XK", "rows": [{"XK_XDR_MC": "\udc00"}]}),
        ("/api/v1/training/enrolments", {"course": "\udc00", "subject": "x"}),
    ],
)
def test_a_lone_surrogate_in_a_json_string_is_a_400_problem(clients, path, body):
    raw = json.dumps(body).encode()  # ensure_ascii: the surrogate travels as the escape \udc00
    assert b"\\udc00" in raw
    response = clients[1].generic(
        "POST", path, raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (response.status_code, response.json()["code"]) == (400, "request.invalid_text")


def test_a_valid_surrogate_pair_passes_the_parser(clients):
    raw = json.dumps({"matter": "😀", "case_number": "x", "subjects": ["x"]}).encode()
    assert b"\\ud83d\\ude00" in raw
    response = clients[1].generic("POST", "/api/v1/checks", raw, content_type="application/json")
    assert response.json()["code"] != "request.invalid_text"


def test_a_body_that_is_not_json_is_a_chinese_400_problem(clients):
    response = clients[1].generic("POST", "/api/v1/checks", b"{", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "request.invalid_json")
