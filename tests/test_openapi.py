"""The committed OpenAPI document is the API's contract: a change to the API must be reviewed with it.
Regenerate with `xinyong openapi -o docs/openapi.json` and review the diff.

Issue 13: the served document validates (openapi-spec-validator), declares the bearer scheme, documents
problem+json errors, has one component name per schema class, carries strict dates and the Idempotency-Key
header; the docs page loads only the platform's own static files; tests/openapi_check.py holds every answer
to the document."""

import datetime as dt
import enum
import gzip
import json
import re
import typing
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import Client, override_settings
from openapi_spec_validator import validate
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from tests import openapi_check
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.config.api import api
from xinyong.core.api import IsoDate
from xinyong.ops.management.commands.openapi import openapi_text

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def _served() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _ninja_operations():
    for router in api._get_bound_routers():  # ninja's own OpenAPI generator walks the same list
        for path_view in router.path_operations.values():
            yield from path_view.operations


def test_openapi_document_matches_the_committed_one():
    assert openapi_text() == COMMITTED.read_text(encoding="utf-8"), (
        "API changed: run `xinyong openapi -o docs/openapi.json` and review the diff"
    )


@pytest.mark.django_db
def test_openapi_and_docs_are_served():
    client = Client()
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200
    operation_ids = {op["operationId"] for path in doc.json()["paths"].values() for op in path.values()}
    assert {"subjects_get", "catalog_categories_list", "units_list", "plan_tasks_list"} <= operation_ids
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_served_document_is_valid_openapi_3_1():
    doc = _served()
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # raises on the first error (parameter-level `examples` arrays failed here before)


def _component_classes(annotation, found: set) -> None:
    """Every pydantic model and enum reachable from a type annotation."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _component_classes(field.annotation, found)
    for arg in typing.get_args(annotation):
        _component_classes(arg, found)


def _is_ninja_wrapper(cls) -> bool:
    """ninja's per-operation parameter and response models are flattened into the operation, not components."""
    return cls.__module__ == "abc" or cls.__module__.startswith("ninja.")


def test_no_two_schema_classes_share_a_component_name():
    """Two classes named alike (lists' and subjects' `DecisionIn`) were merged into one component: one of
    them was published for both operations. Every class reachable from an operation has its own name."""
    found: set = set()
    for operation in _ninja_operations():
        for model in [*operation.models, *operation.response_models.values()]:
            _component_classes(model, found)
    by_name = defaultdict(set)
    for cls in found:
        if not _is_ninja_wrapper(cls):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    duplicates = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert duplicates == {}, f"rename one of each pair (component names must be unique): {duplicates}"
    assert len(by_name) > 100


def test_published_components_are_the_classes_operations_use():
    """The component an operation refers to is its own class's schema (objections' subject has no `kind`;
    list entries' has one)."""
    schemas = json.loads(openapi_text())["components"]["schemas"]
    assert "kind" not in schemas["RemedySubjectRefOut"]["properties"]
    assert "kind" in schemas["ListSubjectRefOut"]["required"]
    assert set(schemas["CorrectionDecisionIn"]["properties"]) != set(schemas["ListDecisionIn"]["properties"])


@pytest.mark.django_db
def test_security_is_declared_as_each_operation_authenticates():
    doc = _served()
    assert doc["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]
                   ["bearer"]["description"]}
    }  # fmt: skip
    by_id = {op["operationId"]: op for _, _, op in _operations(doc)}
    seen = defaultdict(int)
    for operation in _ninja_operations():
        auths = operation.auth_callbacks or []
        declared = by_id[operation.operation_id].get("security")
        if any(isinstance(a, OptionalTokenAuth) for a in auths):
            assert declared == [{}, {"bearer": []}], operation.operation_id
            seen["optional"] += 1
        elif any(isinstance(a, TokenAuth) for a in auths):
            assert declared == [{"bearer": []}], operation.operation_id
            seen["required"] += 1
        else:
            assert declared is None, operation.operation_id
            seen["none"] += 1
    assert seen["required"] > 50 and seen["optional"] > 5 and seen["none"] > 10
    assert by_id["units_me"]["security"] == [{"bearer": []}]
    assert by_id["search_subjects"]["security"] == [{}, {"bearer": []}]
    assert "security" not in by_id["units_list"]


@pytest.mark.django_db
def test_every_error_is_documented_as_problem_json():
    doc = _served()
    responses = doc["components"]["responses"]
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"title", "status", "detail", "code"}
    assert {"type", "instance", "errors", "request_id"} <= set(problem["properties"])
    for name, response in responses.items():
        assert response["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }, name
    assert "WWW-Authenticate" in responses["Unauthorized"]["headers"]
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    for path, method, operation in _operations(doc):
        statuses = {int(s) for s in operation["responses"]}
        assert {400, 405, 413, 422, 429} <= statuses, (path, method)
        if "security" in operation:
            assert {401, 403} <= statuses, (path, method)
        if "{" in path or operation["parameters"] or "requestBody" in operation:
            assert 404 in statuses, (path, method)
        if method in ("post", "delete"):
            assert 409 in statuses, (path, method)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["$ref"].startswith("#/components/responses/"), (path, method, status)


@pytest.mark.django_db
def test_idempotency_key_header_is_documented():
    operation = _served()["paths"]["/api/v1/submissions"]["post"]
    header = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header == [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": True,
            "description": header[0]["description"],
            "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "\\S"},
            "example": "2026-12-06-batch-001",
        }
    ]


@pytest.mark.django_db
def test_date_parameters_are_strict_iso_dates():
    """`?start=0` was read as 1970-01-01 (a Unix time); a date is YYYY-MM-DD or a 422 problem."""
    client = Client()
    ok = client.get("/api/v1/calendar/working-days?start=2026-01-05&days=0")
    assert ok.status_code == 200 and ok.json()["date"] == "2026-01-05"
    for bad in ("0", "1700000000", "2026-01-05T00:00:00", "2026-1-5", "20260105", "2026-02-30"):
        response = client.get(f"/api/v1/calendar/working-days?start={bad}")
        assert response.status_code == 422, bad
        assert response["Content-Type"] == "application/problem+json; charset=utf-8"
        assert response.json()["code"] == "request.invalid"
        assert [e["field"] for e in response.json()["errors"]] == ["start"], bad
    assert client.get("/api/v1/catalog/rules?on=0").status_code == 422
    param = _served()["paths"]["/api/v1/calendar/working-days"]["get"]["parameters"][0]
    assert param["schema"]["format"] == "date" and param["required"] is True


def test_iso_date_reads_only_yyyy_mm_dd():
    """The type behind every date parameter and body field (query strings and JSON alike)."""
    adapter = TypeAdapter(IsoDate)
    assert adapter.validate_python("2026-01-05") == dt.date(2026, 1, 5)
    assert adapter.validate_json('"2026-01-05"') == dt.date(2026, 1, 5)
    assert adapter.validate_python(dt.date(2026, 1, 5)) == dt.date(2026, 1, 5)
    for bad in (0, "0", 1700000000, "2026-01-05T00:00", dt.datetime(2026, 1, 5), "2026-02-30", " 2026-01-05"):
        with pytest.raises(PydanticValidationError):
            adapter.validate_python(bad)
    with pytest.raises(PydanticValidationError):
        adapter.validate_json("0")
    assert adapter.json_schema() == {"type": "string", "format": "date"}


@pytest.mark.django_db
def test_docs_page_loads_only_the_platforms_own_files():
    """Swagger UI came from a CDN (blank offline); ninja ships it and serves it when it is an installed app."""
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        client = Client()  # a new client builds its middleware (whitenoise) under these settings
        page = client.get("/api/v1/docs")
        assert page.status_code == 200
        html = page.content.decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
        assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
        assert {"/static/ninja/swagger-ui.css", "/static/ninja/swagger-ui-bundle.js"} <= set(assets)
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_the_answer_check_refuses_an_answer_that_breaks_the_document():
    """tests/openapi_check.py (run for every test client answer) catches a wrong body, an undocumented
    status and a wrong content type."""
    response = Client().get("/api/v1/calendar/working-days?start=2026-01-05&days=1")
    request = response.wsgi_request
    openapi_check.check_response(request, response)
    wrong = json.dumps({**response.json(), "date": "05/01/2026"}).encode()
    response.content = wrong
    with pytest.raises(openapi_check.ContractViolation, match="at date: '05/01/2026' is not a 'date'"):
        openapi_check.check_response(request, response)
    response.content, response["Content-Encoding"] = gzip.compress(wrong), "gzip"
    with pytest.raises(openapi_check.ContractViolation, match="at date: '05/01/2026' is not a 'date'"):
        openapi_check.check_response(request, response)
    response.status_code = 418
    with pytest.raises(openapi_check.ContractViolation, match="status not documented"):
        openapi_check.check_response(request, response)
    response.status_code = 400
    with pytest.raises(openapi_check.ContractViolation, match="content type 'application/json' not declared"):
        openapi_check.check_response(request, response)
