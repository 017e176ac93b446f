"""Training through the services: enrolment (own account or the provider unit), completion with a certificate
number, and every refusal."""

import pytest

from tests.support.commitments import CZJ_OFFICER, GSJ_OFFICER, SIGNED_AT, VERIFIED_AT, XXW_OFFICER
from tests.support.lists import REVIEWER, bj
from xinyong.audit.models import AuditEvent
from xinyong.commitments import services
from xinyong.commitments.models import Course
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db
OFFLINE = "scjg-xyxf-offline"  # given by 市工商局, serves scjg-yzsx


def _refused(fn, **kwargs) -> tuple[int, str, str]:
    with pytest.raises(DomainError) as caught:
        fn(**kwargs)
    return caught.value.status, caught.value.code, caught.value.message


def _enrol(subject, actor, course=OFFLINE, now=SIGNED_AT):
    return services.course_enrol(actor=actor, course_code=course, subject_id=subject.pk, now=now)


def test_the_subject_enrols_and_the_provider_completes_with_a_certificate(company, own):
    enrolment = _enrol(company, own)
    assert (enrolment.enrolled_at, enrolment.enrolled_by, enrolment.certificate_no) == (
        SIGNED_AT,
        own.label,
        None,
    )
    done = services.enrolment_complete(
        actor=GSJ_OFFICER, enrolment_id=enrolment.pk, score=86, note="结业考试合格", now=VERIFIED_AT
    )
    assert (done.completed_at, done.completed_by, done.score, done.note) == (
        VERIFIED_AT,
        GSJ_OFFICER.label,
        86,
        "结业考试合格",
    )
    assert done.certificate_no == f"PX-2025-{enrolment.pk:06d}"
    assert list(
        AuditEvent.objects.filter(action__startswith="training.").values_list("action", flat=True)
    ) == [
        "training.enrol",
        "training.complete",
    ]


def test_the_certificate_year_is_the_beijing_completion_year(company, own):
    enrolment = _enrol(company, own)
    done = services.enrolment_complete(
        actor=GSJ_OFFICER, enrolment_id=enrolment.pk, now=bj(2026, 1, 1, 0, 30)
    )
    assert done.certificate_no == f"PX-2026-{enrolment.pk:06d}"  # 2025-12-31 16:30 UTC


def test_an_officer_of_the_provider_unit_enrols_a_subject(company, commitments_reference):
    assert _enrol(company, GSJ_OFFICER).enrolled_by == GSJ_OFFICER.label


@pytest.mark.parametrize("actor", [CZJ_OFFICER, REVIEWER])
def test_enrolment_by_anyone_else_is_refused(company, commitments_reference, actor):
    assert _refused(
        services.course_enrol, actor=actor, course_code=OFFLINE, subject_id=company.pk, now=SIGNED_AT
    ) == (
        403,
        "training.enrol_not_allowed",
        "只有信用主体本人（主体账户）或培训单位（市工商局）的工作人员可以报名",
    )


def test_enrolment_refusals(company, own):
    Course.objects.filter(code="zfcg-xyxf-online").update(active=False)
    assert _refused(
        services.course_enrol, actor=own, course_code="zfcg-xyxf-online", subject_id=company.pk, now=SIGNED_AT
    ) == (404, "training.course_not_found", "培训课程 zfcg-xyxf-online 不存在或已停用")
    assert _refused(
        services.course_enrol, actor=own, course_code=OFFLINE, subject_id=987654, now=SIGNED_AT
    ) == (
        404,
        "training.subject_not_found",
        "信用主体 987654 不存在",
    )
    first = _enrol(company, own)
    assert _refused(
        services.course_enrol, actor=own, course_code=OFFLINE, subject_id=company.pk, now=SIGNED_AT
    ) == (
        409,
        "training.already_enrolled",
        f"该主体已报名课程“市场监管领域严重违法失信主体信用修复培训（线下）”（报名记录 {first.pk}）",
    )


def test_completion_refusals(company, own):
    enrolment = _enrol(company, own)
    for actor in (XXW_OFFICER, own, REVIEWER):
        assert _refused(
            services.enrolment_complete, actor=actor, enrolment_id=enrolment.pk, now=VERIFIED_AT
        ) == (
            403,
            "training.complete_not_allowed",
            "只有培训单位（市工商局）的工作人员可以登记结业",
        )
    assert _refused(
        services.enrolment_complete, actor=GSJ_OFFICER, enrolment_id=enrolment.pk, score=101, now=VERIFIED_AT
    ) == (400, "training.score_invalid", "成绩应为 0–100 的整数，实为 101")
    assert _refused(
        services.enrolment_complete,
        actor=GSJ_OFFICER,
        enrolment_id=enrolment.pk,
        note="注" * 1001,
        now=VERIFIED_AT,
    ) == (400, "training.note_too_long", "备注不能超过 1000 个字符，实为 1001 个")
    assert _refused(services.enrolment_complete, actor=GSJ_OFFICER, enrolment_id=99999, now=VERIFIED_AT) == (
        404,
        "training.enrolment_not_found",
        "报名记录 99999 不存在",
    )
    done = services.enrolment_complete(actor=GSJ_OFFICER, enrolment_id=enrolment.pk, now=VERIFIED_AT)
    assert _refused(
        services.enrolment_complete, actor=GSJ_OFFICER, enrolment_id=enrolment.pk, now=bj(2025, 12, 2, 10)
    ) == (
        409,
        "training.already_completed",
        f"报名记录 {enrolment.pk} 已于 2025-12-01 结业（证书编号 {done.certificate_no}）",
    )
