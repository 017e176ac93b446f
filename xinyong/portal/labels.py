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
    gettext_noop("自然人"),
    # remedies: ObjectionState, RepairState, the machines' actions (services/machine.py), Grounds, TargetKind
    gettext_noop("已提交"),
    gettext_noop("不予受理"),
    gettext_noop("提供单位核实中"),
    gettext_noop("已更正"),
    gettext_noop("维持原信息"),
    gettext_noop("无法核实（保留异议标注）"),
    gettext_noop("已书面答复"),
    gettext_noop("提交异议"),
    gettext_noop("受理"),
    gettext_noop("登记已更正"),
    gettext_noop("登记维持原信息"),
    gettext_noop("登记无法核实"),
    gettext_noop("书面答复"),
    gettext_noop("已受理"),
    gettext_noop("初审通过，待认定单位决定"),
    gettext_noop("准予修复"),
    gettext_noop("不予修复"),
    gettext_noop("提交修复申请"),
    gettext_noop("初审通过"),
    gettext_noop("重新决定"),
    gettext_noop("信息有误"),
    gettext_noop("信息遗漏"),
    gettext_noop("信息重复"),
    gettext_noop("不应公示"),
    gettext_noop("超过公示期限"),
    gettext_noop("认定或提供单位错误"),
    gettext_noop("其他"),
    gettext_noop("信用信息"),
    gettext_noop("名单条目"),
    gettext_noop("公示期限"),
    gettext_noop("信用修复结果"),
    # records.models.RecordStatus (the self-service forms' record choices)
    gettext_noop("不予公示"),
    gettext_noop("已撤回"),
    gettext_noop("公示期满"),
    gettext_noop("异议处理中"),
    gettext_noop("已修复"),
    gettext_noop("已被新版本取代"),
    gettext_noop("已删除"),
    # tipoffs: TipoffState, RewardDecision, selectors.ACTION_LABELS
    gettext_noop("调查核实中"),
    gettext_noop("举报属实"),
    gettext_noop("举报不属实"),
    gettext_noop("已办结"),
    gettext_noop("未作出奖励决定"),
    gettext_noop("给予奖励"),
    gettext_noop("不予奖励"),
    gettext_noop("提交举报"),
    gettext_noop("改派"),
    gettext_noop("开始调查核实"),
    gettext_noop("认定举报属实"),
    gettext_noop("认定举报不属实"),
    gettext_noop("作出奖励决定"),
    gettext_noop("办结"),
    # accounts: ApplicationStatus, registrationreads (steps, NEXT_STEP), AgencyScope
    gettext_noop("待核验"),
    gettext_noop("已核验"),
    gettext_noop("未通过"),
    gettext_noop("提交实名注册申请"),
    gettext_noop("核验通过"),
    gettext_noop("不予通过"),
    gettext_noop("请携带所提交材料的原件到信用办窗口核验；核验通过后即可使用账户办理业务"),
    gettext_noop("核验通过，账户已开通：请登录后办理业务"),
    gettext_noop("异议申诉"),
    gettext_noop("信用修复"),
    gettext_noop("信用报告"),
    gettext_noop("查询记录"),
    gettext_noop("查询授权"),
    # cases.models.CaseKind
    gettext_noop("守信"),
    gettext_noop("失信"),
    # reports.content KINDS, KIND_SUBTITLES
    gettext_noop("公共信用信息报告"),
    gettext_noop("专项信用报告"),
    gettext_noop("（全量版）"),
    gettext_noop("（行政处罚、行政强制、严重失信名单及刑事犯罪记录情况）"),
)
