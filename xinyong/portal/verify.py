"""Portal page 信用报告核验 (the page the report's QR code opens), over the reports app's selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from xinyong.core.errors import DomainError
from xinyong.reports import selectors

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """GET with ?number=&code= (from the QR code) answers at once; POST may add the PDF file to compare."""
    data = request.POST if request.method == "POST" else request.GET
    number, code = data.get("number", "").strip(), data.get("code", "").strip()
    context = {"number": number, "code": code, "result": None, "error": None}
    status = 200
    if number or code or request.method == "POST":
        try:
            context["result"] = _check(request, number, code)
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
    return render(request, "portal/verify.html", context, status=status)


def _check(request: HttpRequest, number: str, code: str) -> selectors.VerifyResult:
    if not number or not code:
        raise DomainError("report.verify_incomplete", "请填写报告编号和验证码")
    upload = request.FILES.get("file")
    if upload is None:
        return selectors.report_verify(number=number, code=code)
    selectors.report_verify(number=number, code=code)
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError("report.file_too_large", "文件超过 20 MB，不是本平台出具的报告", status=413)
    return selectors.report_verify(number=number, code=code, sha256=selectors.file_sha256(upload.chunks()))
