"""Agents (代理人, issue 14) on the self-service pages: an agent chooses on /me/acting/ the one subject it acts
for among its live powers of attorney, then does what the power covers and nothing else; an expired or revoked
power stops it at once, even mid-session. The audit names the agent (`user:<id>`) and the agency it acted
under. Clock: Wed 2026-09-30 10:00 Beijing; the live power runs 2026-09-01 … 2026-10-10."""

import datetime as dt
import re

import pytest

from tests.support.accounts import agency_make, agent_make, signed_in
from tests.support.remedies import FILED_AT
from xinyong.accounts.acting import ACTING_SESSION_KEY
from xinyong.accounts.models import AgencyScope
from xinyong.audit.models import AuditEvent
from xinyong.remedies.models import Objection


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


@pytest.fixture
def agent(company, remedies_reference, clock):
    clock.set(FILED_AT)
    return agent_make()


@pytest.fixture
def live(agent, company):
    return agency_make(agent, company, valid_to=dt.date(2026, 10, 10))


def _form(penalty) -> dict:
    return {
        "record": penalty.pk,
        "grounds": "error",
        "description": "罚款金额应为一万元",
        "applicant_name": "华信",
    }


def test_an_agent_chooses_a_live_power_and_sees_whom_it_acts_for(agent, live, company):
    expired = agency_make(agent, company, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 9, 15))
    revoked = agency_make(agent, company, revoked_at=FILED_AT)
    client = signed_in(agent)
    assert "您是代理人，请先 选择代为办理的信用主体" in text(client.get("/me/"))
    listing = client.get("/me/acting/").content.decode()
    for agency, status in ((live, "有效"), (expired, "已过期"), (revoked, "已撤销")):
        row = re.search(rf'<tr id="agency-{agency.pk}">(.*?)</tr>', listing, re.S).group(1)
        assert f"<td>{status}" in row
        assert ('name="agency"' in row) == (agency is live)
    answer = client.post("/me/acting/", {"agency": live.pk})
    assert (answer.status_code, answer["Location"]) == (302, "/me/")
    assert client.session[ACTING_SESSION_KEY] == live.pk
    event = AuditEvent.objects.get(action="agency.act")
    assert (event.actor, event.target_id) == (f"user:{agent.pk}", str(company.pk))
    assert event.payload["agency"] == live.pk and "acting_for" not in event.payload  # not acting yet
    home = text(client.get("/me/"))
    assert (
        f"您以代理人身份为 北京华信科技有限公司 （{company.uscc}）办理。委托事项：异议申诉；委托截止：2026年10月10日"
        in home
    )
    assert "我的异议" in home and "我的信用修复申请" not in home and "公示中的负面信息" not in home


@pytest.mark.parametrize(
    ("window", "code", "message"),
    [
        ({"valid_from": dt.date(2026, 1, 1), "valid_to": dt.date(2026, 9, 15)}, "agency.expired",
         "授权委托已于 2026年09月15日 到期，不能再代为办理；如需继续，请重新办理授权委托"),
        ({"revoked_at": FILED_AT}, "agency.revoked", "授权委托已被撤销，不能再代为办理"),
        ({"valid_from": dt.date(2026, 10, 8)}, "agency.not_started", "授权委托自 2026年10月08日 起生效，目前还不能代为办理"),
    ],
)  # fmt: skip
def test_a_dead_power_is_refused_when_chosen(agent, company, window, code, message):
    dead = agency_make(agent, company, **window)
    client = signed_in(agent)
    answer = client.post("/me/acting/", {"agency": dead.pk})
    assert answer.status_code == 403
    assert message in text(answer)
    assert ACTING_SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action="agency.act").exists()


def test_another_agents_power_cannot_be_chosen(agent, live):
    other = agent_make("qita", "王其他")
    answer = signed_in(other).post("/me/acting/", {"agency": live.pk})
    assert answer.status_code == 404 and "没有该授权委托" in text(answer)
    assert signed_in(other).post("/me/acting/", {"agency": "x"}).status_code == 400


def test_an_agent_files_an_objection_for_the_subject_within_scope(agent, live, company, penalty):
    client = signed_in(agent, acting=live)
    answer = client.post("/me/objections/new", _form(penalty))
    assert answer.status_code == 201
    objection = Objection.objects.get()
    assert objection.query_code in text(answer)
    assert (objection.subject_id, objection.filed_by, objection.agent_name) == (
        company.pk,
        f"user:{agent.pk}",
        "李代理",
    )
    assert objection.flagged_at is not None  # a verified power of attorney: flagged at once, as the subject
    filed = AuditEvent.objects.get(action="objection.file")
    assert filed.actor == f"user:{agent.pk}"
    assert filed.payload["acting_for"] == {"agency": live.pk, "subject": company.pk}
    assert objection.query_code in text(client.get("/me/"))


@pytest.mark.parametrize(
    ("path", "matter"), [("/me/query-log/", "查询记录"), ("/me/repairs/new", "信用修复")]
)
def test_out_of_scope_pages_are_refused(agent, live, path, matter):
    answer = signed_in(agent, acting=live).get(path)
    assert answer.status_code == 403
    assert 'data-code="agency.out_of_scope"' in answer.content.decode()
    assert f"授权委托书的委托事项不包括“{matter}”，代理人不能代为办理" in text(answer)


def test_a_power_with_the_query_log_in_scope_reads_it(agent, company):
    agency = agency_make(agent, company, scope=(AgencyScope.QUERY_LOG,))
    client = signed_in(agent, acting=agency)
    assert client.get("/me/query-log/").status_code == 200
    assert client.get("/me/objections/new").status_code == 403


def test_a_power_that_expires_or_is_revoked_mid_session_stops_the_agent_at_once(
    agent, live, penalty, clock, settings
):
    # the session itself outlives the two days the clock jumps: only the power of attorney ends
    settings.XINYONG_SESSION_IDLE_MINUTES, settings.XINYONG_SESSION_MAX_HOURS = 30 * 24 * 60, 30 * 24
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    client = signed_in(agent, acting=live)
    assert client.get("/me/objections/new").status_code == 200
    clock.set(dt.datetime(2026, 10, 11, 1, 0, tzinfo=dt.UTC))  # 09:00 Beijing, the day after it ended
    for answer in (client.get("/me/objections/new"), client.post("/me/objections/new", _form(penalty))):
        assert answer.status_code == 403
        assert "授权委托已于 2026年10月10日 到期" in text(answer)
    assert "授权委托已于 2026年10月10日 到期" in text(client.get("/me/"))
    assert "当前的授权委托已失效" in text(client.get("/me/acting/"))
    clock.set(FILED_AT)
    live.revoked_at, live.revoked_by = FILED_AT, "user:1"
    live.save()
    answer = client.get("/me/objections/new")
    assert answer.status_code == 403 and 'data-code="agency.revoked"' in answer.content.decode()
    assert Objection.objects.count() == 0
    stop = client.post("/me/acting/", {"stop": "1"})
    assert stop.status_code == 302 and ACTING_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="agency.act_end", target_id=str(live.pk)).exists()


def test_an_agents_api_token_acts_as_itself_never_for_the_subject(agent, live):
    from xinyong.accounts.services import user_token_create
    from xinyong.core.actor import Actor

    secret = user_token_create(actor=Actor.system(), user=agent, now=FILED_AT).secret
    answer = signed_in(agent, acting=live).get("/api/v1/me/query-log", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 403 and answer.json()["code"] == "me.not_a_subject"
