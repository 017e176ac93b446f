"""A known world for the government integrity tests (ADR 0037): government bodies of two districts and of the
city, a public institution, an enterprise, and their records — all submitted through the normal intake
(`intake.services.submission_receive`) by the units the catalog names as providers."""

from __future__ import annotations

import datetime as dt

from tests.support.records import cf_row
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.subjects.identifiers import uscc_make

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # Friday 2026-11-20, 10:00 in Beijing
HAIDIAN_BODY = uscc_make("1111010800000001")  # 11 = 机关, 110108 = 海淀区
CHAOYANG_BODY = uscc_make("1111010500000002")  # 110105 = 朝阳区
CITY_BODY = uscc_make("1111000000000003")  # 110000 = 北京市 (city level)
HAIDIAN_INSTITUTION = uscc_make("1211010800000004")  # 12 = 事业单位
COMPANY = uscc_make("9111010800012345")
COURT = uscc_make("1111000000000101")
FINANCE = uscc_make("1111000000000102")


def officer(unit_code: str) -> Actor:
    return Actor(label=f"token:{unit_code}", unit_code=unit_code, roles=frozenset({"data_officer"}))


def receive(unit_code: str, category: str, rows: list[dict], key: str, now: dt.datetime = NOW):
    """Submit `rows` as the unit's data officer through the intake; the submission."""
    source = SubmissionSource(channel="api", idempotency_key=key, body_sha256=key)
    return submission_receive(
        actor=officer(unit_code), unit=Unit.objects.get(code=unit_code),
        category=Category.objects.get(code=category), rows=enumerate(rows), source=source, now=now,
    ).submission  # fmt: skip


def zfsxbzx_row(**overrides) -> dict:
    row = {
        "ZFSXBZX_ZTMC": "北京市海淀区某某局", "ZFSXBZX_TYSHXYDM": HAIDIAN_BODY, "ZFSXBZX_FZR": "李明",
        "ZFSXBZX_AH": "（2026）京0108执1234号", "ZFSXBZX_ZXFY": "北京市海淀区人民法院",
        "ZFSXBZX_ZXYJWH": "（2025）京0108民初567号", "ZFSXBZX_ZCDW": "北京市海淀区人民法院",
        "ZFSXBZX_YW": "支付工程款人民币三百万元", "ZFSXBZX_ZXBD": "300", "ZFSXBZX_LXQK": "全部未履行",
        "ZFSXBZX_SXQX": "有履行能力而拒不履行生效法律文书确定义务", "ZFSXBZX_LARQ": "2026-06-01",
        "ZFSXBZX_FBRQ": "2026-11-05",
    }  # fmt: skip
    return {k: v for k, v in (row | overrides).items() if v is not None}


def zfwy_row(**overrides) -> dict:
    row = {
        "ZFWY_ZTMC": "北京市海淀区某某局", "ZFWY_TYSHXYDM": HAIDIAN_BODY, "ZFWY_SXLX": "招商引资承诺未履行",
        "ZFWY_HTMC": "某产业园区招商引资协议", "ZFWY_XDF": "北京某某科技有限公司", "ZFWY_SJJE": "1200",
        "ZFWY_WYQK": "未按协议兑现约定的房租补贴", "ZFWY_RDYJ": "（2026）京01民终888号民事判决书",
        "ZFWY_RDWSH": "京信用办认〔2026〕1号", "ZFWY_RDRQ": "2026-10-15", "ZFWY_RDJG": "北京市海淀区人民政府",
        "ZFWY_RDJGDM": COURT,
    }  # fmt: skip
    return {k: v for k, v in (row | overrides).items() if v is not None}


def zfcg_row(**overrides) -> dict:
    row = {
        "ZFCG_ZTMC": "北京市海淀区某某中心", "ZFCG_TYSHXYDM": HAIDIAN_INSTITUTION, "ZFCG_XMMC": "办公设备采购项目",
        "ZFCG_SXXW": "拖延支付采购资金", "ZFCG_WFSS": "验收合格后逾期九十日未支付采购资金",
        "ZFCG_CLJD": "责令限期改正，给予警告", "ZFCG_CLWSH": "京财采处〔2026〕5号", "ZFCG_CLRQ": "2026-09-01",
        "ZFCG_CLJG": "北京市财政局", "ZFCG_CLJGDM": FINANCE,
    }  # fmt: skip
    return {k: v for k, v in (row | overrides).items() if v is not None}


def build_world() -> dict[str, object]:
    """The records of the known world (module docstring); the submissions by name."""
    return {
        # 海淀: a serious judgment-defaulter listing in November, a serious broken promise in October
        "zfsxbzx": receive("bj-gaoyuan", "ZFSXBZX", [zfsxbzx_row()], "w-1"),
        "zfwy_haidian": receive("bj-haidian", "ZFWY", [zfwy_row(XY_YZCD="严重")], "w-2"),
        # 海淀's public institution as purchaser (事业单位), general, September
        "zfcg": receive("bj-caizhengju", "ZFCG", [zfcg_row()], "w-3"),
        # 朝阳: a general broken contract in November, and one of 2025 whose window ended on 2026-06-01
        "zfwy_chaoyang": receive(
            "bj-chaoyang",
            "ZFWY",
            [
                zfwy_row(
                    ZFWY_ZTMC="北京市朝阳区某某委",
                    ZFWY_TYSHXYDM=CHAOYANG_BODY,
                    ZFWY_SXLX="合同违约",
                    ZFWY_RDWSH="朝信认〔2026〕3号",
                    ZFWY_RDRQ="2026-11-03",
                ),
            ],
            "w-4",
        ),  # fmt: skip
        "zfwy_old": receive(
            "bj-fagaiwei",
            "ZFWY",
            [
                zfwy_row(
                    ZFWY_ZTMC="北京市朝阳区某某委",
                    ZFWY_TYSHXYDM=CHAOYANG_BODY,
                    ZFWY_RDWSH="京发改认〔2025〕9号",
                    ZFWY_RDRQ="2025-06-01",
                ),
            ],
            "w-5",
        ),  # fmt: skip
        # a city-level body fined (CF, any negative category counts for a 机关), and an enterprise fined
        "cf_city": receive(
            "bj-gongshangju",
            "CF",
            [
                cf_row(
                    CF_XDR_MC="北京市某某局",
                    CF_XDR_SHXYM=CITY_BODY,
                    CF_WSH="京工商罚字〔2026〕第201号",
                    CF_JDRQ="2026-11-10",
                ),
            ],
            "w-6",
        ),  # fmt: skip
        "cf_company": receive(
            "bj-gongshangju", "CF", [cf_row(CF_XDR_SHXYM=COMPANY, CF_JDRQ="2026-11-10")], "w-7"
        ),
    }
