"""救济途径: a list type's remedy channels are data (each with its period and legal source), the loader holds the
list type's own remedy text to them, and a decision whose remedy text drops a channel or its period is refused
(lists/remedy.py)."""

import pytest
import yaml

from tests.support.lists import DECIDED_AT, DECIDER, REMEDY, SETUP_AT, SYSTEM, propose, walk
from xinyong.core.errors import DomainError
from xinyong.lists import services
from xinyong.lists.models import ListType, Notice
from xinyong.lists.remedy import (
    RemedyChannel,
    channels_of,
    chinese_number,
    remedy_check,
    remedy_default_text,
    remedy_missing,
)
from xinyong.lists.services import list_types_load
from xinyong.lists.services.list_types import DEFAULT_PATH

REVIEW = RemedyChannel("申请行政复议", "60日", "知道该决定之日", "《中华人民共和国行政复议法》第二十条")
SUIT = RemedyChannel("提起行政诉讼", "6个月", "知道该决定之日", "《中华人民共和国行政诉讼法》第四十六条")
DEFAULT = (
    "对本决定不服的，可以自知道该决定之日起六十日内申请行政复议（《中华人民共和国行政复议法》第二十条）；"
    "可以自知道该决定之日起六个月内提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。"
)
SCJG_REMEDY = (
    "对列入决定不服的，可以自知道该决定之日起六十日内依法申请行政复议，或者自知道该决定之日起六个月内依法"
    "向人民法院提起行政诉讼。列入满一年且符合条件的，可以申请信用修复、提前移出。"
)


def _incomplete(text, channels=(REVIEW, SUIT)) -> DomainError:
    with pytest.raises(DomainError) as caught:
        remedy_check(text, channels)
    assert (caught.value.code, caught.value.status) == ("list_entry.remedy_incomplete", 400)
    return caught.value


def test_the_default_text_is_generated_from_the_channels_and_passes():
    assert remedy_default_text([REVIEW, SUIT]) == DEFAULT
    remedy_check(DEFAULT, [REVIEW, SUIT])
    court = RemedyChannel("申请复议", "10日", "决定书送达之日", "法释〔2017〕7号第十二条")
    correction = RemedyChannel("申请纠正", "", "", "法释〔2017〕7号第十二条")
    assert remedy_default_text([correction, court]) == (
        "对本决定不服的，可以申请纠正（法释〔2017〕7号第十二条）；"
        "可以自决定书送达之日起十日内申请复议（法释〔2017〕7号第十二条）。"
    )
    assert remedy_missing(remedy_default_text([correction, court]), [correction, court]) == []


def test_periods_may_be_written_in_arabic_or_chinese_numerals():
    assert [chinese_number(n) for n in (6, 10, 15, 60, 100, 105, 180)] == [
        "六", "十", "十五", "六十", "一百", "一百零五", "一百八十",
    ]  # fmt: skip
    assert REVIEW.period_spellings() == ("60日", "60天", "六十日", "六十天")
    assert SUIT.period_spellings() == ("6个月", "六个月")
    remedy_check("可以在 60 日内申请行政复议，或者在 6 个月内提起行政诉讼。", [REVIEW, SUIT])
    remedy_check("可以在六十天内申请行政复议；六个月内提起行政诉讼", [REVIEW, SUIT])


def test_each_channel_dropped_is_refused_by_name():
    error = _incomplete("对列入决定不服的，可以自知道该决定之日起六个月内依法向人民法院提起行政诉讼。")
    assert error.message == (
        "决定书载明的救济途径不完整，未载明：“申请行政复议”（《中华人民共和国行政复议法》第二十条）"
    )
    assert error.errors == [
        {
            "field": "remedy",
            "code": "channel_missing",
            "message": "救济途径未载明“申请行政复议”（《中华人民共和国行政复议法》第二十条）",
        }
    ]
    error = _incomplete("对列入决定不服的，可以自知道该决定之日起六十日内依法申请行政复议。")
    assert error.message == (
        "决定书载明的救济途径不完整，未载明：“提起行政诉讼”（《中华人民共和国行政诉讼法》第四十六条）"
    )


def test_each_period_dropped_is_refused_by_name():
    error = _incomplete(
        "对列入决定不服的，可以依法申请行政复议，或者自知道该决定之日起六个月内提起行政诉讼。"
    )
    assert error.message == (
        "决定书载明的救济途径不完整，未载明：“申请行政复议”的期限（六十日，《中华人民共和国行政复议法》第二十条）"
    )
    assert [e["code"] for e in error.errors] == ["period_missing"]
    error = _incomplete("对列入决定不服的，可以自知道该决定之日起六十日内申请行政复议，或者提起行政诉讼。")
    assert error.message == (
        "决定书载明的救济途径不完整，未载明：“提起行政诉讼”的期限（六个月，《中华人民共和国行政诉讼法》第四十六条）"
    )
    # A wrong period is a missing one; the period must sit in the channel's own clause.
    error = _incomplete("可以在三十日内申请行政复议，或者六十日内提起行政诉讼。")
    assert [e["code"] for e in error.errors] == ["period_missing", "period_missing"]
    error = _incomplete("可以依法申请行政复议或提起行政诉讼。")
    assert error.message == (
        "决定书载明的救济途径不完整，未载明：“申请行政复议”的期限（六十日，《中华人民共和国行政复议法》第二十条）；"
        "“提起行政诉讼”的期限（六个月，《中华人民共和国行政诉讼法》第四十六条）"
    )


@pytest.mark.django_db
def test_the_shipped_list_types_carry_their_channels(reference):
    list_types_load(actor=SYSTEM, now=SETUP_AT)
    channels = dict(ListType.objects.values_list("code", "remedy_channels"))
    scjg = [c["action"] + (c["period"] and f"/{c['period']}") for c in channels["scjg-yzsx"]]
    assert scjg == ["申请行政复议/60日", "提起行政诉讼/6个月"]
    assert [(c["action"], c["period"]) for c in channels["fy-sxbzx"]] == [
        ("申请纠正", ""),
        ("申请复议", "10日"),
    ]
    assert [c["action"] for c in channels["nsxy-a"]] == ["申请复评", "申请行政复议", "提起行政诉讼"]
    assert channels["scjg-yzsx"][0] == {
        "action": "申请行政复议",
        "period": "60日",
        "starts": "知道该决定之日",
        "basis": "《中华人民共和国行政复议法》第二十条",
    }
    for list_type in ListType.objects.all():  # every shipped remedy text states its channels
        assert remedy_missing(list_type.remedy, channels_of(list_type.remedy_channels)) == [], list_type.code
    assert ListType.objects.get(code="scjg-yzsx").remedy == SCJG_REMEDY


@pytest.mark.django_db
def test_the_loader_refuses_bad_channels_and_a_remedy_text_that_drops_one(reference, tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    first, second, third = data["list_types"][:3]
    first["remedy"] = "对列入决定不服的，可以依法申请行政复议。"
    second["remedy_channels"][1]["period"] = "十日"
    second["remedy_channels"].append({"action": "申请纠正", "period": None, "basis": "同上", "note": "x"})
    third["remedy_channels"][0].pop("starts")
    path = tmp_path / "list_types.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        list_types_load(actor=SYSTEM, now=SETUP_AT, path=path)
    assert caught.value.code == "list_types.invalid"
    assert [e["message"] for e in caught.value.errors] == [
        "list_types[0].remedy：救济途径未载明“申请行政复议”的期限（六十日，《中华人民共和国行政复议法》第二十条）",
        "list_types[0].remedy：救济途径未载明“提起行政诉讼”（《中华人民共和国行政诉讼法》第四十六条）",
        "list_types[1].remedy_channels[1].period：期限“十日”应写作“N日”或“N个月”（N 为阿拉伯数字）",
        "list_types[1].remedy_channels[2].note：未知的键（允许：action、basis、period、starts）",
        "list_types[1].remedy_channels[2].action：救济渠道“申请纠正”重复",
        "list_types[2].remedy_channels[0].starts：有期限的救济渠道须载明期限的起算（如“知道该决定之日”）",
    ]
    assert ListType.objects.count() == 0


@pytest.mark.django_db
def test_a_decision_that_drops_a_channel_is_refused_and_the_default_passes(company, penalty):
    entry = walk(propose(company, [penalty]), "notice_sent")
    with pytest.raises(DomainError) as caught:
        services.list_entry_decide(
            actor=DECIDER, entry_id=entry.pk, remedy="对列入决定不服的，可以申请行政复议。", now=DECIDED_AT
        )
    assert (caught.value.code, caught.value.status) == ("list_entry.remedy_incomplete", 400)
    assert [e["code"] for e in caught.value.errors] == ["period_missing", "channel_missing"]
    assert not Notice.objects.filter(kind="decision").exists()
    default = remedy_default_text(channels_of(entry.list_type.remedy_channels))
    assert default == DEFAULT
    entry = services.list_entry_decide(actor=DECIDER, entry_id=entry.pk, remedy=default, now=DECIDED_AT)
    assert (entry.state, entry.remedy) == ("decided", DEFAULT)
    assert f"五、救济途径\n{DEFAULT}" in Notice.objects.get(kind="decision").body
    assert REMEDY != DEFAULT  # the shared test text is complete too (both channels, both periods)
    remedy_check(REMEDY, channels_of(entry.list_type.remedy_channels))


@pytest.mark.django_db
def test_for_every_shipped_list_type_dropping_any_channel_or_period_is_refused(reference):
    list_types_load(actor=SYSTEM, now=SETUP_AT)
    checked = 0
    for list_type in ListType.objects.order_by("code"):
        channels = channels_of(list_type.remedy_channels)
        remedy_check(remedy_default_text(channels), channels)
        for dropped in channels:
            kept = [c for c in channels if c != dropped]
            assert [e["code"] for e in remedy_missing(remedy_default_text(kept), channels)] == [
                "channel_missing"
            ], (list_type.code, dropped.action)
            if dropped.period:
                no_period = [*kept, RemedyChannel(dropped.action, "", "", dropped.basis)]
                assert [e["code"] for e in remedy_missing(remedy_default_text(no_period), channels)] == [
                    "period_missing"
                ], (list_type.code, dropped.action)
            checked += 1
    assert checked == 13  # 2 channels × 5 list types + 3 for the tax list
