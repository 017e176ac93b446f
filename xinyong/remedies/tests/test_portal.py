"""The portal page 办理进度查询 (/progress/): an objection and a dishonesty report each followed by query code
without an account, in Chinese, without officers' labels; wrong codes read alike."""

import re

import pytest
from django.test import Client

from tests.support.remedies import ACCEPTED_AT, REVIEWER, file
from xinyong.remedies import services


def page(code: str):
    return Client().get("/progress/", {"code": code})


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


def test_an_objection_followed_by_query_code(own, penalty):
    objection = file(own, penalty.pk)
    services.objection_refuse(
        actor=REVIEWER, objection_id=objection.pk, reason="异议内容与该信息无关", now=ACCEPTED_AT
    )
    answer = page(objection.query_code.lower())
    assert answer.status_code == 200
    shown = text(answer)
    assert "异议：不予受理" in shown
    assert "受理期限 2026年10月09日 23:59" in shown
    assert "书面答复 异议内容与该信息无关" in shown
    assert "2026年09月30日 10:00 提交异议：罚款金额应为一万元，决定书送达稿与公示不一致" in shown
    assert "2026年10月09日 15:00 不予受理：异议内容与该信息无关" in shown
    assert REVIEWER.label not in answer.content.decode()


@pytest.mark.django_db
def test_wrong_codes_read_alike_and_the_empty_form_is_plain():
    wrong, malformed = page("YY-0000-0000-0000-0000"), page("hello")
    assert (wrong.status_code, malformed.status_code) == (404, 404)
    assert "查询码不正确，或没有对应的申请" in text(wrong) and "查询码不正确，或没有对应的申请" in text(
        malformed
    )
    empty = Client().get("/progress/")
    assert empty.status_code == 200 and 'id="result"' not in empty.content.decode()


def test_a_dishonesty_report_on_the_same_page(company, remedies_reference):
    from xinyong.core.actor import Actor
    from xinyong.tipoffs.services import tipoff_file

    tipoff = tipoff_file(
        actor=Actor.anonymous(),
        subject=company.uscc,
        category="CF",
        description="该公司虚假宣传",
        now=ACCEPTED_AT,
        anonymous=True,
    )
    shown = text(page(tipoff.query_code))
    assert "失信行为举报：已提交" in shown and "受理期限" in shown
