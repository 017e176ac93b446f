"""Input hygiene (issue 12, ADR 0018): NUL, control, bidi and zero-width characters refused in JSON bodies of
any content type and in the query string, each answer naming the field; TAB/LF/CR allowed in body text;
date arithmetic that leaves the calendar is a 400; IPv6 transition addresses refused by the webhook guard."""

import datetime as dt
import json

import pytest
from django.test import Client, override_settings

from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_create
from xinyong.catalog.periods import add_quantity
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.pushes import netguard
from xinyong.workdays.selectors import add_working_days

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
SUBMISSIONS = "/api/v1/submissions"


@pytest.fixture
def officer() -> Client:
    units_load(actor=Actor.system(), now=NOW)
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code="bj-gongshangju"), role="data_officer", now=NOW
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}", HTTP_IDEMPOTENCY_KEY="k1")


def _submit(client: Client, name: str, *, content_type="application/json", ascii_only=True):
    body = json.dumps({"category": "XK", "rows": [{"XK_XDR_MC": name}]}, ensure_ascii=ascii_only)
    return client.generic("POST", SUBMISSIONS, body.encode(), content_type=content_type)


def test_nul_inside_json_sent_as_text_plain_is_a_400(officer):
    response = _submit(officer, "北京\x00华信", content_type="text/plain")
    assert (response.status_code, response.json()["code"]) == (400, "request.nul_character")
    assert response.json()["errors"][0]["field"] == "rows[0].XK_XDR_MC"


CHARACTERS = [("\x1b", "控制字符"), ("\x85", "控制字符"), ("\u202e", "双向文本控制字符"),
              ("\u2066", "双向文本控制字符"), ("\u200b", "零宽或方向标记字符"), ("\ufeff", "零宽或方向标记字符")]  # fmt: skip


def test_control_and_bidi_characters_in_json_are_refused_naming_the_field(officer):
    """Each character, escaped (\\u202e) and raw, in a body sent as application/json and as text/plain."""
    for char, kind in CHARACTERS:
        detail = f"rows[0].XK_XDR_MC 含有不允许的{kind} U+{ord(char):04X}，请删除后重试"
        for content_type in ("application/json", "text/plain"):
            for ascii_only in (True, False):
                response = _submit(
                    officer, f"华信{char}科技", content_type=content_type, ascii_only=ascii_only
                )
                seen = (response.status_code, response.json()["code"], response.json()["detail"])
                assert seen == (400, "request.invalid_character", detail), (char, content_type, ascii_only)


def test_tab_and_newlines_pass_in_body_text_but_not_in_the_query(officer):
    response = _submit(officer, "第一行\n第二行\t\r")
    assert response.json().get("code") != "request.invalid_character"
    for value in ("%09", "%0A", "%E2%80%AE", "%E2%80%8B", "%1B"):
        response = Client().get(f"/api/v1/publicity/penalties?unit=a{value}")
        assert (response.status_code, response.json()["code"]) == (400, "request.invalid_character"), value
        assert response.json()["errors"][0]["field"] == "unit"


def test_a_path_with_a_bidi_override_is_refused():
    response = Client().get("/api/v1/subjects/%E2%80%AE91110108/profile")
    assert (response.status_code, response.json()["code"]) == (400, "request.invalid_character")


def test_working_days_past_the_calendar_are_a_400_not_a_500():
    response = Client().get("/api/v1/calendar/working-days?start=9999-12-31&days=3660")
    assert (response.status_code, response.json()["code"]) == (400, "date.out_of_range")
    assert response.json()["detail"] == "start 须在 1900-01-01 至 2199-12-31 之间"
    assert Client().get("/api/v1/calendar/working-days?start=2199-12-31&days=3660").status_code == 200


def test_date_arithmetic_that_leaves_the_calendar_is_a_domain_error():
    with pytest.raises(DomainError) as caught:
        add_working_days(dt.date(9999, 12, 20), 30)
    assert (caught.value.code, caught.value.status) == ("date.out_of_range", 400)
    assert caught.value.message == "9999-12-20 后第 30 个工作日超出可计算的日期范围"
    for quantity in ({"amount": 3, "unit": "years"}, {"amount": 30, "unit": "calendar_days"}):
        with pytest.raises(DomainError) as caught:
            add_quantity(dt.date(9999, 12, 20), quantity)
        assert caught.value.code == "date.out_of_range"
    assert add_quantity(dt.date(2199, 12, 31), {"amount": 3, "unit": "years"}) == dt.date(2202, 12, 31)


TRANSITION = [
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1 (the reproducer)
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2002:808:808::1",  # 6to4 of a public address: refused outright too
    "64:ff9b::7f00:1",  # NAT64 well-known prefix, 127.0.0.1
    "64:ff9b:1::a00:1",  # NAT64 local-use prefix, 10.0.0.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo (client 127.0.0.1 obfuscated)
    "::127.0.0.1",  # IPv4-compatible
    "::10.0.0.1",
]


@pytest.mark.parametrize("address", TRANSITION)
@pytest.mark.parametrize("allow_private", [False, True])
def test_ipv6_transition_addresses_are_refused_whatever_the_operator_allows(address, allow_private):
    with override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=allow_private):
        assert netguard.address_allowed(address) is False


def test_ipv4_mapped_addresses_are_judged_by_their_ipv4_and_public_ipv6_passes():
    assert netguard.address_allowed("::ffff:127.0.0.1") is False
    assert netguard.address_allowed("::ffff:8.8.8.8") is True
    assert netguard.address_allowed("2606:4700:4700::1111") is True
    with override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=True):
        assert netguard.address_allowed("::1") is True  # loopback itself stays the operator's choice


def test_the_6to4_reproducer_is_refused_at_registration():
    with pytest.raises(DomainError) as caught:
        netguard.webhook_target("http://[2002:7f00:1::1]/")
    assert (caught.value.code, caught.value.message) == (
        "webhook.url_private", "推送地址指向本机、内网、链路本地或保留地址（2002:7f00:1::1），不予登记")  # fmt: skip
