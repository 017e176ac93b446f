"""Every answer of /api/v1/ conforms to the served OpenAPI document (issue 13; as Zulip's test suite does).

`check_response` is called for each response the Django test client receives (root conftest.py): it finds
the operation by the URL route Django resolved, and checks that the status is documented for it, that the
content type is one the document declares for that status, and that a JSON body validates against the
declared schema (formats included: `date`, `date-time`). The document is built once per process and each
schema compiled once.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from functools import cache

from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOC_URI = "urn:xinyong:openapi"
API_PREFIX = "/api/v1/"
NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs"}
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
SPENT = {"answers": 0, "seconds": 0.0, "document": 0.0}  # filled by the root conftest.py


class ContractViolation(AssertionError):
    """An answer that breaks the OpenAPI document."""


@cache
def document() -> dict:
    from xinyong.config.api import api

    started = time.perf_counter()
    doc = json.loads(json.dumps(api.get_openapi_schema()))
    SPENT["document"] = time.perf_counter() - started
    return doc


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOC_URI, resource)


@cache
def _validator(pointer: str) -> OAS31Validator:
    return OAS31Validator(
        {"$ref": f"{DOC_URI}#{pointer}"}, registry=_registry(), format_checker=OAS31Validator.FORMAT_CHECKER
    )


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _deref(node: dict) -> tuple[dict, str | None]:
    """A response object, following one `$ref` into components; with its JSON pointer when it was a ref."""
    ref = node.get("$ref")
    if not ref:
        return node, None
    parts = ref.removeprefix("#/").split("/")
    target = document()
    for part in parts:
        target = target[part]
    return target, ref.removeprefix("#")


def _operation_path(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return None
    return "/" + _CONVERTER.sub(r"{\1}", match.route)


def check_response(request, response) -> None:
    """Raise ContractViolation when `response` breaks the document; ignore what is not an API operation."""
    path = request.path_info
    if not path.startswith(API_PREFIX) or path in NOT_OPERATIONS or request.method in ("HEAD", "OPTIONS"):
        return
    template = _operation_path(request)
    operation = document()["paths"].get(template or "", {}).get(request.method.lower())
    where = f"{request.method} {request.get_full_path()} → {response.status_code}"
    if operation is None:
        return  # no such operation (a 404 or 405 of the router): nothing to hold it to
    responses = operation["responses"]
    declared = responses.get(str(response.status_code)) or responses.get("default")
    if declared is None:
        raise ContractViolation(f"{where}: status not documented for {operation['operationId']}")
    _check_body(where, operation, response, declared)


def _check_body(where: str, operation: dict, response, declared: dict) -> None:
    declared, ref_pointer = _deref(declared)
    content = declared.get("content") or {}
    media = (response.get("Content-Type") or "").split(";")[0].strip()
    if not content or response.status_code in (204, 304) or 300 <= response.status_code < 400:
        return
    if media not in content:
        raise ContractViolation(f"{where}: content type {media!r} not declared (declared: {sorted(content)})")
    if not media.endswith("json") or getattr(response, "streaming", False):
        return
    if ref_pointer:
        pointer = f"{ref_pointer}/content/{_escape(media)}/schema"
    else:
        status = (
            str(response.status_code) if str(response.status_code) in operation["responses"] else "default"
        )
        path, method = _locate(operation)
        pointer = f"/paths/{_escape(path)}/{method}/responses/{status}/content/{_escape(media)}/schema"
    body = json.loads(_decoded(response))
    errors = sorted(_validator(pointer).iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [
            f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:5]
        ]
        raise ContractViolation(
            f"{where}: answer breaks {operation['operationId']}'s schema\n" + "\n".join(lines)
        )


def _decoded(response) -> bytes:
    """The body as sent before any Content-Encoding (a gzip middleware compresses JSON for clients that
    accept it)."""
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


@cache
def _operations_by_id() -> dict[str, tuple[str, str]]:
    return {
        op["operationId"]: (path, method)
        for path, item in document()["paths"].items()
        for method, op in item.items()
    }


def _locate(operation: dict) -> tuple[str, str]:
    return _operations_by_id()[operation["operationId"]]
