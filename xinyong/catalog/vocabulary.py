"""The closed vocabularies of the catalog (公共信用信息目录) and the rules table: plain data, no Django.

Every value the YAML files may use for a kind, a type, a tier, a conditional rule or a publication rule is
listed here, so that the loader can refuse anything else and the validator (records app) knows what it has
to implement.
"""

from __future__ import annotations

# docs/domain.md Subject: 企业, 个体工商户, 农民专业合作社, 社会组织, 事业单位, 机关, 自然人.
SUBJECT_KINDS: dict[str, str] = {
    "enterprise": "企业",
    "individual_business": "个体工商户",
    "farmer_coop": "农民专业合作社",
    "social_org": "社会组织",
    "public_institution": "事业单位",
    "government_body": "机关",
    "natural_person": "自然人",
}

POLARITIES: dict[str, str] = {"positive": "正面", "neutral": "中性", "negative": "负面"}
NEGATIVE = "negative"  # the polarity of 失信 categories (the check's summary, catalog/selectors.py)

# Severity tiers of negative information (轻微 / 一般 / 严重), docs/rules.md.
SEVERITIES: dict[str, str] = {"minor": "轻微", "general": "一般", "serious": "严重"}

FIELD_TYPES: dict[str, str] = {
    "string": "字符串",
    "text": "长文本",
    "date": "日期",
    "decimal_wan": "金额（万元）",
    "code_list": "代码表",
    "uscc": "统一社会信用代码",
    "id_number": "身份证件号码",
    "enum": "枚举",
}

# Disclosure tiers, docs/domain.md principle 6: 社会公开 / 政务共享 / 授权查询.
TIERS: dict[str, str] = {"public": "社会公开", "government": "政务共享", "authorised": "授权查询"}

REQUIREMENTS: dict[str, str] = {"mandatory": "必填", "optional": "选填", "conditional": "条件必填"}

# Conditional requirements (条件必填). The records validator implements each id; the loader only checks
# that the field driving the condition exists in the category (the code suffix, when there is one).
CONDITIONAL_RULES: dict[str, tuple[str, str | None]] = {
    "xdr_lb_legal": ("行政相对人类别为“法人及非法人组织”时必填", "_XDR_LB"),
    "xdr_lb_legal_or_business": ("行政相对人类别为“法人及非法人组织”或“个体工商户”时必填", "_XDR_LB"),
    "xdr_lb_natural": ("行政相对人类别为“自然人”时必填", "_XDR_LB"),
    "uscc_placeholder": ("统一社会信用代码为 17 个 0 加 X（个体工商户无代码）时必填", None),
    "fr_zjhm_given": ("填写了法定代表人证件号码时必填", "_FR_ZJHM"),
    "xklb_other": ("许可类别为“06 其他”时必填（备注注明）", "_XKLB"),
    "cflb_fine": ("处罚类别含“罚款”时必填", "_CFLB"),
    "cflb_confiscation": ("处罚类别含“没收违法所得”或“没收非法财物”时必填", "_CFLB"),
    "cflb_licence": ("处罚类别含“暂扣许可证件”或“吊销许可证件”时必填", "_CFLB"),
    "cflb_other": ("处罚类别含“其他”时必填（备注注明）", "_CFLB"),
    "qwgs_publish": ("轻微处罚公示为“1 公示”时必填", "_QWGS"),
    "subject_legal": ("信用主体不是自然人时必填", None),
    "subject_natural": ("信用主体为自然人时必填", None),
}

# Publication rules (公开规则) a category may name. `severity_period` reads the rules table
# (`publication.penalty.<severity>`, the rule in force on the decision date).
PUBLICATION_RULES: dict[str, str] = {
    "while_registered": "主体存续期间公开",
    "while_valid": "决定或证书有效期内公开（有效期至 2099-12-31 为长期）",
    "severity_period": "按严重程度适用决定日有效的公示期限规则（publication.penalty.*）",
    "while_listed": "列入名单期间公开，移出名单即停止公开",
    "latest_result": "公开最新一期结果",
    "subject_choice": "按主体申报时选择的公开范围公开",
}

# Units of rule quantities (rules.yaml).
PERIOD_UNITS: dict[str, str] = {
    "months": "个月",
    "years": "年",
    "working_days": "个工作日",
    "calendar_days": "个自然日",
}

# docs/domain.md principle 7: the catalog may not hold religion, genes, fingerprints, blood type or medical
# data.
SENSITIVE_CJK: tuple[str, ...] = ("宗教", "信仰", "基因", "指纹", "血型", "病史", "病历", "医疗")
SENSITIVE_WORDS: frozenset[str] = frozenset(
    {
        "religion", "religions", "religious",
        "gene", "genes", "genetic", "genome", "dna",
        "fingerprint", "fingerprints", "blood",
        "medical", "illness", "diagnosis",
    }
)  # fmt: skip
