"""The OpenAPI document as a contract (issue 13): ninja's generator, corrected in one place.

- security: the bearer scheme (the units' API tokens) on every operation that takes a token; operations open
  to anonymous callers that still check a presented token declare it optional (`[{}, {"bearer": []}]`);
- errors: every operation lists the error statuses it can answer as `application/problem+json` with the
  `Problem` schema (RFC 9457), as named responses under `components.responses`;
- parameters: `example` instead of ninja's parameter-level `examples` list (invalid in OpenAPI 3.1), and no
  `null` branch for optional query parameters (a query string cannot carry null).
"""

from __future__ import annotations

import copy
from http import HTTPStatus

from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.core.api import Problem
from xinyong.core.http import REFERENCE_PATHS

BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "单位或系统集成的 API 令牌：`Authorization: Bearer <令牌>`。"
        "令牌由管理员在后台签发，吊销或过期后立即失效。"
    ),
}

PROBLEM_MEDIA_TYPE = "application/problem+json"

# status → (component name, Chinese description)
ERROR_RESPONSES = {
    400: ("BadRequest", "请求无法受理（格式、业务规则或参数错误），`code` 说明原因"),
    401: ("Unauthorized", "缺少访问令牌，或令牌无效、已吊销、已过期"),
    403: ("Forbidden", "令牌有效，但所属角色或单位无权执行此操作"),
    404: ("NotFound", "资源不存在，或对调用者不可见"),
    405: ("MethodNotAllowed", "此路径不支持该 HTTP 方法"),
    409: ("Conflict", "与资源当前状态冲突（状态流转不允许、重复提交等）"),
    413: ("ContentTooLarge", "请求体或其中的行数、文件超过上限"),
    422: ("UnprocessableContent", "请求参数或请求体不符合本文档的结构（`errors` 逐项列出）"),
    429: ("TooManyRequests", "请求过于频繁，请按 `Retry-After` 等待后重试"),
}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "认证方式（Bearer）", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "建议等待的秒数", "schema": {"type": "integer", "minimum": 0}}},
}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def operation_error_statuses(operation: Operation, declared: set[int]) -> set[int]:
    """The error statuses an operation can answer: 400/405/413/422/429 for every operation (413: a body or
    a query string above Django's limits); 401/403 when it reads a token; 404 when it takes any input (a
    path, query, header or body value can name something that does not exist); 409 for writes; plus any
    status its router declared."""
    statuses = {400, 405, 413, 422, 429} | {s for s in declared if s >= 400}
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if operation.models:
        statuses.add(404)
    if set(operation.methods) & _WRITES:
        statuses.add(409)
    return statuses


def _error_response(status: int) -> dict:
    name, description = ERROR_RESPONSES.get(status, (f"Error{status}", HTTPStatus(status).phrase))
    response = {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in _HEADERS:
        response["headers"] = copy.deepcopy(_HEADERS[status])
    return response


def _response_name(status: int) -> str:
    return ERROR_RESPONSES.get(status, (f"Error{status}", ""))[0]


def _plain_parameter(param: dict) -> dict:
    """A field's `examples` reach the parameter as a list (django-ninja before 1.8, where OpenAPI wants a map)
    or as a map of Example Objects (1.8): keep the first as `example` either way, so the document does not
    depend on the version installed. An optional query parameter is absent rather than null: drop the null
    branch."""
    examples = param.pop("examples", None)
    if isinstance(examples, dict):
        examples = [e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e]
    if isinstance(examples, list) and examples:
        param["example"] = examples[0]
    schema = param.get("schema", {})
    branches = schema.get("anyOf")
    if not param.get("required") and branches and {"type": "null"} in branches:
        rest = [b for b in branches if b != {"type": "null"}]
        del schema["anyOf"]
        if len(rest) == 1:
            schema.update(rest[0])
        else:
            schema["anyOf"] = rest
    return param


class ContractSchema(OpenAPISchema):
    """ninja's OpenAPISchema with the corrections listed in the module docstring."""

    def __init__(self, api, path_prefix: str) -> None:
        self.used_error_statuses: set[int] = set()
        super().__init__(api, path_prefix)

    def _extract_parameters(self, model) -> list[dict]:
        return [_plain_parameter(p) for p in super()._extract_parameters(model)]

    def operation_details(self, operation: Operation) -> dict:
        details = super().operation_details(operation)
        responses = {int(status): answer for status, answer in details["responses"].items()}
        for status in sorted(operation_error_statuses(operation, set(responses))):
            self.used_error_statuses.add(status)
            responses[status] = {"$ref": f"#/components/responses/{_response_name(status)}"}
        details["responses"] = dict(sorted(responses.items()))
        return details

    def get_paths(self) -> dict:
        """GETs of public reference data may answer 304 to a matching If-None-Match (core/http.py,
        ADR 0020)."""
        paths = super().get_paths()
        for path, methods in paths.items():
            if "get" in methods and REFERENCE_PATHS.match(path):
                responses = methods["get"]["responses"]
                responses[304] = {"description": "未修改：If-None-Match 与当前 ETag 相符，无响应体"}
                methods["get"]["responses"] = dict(sorted(responses.items()))
        return paths

    def operation_security(self, operation: Operation) -> list[dict] | None:
        auths = operation.auth_callbacks or []
        if any(isinstance(a, OptionalTokenAuth) for a in auths):
            return [{}, {"bearer": []}]
        if any(isinstance(a, TokenAuth) for a in auths):
            return [{"bearer": []}]
        return None

    def get_components(self) -> dict:
        components = super().get_components()
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components["schemas"].update(problem.pop("$defs", {}))
        components["schemas"]["Problem"] = problem
        components["securitySchemes"] = {"bearer": BEARER}
        components["responses"] = {
            _response_name(s): _error_response(s) for s in sorted(self.used_error_statuses)
        }
        return components
