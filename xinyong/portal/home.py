"""Portal home page: where the public pages, the API documentation and the back office are."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def home_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "<!doctype html><meta charset=utf-8><title>信用</title><h1>信用 · 公共信用信息服务平台</h1>"
        '<p><a href="/api/v1/docs">API 文档</a> · <a href="/progress/">办理进度查询</a> · '
        '<a href="/reports/verify">信用报告核验</a> · <a href="/admin/">管理后台</a></p>',
        content_type="text/html; charset=utf-8",
    )
