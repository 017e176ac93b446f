"""Shared set-up for the commitments tests: the lists tests' reference data and timeline (a serious penalty of
2025-09-20 against 北京华信科技有限公司, its black-list entry published 2025-10-15), the commitment templates
and courses, the subject's own account, officers, and helpers that sign and verify through the services.

Commitments are signed on Mon 2025-11-03 10:00 Beijing time (verification due 2026-02-03 under a 3-month
template) and verified on Mon 2025-12-01.
"""

import pytest

from tests.support.lists import (  # noqa: F401 - fixtures reused
    REVIEWER,
    SYSTEM,
    bj,
    company,
    lists_reference,
    penalty,
    receive,
    reference,
)
from tests.support.records import PERSON, SETUP_AT, xk_row
from tests.support.snapshot import restore
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import User
from xinyong.commitments import services
from xinyong.commitments.models import Commitment
from xinyong.core.actor import Actor
from xinyong.subjects.models import Subject

SIGNED_AT = bj(2025, 11, 3, 10)
VERIFIED_AT = bj(2025, 12, 1, 10)
# 市工商局 accepts the commitments in these tests; 市财政局 is another unit.
GSJ_OFFICER = Actor(label="token:gsj00009", unit_code="bj-gongshangju", roles=frozenset({"case_officer"}))
CZJ_OFFICER = Actor(label="token:czj00009", unit_code="bj-caizhengju", roles=frozenset({"data_officer"}))
XXW_OFFICER = Actor(label="token:xxw00009", unit_code="bj-jingxinwei", roles=frozenset({"data_officer"}))
MATTER = "食品经营许可证核发"


@pytest.fixture
def commitments_reference(lists_reference):  # noqa: F811
    restore(__name__, lambda: services.commitments_load(actor=SYSTEM, now=SETUP_AT))


def account_for(subject, username: str = "huaxin") -> Actor:
    """The subject's own verified account, as an Actor."""
    user = User.objects.create_user(username=username, password="x-strong-password-1")
    subject_account_link(actor=REVIEWER, user=user, subject_id=subject.pk, now=SETUP_AT)
    return Actor(label=f"user:{user.pk}", roles=frozenset({"subject"}), user_id=user.pk)


@pytest.fixture
def own(company, commitments_reference):  # noqa: F811
    return account_for(company)


def sign(
    subject, *, actor, template="voluntary-general", matter=MATTER, unit="bj-gongshangju", now=SIGNED_AT, **kw
):
    return services.commitment_sign(
        actor=actor,
        template_code=template,
        subject_id=subject.pk,
        matter=matter,
        accepting_unit_code=unit,
        signer_name="张伟",
        now=now,
        **kw,
    )


def verify(commitment: Commitment, *, kept: bool, actor=GSJ_OFFICER, now=VERIFIED_AT, **kw) -> Commitment:
    result = "经现场核查，经营场所与承诺一致" if kept else "经现场核查，申请时承诺的经营场所不存在"
    return services.commitment_verify(
        actor=actor, commitment_id=commitment.pk, kept=kept, result=result, now=now, **kw
    )


def person_subject() -> Subject:
    """王芳, a natural person, registered through a licence row (the records intake)."""
    row = xk_row(
        XK_XDR_MC="王芳",
        XK_XDR_LB="自然人",
        XK_XDR_SHXYM=None,
        XK_FRDB=None,
        XK_XDR_ZJLX="身份证",
        XK_XDR_ZJHM=PERSON,
        XK_WSH="京工商许字〔2025〕第99号",
        XK_JDRQ="2025-06-02",
        XK_YXQZ="2025-06-02",
    )
    receive([row], category="XK", key="person")
    return Subject.objects.get(kind="natural_person")
