"""A letter names the deciding unit as it was named on the letter's date (accounts.selectors.unit_name_on): the
market regulator signs as 北京市工商行政管理局 before 2018-11-16 and 北京市市场监督管理局 from then on."""

import pytest

from tests.support.lists import bj, propose, walk
from xinyong.lists.models import NoticeKind
from xinyong.lists.services.notices import notice_send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("when", "unit", "date"),
    [
        (bj(2018, 6, 12, 10), "北京市工商行政管理局", "2018年6月12日"),
        (bj(2018, 11, 15, 23, 59), "北京市工商行政管理局", "2018年11月15日"),
        (bj(2018, 11, 16, 0, 1), "北京市市场监督管理局", "2018年11月16日"),
        (bj(2019, 3, 1, 10), "北京市市场监督管理局", "2019年3月1日"),
    ],
)
def test_the_notice_names_the_unit_in_force_on_its_date(company, penalty, when, unit, date):
    entry = walk(propose(company, [penalty]), "notice_sent")
    notice = notice_send(entry, kind=NoticeKind.NOTICE, now=when)
    assert (notice.content["signature"], notice.content["date"]) == (unit, date)
    assert (
        notice.content["opening"]
        == f"经审查，{unit}拟将你（单位）列入市场监督管理严重违法失信名单。现将有关事项告知如下："
    )
    assert f"书面方式向{unit}提出陈述、申辩" in notice.body


def test_the_decision_of_2019_is_signed_by_the_market_regulator(company, penalty):
    entry = walk(propose(company, [penalty]), "decided")
    decision = notice_send(entry, kind=NoticeKind.DECISION, now=bj(2019, 3, 1, 10))
    assert decision.content["signature"] == "北京市市场监督管理局"
    assert decision.content["opening"].startswith("北京市市场监督管理局于2019年3月1日决定将你（单位）列入")
    earlier = notice_send(entry, kind=NoticeKind.DECISION, now=bj(2018, 6, 12, 10))
    assert earlier.content["signature"] == "北京市工商行政管理局"
