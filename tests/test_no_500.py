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
