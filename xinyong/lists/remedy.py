"""救济途径 (remedy channels) as data, and the check that a decision letter states every one of them.

A list type names its remedy channels in lists/data/list_types.yaml (`remedy_channels`): the act the
subject may take (申请行政复议, 提起行政诉讼 …), its period (`60日`, `6个月`; empty where the law sets
none), when the period starts and the legal source. 《行政处罚法》 art. 44 and
《行政复议法》/《行政诉讼法》 require a decision to tell the party how and within what period to seek a
remedy: a 决定书 whose remedy text drops a channel or its period would tell the subject less than the law
gives it. Pure Python (no Django).

The check is textual and deliberately simple: the text is cut into clauses at `。`, `；` and `或者`; a channel
is stated when one clause holds its act, and (if it has a period) that same clause holds the period written
in Arabic or Chinese numerals (`60日`, `六十日`, `六十天`; `6个月`, `六个月`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from xinyong.core.errors import DomainError

INCOMPLETE = "list_entry.remedy_incomplete"
PERIOD_RE = re.compile(r"^([1-9][0-9]{0,2})(日|个月)$")
_CLAUSE_SPLIT = re.compile(r"[。；;]|或者")
_DIGITS_CN = "零一二三四五六七八九"


@dataclass(frozen=True)
class RemedyChannel:
    """One remedy channel: `action` as the letter must say it, `period` (`60日`, `6个月` or empty), the
    event the period runs from (`starts`, e.g. 知道该决定之日) and the legal source (`basis`)."""

    action: str
    period: str
    starts: str
    basis: str

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> RemedyChannel:
        return cls(data["action"], data.get("period") or "", data.get("starts") or "", data["basis"])

    def as_dict(self) -> dict[str, str]:
        return {"action": self.action, "period": self.period, "starts": self.starts, "basis": self.basis}

    @property
    def period_cn(self) -> str:
        """The period in Chinese numerals, as letters write it (60日 → 六十日, 6个月 → 六个月)."""
        match = PERIOD_RE.match(self.period)
        return f"{chinese_number(int(match[1]))}{match[2]}" if match else ""

    def period_spellings(self) -> tuple[str, ...]:
        """Every way a letter may write the period: Arabic or Chinese numerals; 日 or 天 for days."""
        match = PERIOD_RE.match(self.period)
        if match is None:
            return ()
        numbers = (match[1], chinese_number(int(match[1])))
        units = ("日", "天") if match[2] == "日" else ("个月",)
        return tuple(f"{n}{u}" for n in numbers for u in units)


def chinese_number(n: int) -> str:
    """1–999 in Chinese numerals as periods are written: 6 → 六, 10 → 十, 15 → 十五, 60 → 六十,
    180 → 一百八十."""
    if not 0 < n < 1000:
        raise ValueError(f"period out of range: {n}")
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    text = f"{_DIGITS_CN[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS_CN[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (_DIGITS_CN[ones] if ones else "")


def channels_of(data: Iterable[Mapping[str, Any]]) -> tuple[RemedyChannel, ...]:
    """The channels of a list type as stored (`ListType.remedy_channels`, a JSON list)."""
    return tuple(RemedyChannel.of(item) for item in data)


def remedy_default_text(channels: Iterable[RemedyChannel]) -> str:
    """The remedy paragraph generated from the channels, e.g. "对本决定不服的，可以自知道该决定之日起六十日内
    申请行政复议（《中华人民共和国行政复议法》第二十条）；…。" It passes `remedy_missing` by construction."""
    parts = []
    for channel in channels:
        when = ""
        if channel.period:
            start = f"自{channel.starts}起" if channel.starts else "在"
            when = f"{start}{channel.period_cn}内"
        parts.append(f"可以{when}{channel.action}（{channel.basis}）")
    return f"对本决定不服的，{'；'.join(parts)}。" if parts else ""


def remedy_missing(text: str, channels: Iterable[RemedyChannel]) -> list[dict[str, str]]:
    """What a remedy text leaves out: one problem per channel not stated (`channel_missing`) or stated
    without its period (`period_missing`), in the channels' order; empty when the text is complete."""
    clauses = _CLAUSE_SPLIT.split(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    missing = []
    for channel in channels:
        stated = [clause for clause in clauses if channel.action in clause]
        if not stated:
            what, code = f"“{channel.action}”（{channel.basis}）", "channel_missing"
        elif channel.period and not any(s in clause for clause in stated for s in channel.period_spellings()):
            what, code = f"“{channel.action}”的期限（{channel.period_cn}，{channel.basis}）", "period_missing"
        else:
            continue
        missing.append({"field": "remedy", "code": code, "message": f"救济途径未载明{what}"})
    return missing


def remedy_check(text: str, channels: Iterable[RemedyChannel]) -> None:
    """Refuse (400 `list_entry.remedy_incomplete`) a remedy text that drops a channel or a channel's period;
    the message names everything missing, `errors` has one item per gap."""
    missing = remedy_missing(text, channels)
    if missing:
        gaps = "；".join(item["message"].removeprefix("救济途径未载明") for item in missing)
        raise DomainError(INCOMPLETE, f"决定书载明的救济途径不完整，未载明：{gaps}", errors=missing)
