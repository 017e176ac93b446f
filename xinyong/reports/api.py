"""Credit reports: issue a report (PDF) and verify one by number and code, with an optional file or hash."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.reports import selectors
from xinyong.reports.letters import notice_letter_issue
from xinyong.reports.schemas import ReportIn, VerifyOut
from xinyong.reports.services import report_issue
from xinyong.subjects.selectors import subject_lookup

router = Router(tags=["reports"])

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF_RESPONSE = {
    200: {
        "description": (
            "报告 PDF。响应头 X-Report-Number（报告编号）、X-Report-Code（验证码）、"
            "X-Report-Sha256（文件摘要）"
        ),
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "",
    auth=TokenAuth(),
    operation_id="reports_issue",
    summary="出具信用报告（全量或专项），返回 PDF",
    openapi_extra={"responses": PDF_RESPONSE},
)
def reports_issue(request: HttpRequest, body: ReportIn):
    """The subject itself or a government officer; a natural person's report needs the person or a case
    number. The platform keeps the PDF's SHA-256, not the file: keep the file."""
    subject = subject_lookup(raw=body.subject, field="subject").subject
    issued = report_issue(
        actor=request_actor(request),
        subject=subject,
        kind=body.kind,
        purpose=body.purpose,
        case_number=body.case_number,
        now=now(),
    )
    report = issued.report
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    response["X-Report-Number"] = report.number
    response["X-Report-Code"] = issued.code
    response["X-Report-Sha256"] = report.sha256
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/notices/{notice_id}.pdf",
    auth=TokenAuth(),
    operation_id="reports_notice_letter",
    summary="告知书、决定书的 PDF 文书（信用主体本人、提议或决定单位工作人员、审核人员、管理员）",
    openapi_extra={
        "responses": {
            200: {
                "description": "文书 PDF。响应头 X-Notice-Sha256：平台留存的首次出具文件摘要",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def reports_notice_letter(request: HttpRequest, notice_id: int):
    """The letter as sent (rendered from the notice's stored content). A notice the caller may not read
    answers 404 `notice.not_found`, as one that does not exist."""
    notice, data = notice_letter_issue(actor=request_actor(request), notice_id=notice_id, now=now())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}.pdf"'
    response["X-Notice-Sha256"] = notice.pdf_sha256
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/verify",
    response=VerifyOut,
    operation_id="reports_verify",
    summary="核验信用报告：报告编号 + 验证码（可附文件 SHA-256 核对是否被改动）",
)
def reports_verify(request: HttpRequest, number: str, code: str, sha256: str | None = None):
    return _out(selectors.report_verify(number=number, code=code, sha256=sha256))


@router.post(
    "/verify",
    response=VerifyOut,
    operation_id="reports_verify_file",
    summary="核验信用报告并上传 PDF 文件核对是否被改动（multipart/form-data）",
)
def reports_verify_file(request: HttpRequest, number: Form[str], code: Form[str], file: File[UploadedFile]):
    selectors.report_verify(number=number, code=code)  # a wrong code answers 404 before reading the file
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise DomainError("report.file_too_large", "文件超过 20 MB，不是本平台出具的报告", status=413)
    digest = selectors.file_sha256(file.chunks())
    return _out(selectors.report_verify(number=number, code=code, sha256=digest))


def _out(result: selectors.VerifyResult) -> dict:
    return {
        "valid": result.valid,
        "message": result.message,
        "number": result.number,
        "kind": result.kind,
        "kind_label": result.kind_label,
        "subject_name": result.subject_name,
        "subject_code": result.subject_code,
        "issued_at": result.issued_at,
        "issued_date": result.issued_date,
        "pages": result.pages,
        "size": result.size,
        "sha256": result.sha256,
        "file_matches": result.file_matches,
    }
