"""The fixed words other apps hand the portal in Chinese (subject kinds and statuses, code names, polarities,
the report views), marked here so that `makemessages` keeps their English in the portal's catalog (issue 15,
the English pages). Templates translate them with the `label` filter (templatetags/portal_i18n.py); data
values (names, catalog categories and fields, units) are never passed through it and stay as stored."""

from django.utils.translation import gettext_noop

LABELS = (
    # subjects.models.SubjectKind, SubjectStatus
    gettext_noop("企业"),
    gettext_noop("个体工商户"),
    gettext_noop("农民专业合作社"),
    gettext_noop("社会组织"),
    gettext_noop("事业单位"),
    gettext_noop("机关"),
    gettext_noop("正常"),
    gettext_noop("已合并（重复主体）"),
    # reports.content CODE_LABELS
    gettext_noop("统一社会信用代码"),
    gettext_noop("工商注册号"),
    # records.models.RecordStatus (a shown record)
    gettext_noop("公示中"),
    # reports.content NOT_HELD_TEXT
    gettext_noop(
        "本平台未归集刑事犯罪记录（公共信用信息目录不含此类信息），本报告不证明该主体有无此类记录；"
        "如需证明，请向有权机关申请。"
    ),
    # catalog.vocabulary SEVERITIES
    gettext_noop("轻微"),
    gettext_noop("一般"),
    gettext_noop("严重"),
    # catalog.vocabulary POLARITIES
    gettext_noop("正面"),
    gettext_noop("中性"),
    gettext_noop("负面"),
)
