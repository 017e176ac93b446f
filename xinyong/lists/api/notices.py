"""/api/v1/lists/notices: a subject's notices (告知书/决定书), for the subject account only: the list, the
read receipt and the printable letter."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
from xinyong.core.api import file_answer
from xinyong.core.errors import PermissionDenied
from xinyong.core.pagination import sequence_page
from xinyong.core.timeutil import now
from xinyong.lists import selectors, services
from xinyong.lists.api import _ERRORS, MAX_LIMIT, _iso, router
from xinyong.lists.letters import notice_letter_html
from xinyong.lists.schemas import NoticeListOut, NoticeOut


def _own_subject(request: HttpRequest) -> int:
    own = subject_id_of(actor=request_actor(request))
    if own is None:
        raise PermissionDenied("notice.subject_only", "告知书只向信用主体本人（主体账户）提供")
    return own


def _notice_out(n) -> dict:
    return {
        "id": n.pk,
        "entry_id": n.entry_id,
        "list_type": n.entry.list_type.code,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "deadline": _iso(n.deadline),
        "sent_at": _iso(n.sent_at),
        "read_at": _iso(n.read_at),
    }


@router.get(
    "/notices",
    response={200: NoticeListOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_notice_list",
    summary="本主体收到的告知书和决定书",
)
def lists_notice_list(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
):
    notices = list(selectors.notices_for_subject(subject_id=_own_subject(request)))
    return sequence_page(request, notices, limit=limit, cursor=cursor, shape=_notice_out)


@router.post(
    "/notices/{notice_id}/read",
    response={200: NoticeOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_notice_read",
    summary="确认已阅读告知书（送达回执）",
)
def lists_notice_read(request: HttpRequest, notice_id: int):
    notice = services.notice_mark_read(
        actor=request_actor(request), notice_id=notice_id, subject_id=_own_subject(request), now=now()
    )
    return _notice_out(notice)


@router.get(
    "/notices/{notice_id}/letter",
    auth=TokenAuth(),
    operation_id="lists_notice_letter",
    summary="告知书、决定书的可打印文书（HTML）",
    openapi_extra=file_answer("可打印的 HTML 文书", "text/html"),
)
def lists_notice_letter(request: HttpRequest, notice_id: int):
    notice = selectors.notice_get(notice_id=notice_id, subject_id=_own_subject(request))
    return HttpResponse(notice_letter_html(notice), content_type="text/html; charset=utf-8")
