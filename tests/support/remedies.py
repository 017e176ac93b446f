"""Shared set-up for the remedies tests (objections and repair), on the lists tests' world: a serious penalty
of 2025-09-20 against 北京华信科技有限公司 (publication under the 2023 rules, Order No. 58: at least until
2026-09-20), its black-list entry on 市场监管严重违法失信名单 (published 2025-10-15, earliest exit 2026-10-14,
training required), the commitment templates and courses, and the company's own account.

Timeline (Beijing time; the 2026 National Day holiday is 10-01 … 10-07, Sat 10-10 worked): objections filed
Wed 2026-09-30 (accept within 2 working days → Fri 10-09), accepted Fri 10-09 (verify within 10 working days →
10-22, capped by 20 calendar days from filing → Tue 10-20); repairs applied for Mon 2026-11-02.
"""

import pytest

from tests.support.commitments import (  # noqa: F401 - fixtures reused
    GSJ_OFFICER,
    account_for,
    commitments_reference,
)
from tests.support.lists import (  # noqa: F401 - fixtures reused
    DECIDER,
    PROPOSER,
    REVIEWER,
    REVIEWER_2,
    SYSTEM,
    bj,
    company,
    lists_reference,
    penalty,
    propose,
    receive,
    reference,
    walk,
)
from xinyong.commitments import services as commitments
from xinyong.core.actor import Actor
from xinyong.core.evidence import Upload
from xinyong.lists.models import ListEntry
from xinyong.remedies import services
from xinyong.remedies.models import Objection, RepairApplication

FILED_AT = bj(2026, 9, 30, 10)
ACCEPT_DUE = bj(2026, 10, 9, 23, 59, 59)
ACCEPTED_AT = bj(2026, 10, 9, 15)
VERIFY_DUE = bj(2026, 10, 20, 23, 59, 59)
VERIFIED_AT = bj(2026, 10, 16, 10)
REPLIED_AT = bj(2026, 10, 19, 10)
APPLIED_AT = bj(2026, 11, 2, 10)
CHECKED_AT = bj(2026, 11, 4, 10)
DECIDED_AT = bj(2026, 11, 5, 10)
PDF = Upload("缴款凭证.pdf", b"%PDF-1.4\n% evidence\n")
# 市工商局 provides the penalty and decides the serious list; 市财政局 is another unit.
GSJ = Actor(label="token:gsj00031", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
CZJ = Actor(label="token:czj00031", unit_code="bj-caizhengju", roles=frozenset({"data_officer"}))
STRANGER = Actor(label="user:990", roles=frozenset(), user_id=990)


@pytest.fixture
def remedies_reference(commitments_reference):  # noqa: F811
    return None


@pytest.fixture
def own(company, remedies_reference):  # noqa: F811
    return account_for(company)


@pytest.fixture
def entry(company, penalty) -> ListEntry:  # noqa: F811
    """The company's published black-list entry, based on the penalty."""
    return walk(propose(company, [penalty]), "published")


def repair_commitment(subject, actor, *, target_kind: str, target_id: int):
    return commitments.commitment_sign(
        actor=actor,
        template_code="repair-general",
        subject_id=subject.pk,
        matter="信用修复",
        accepting_unit_code="bj-gongshangju",
        signer_name="张伟",
        now=bj(2026, 10, 26, 10),
        target_kind=target_kind,
        target_id=target_id,
    )


def certificate(subject, course="scjg-xyxf-offline") -> str:
    provider = {
        "scjg-xyxf-offline": GSJ_OFFICER,
        "xyxf-online-basic": Actor(
            label="token:xxw00031", unit_code="bj-jingxinwei", roles=frozenset({"data_officer"})
        ),
    }[course]
    enrolment = commitments.course_enrol(
        actor=provider, course_code=course, subject_id=subject.pk, now=bj(2026, 10, 27, 9)
    )
    done = commitments.enrolment_complete(actor=provider, enrolment_id=enrolment.pk, now=bj(2026, 10, 28, 17))
    return done.certificate_no


# ── scenario builders: an objection filed, accepted, verified; a repair applied for (through the services) ──


def file(actor, target_id, *, target_kind="record", grounds="error", now=FILED_AT, **kw) -> Objection:
    kw.setdefault("evidence", [PDF])
    return services.objection_file(
        actor=actor,
        target_kind=target_kind,
        target_id=target_id,
        grounds=grounds,
        description=kw.pop("description", "罚款金额应为一万元，决定书送达稿与公示不一致"),
        applicant_name=kw.pop("applicant_name", "北京华信科技有限公司"),
        now=now,
        **kw,
    )


def accepted(objection) -> Objection:
    return services.objection_accept(actor=REVIEWER, objection_id=objection.pk, now=ACCEPTED_AT)


def verify(objection, outcome, actor=GSJ) -> Objection:
    return services.objection_verify(
        actor=actor, objection_id=objection.pk, outcome=outcome, verification="经核实", now=VERIFIED_AT
    )


def apply(actor, target_id, *, target_kind="record", now=APPLIED_AT, **kw) -> RepairApplication:
    return services.repair_apply(
        actor=actor,
        target_kind=target_kind,
        target_id=target_id,
        statement=kw.pop("statement", "已缴清罚款并整改完毕"),
        applicant_name="北京华信科技有限公司",
        evidence=kw.pop("evidence", [PDF]),
        certificate_no=kw.pop("certificate_no", ""),
        now=now,
    )
