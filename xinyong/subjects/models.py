"""Credit subjects (信用主体), their identifiers, name history and code corrections (docs/domain.md Subject).

Legal entities are keyed by the unified social credit code (GB 32100-2015); persons by the resident
identity number (GB 11643-1999), which is never stored in clear: `person_hash` (keyed HMAC) serves
lookups, `person_cipher` (Fernet) keeps the number recoverable for the few who may see it, and
`person_masked` is what screens show. Every identifier of a subject, the key itself included, has a row
in `SubjectIdentifier`, so one indexed lookup serves every identifier kind.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from xinyong.subjects.identifiers import USCC_PLACEHOLDER


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    FARMER_COOP = "farmer_coop", "农民专业合作社"
    SOCIAL_ORG = "social_org", "社会组织"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"
    GOVERNMENT_BODY = "government_body", "机关"
    NATURAL_PERSON = "natural_person", "自然人"


LEGAL_ENTITY_KINDS = frozenset(k.value for k in SubjectKind if k != SubjectKind.NATURAL_PERSON)


class SubjectStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    MERGED = "merged", "已合并（重复主体）"


class Subject(models.Model):
    """A legal entity or a natural person that credit information is about."""

    kind = models.CharField("主体类型", max_length=24, choices=SubjectKind.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    name = models.CharField("名称 / 姓名", max_length=200)
    person_hash = models.CharField("身份号码索引（HMAC）", max_length=64, null=True, blank=True, unique=True)
    person_cipher = models.TextField("身份号码密文", blank=True, default="")
    person_masked = models.CharField("身份号码（脱敏）", max_length=18, blank=True, default="")
    district = models.CharField("所属区", max_length=64, blank=True, default="", help_text="单位代码")
    industry = models.CharField("行业", max_length=100, blank=True, default="")
    status = models.CharField(
        "状态", max_length=10, choices=SubjectStatus.choices, default=SubjectStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name="合并至",
        db_index=False,  # subject_merged_idx: only merged duplicates are indexed (ADR 0027)
    )
    created_at = models.DateTimeField("登记时间")

    class Meta:
        db_table = "subjects_subject"
        ordering = ["id"]
        verbose_name = "信用主体"
        verbose_name_plural = "信用主体"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in SubjectKind]), name="subject_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=SubjectKind.NATURAL_PERSON)
                | Q(person_hash__isnull=False, uscc__isnull=True),
                name="subject_person_has_hash_no_uscc",
            ),
            models.CheckConstraint(
                condition=Q(kind=SubjectKind.NATURAL_PERSON) | Q(person_hash__isnull=True),
                name="subject_entity_has_no_person_hash",
            ),
            models.CheckConstraint(condition=~Q(uscc=USCC_PLACEHOLDER), name="subject_uscc_not_placeholder"),
            models.CheckConstraint(
                condition=Q(status=SubjectStatus.ACTIVE, merged_into__isnull=True)
                | Q(status=SubjectStatus.MERGED, merged_into__isnull=False),
                name="subject_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="subject_not_merged_into_itself"),
        ]
        indexes = [  # only the rare merged duplicate is indexed: a new subject adds no entry (ADR 0027)
            models.Index(
                fields=["merged_into"], condition=Q(merged_into__isnull=False), name="subject_merged_idx"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == SubjectKind.NATURAL_PERSON:
            return f"自然人 {self.person_masked}"
        return f"{self.name}（{self.uscc or '无统一代码'}）"

    @property
    def is_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON


class IdentifierKind(models.TextChoices):
    USCC = "uscc", "统一社会信用代码"
    REGNO = "regno", "工商注册号"
    ORG_CODE = "org_code", "组织机构代码"
    TAXNO = "taxno", "税务登记号"
    RIC_HASH = "ric_hash", "公民身份号码"


class IdentifierStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    CORRECTED = "corrected", "已更正"


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    APPLIED = "applied", "已更正"
    REJECTED = "rejected", "已驳回"


class CodeCorrection(models.Model):
    """A 重错码更正 ticket (plan task 32): a wrong or duplicate code is redirected to the right subject."""

    wrong_kind = models.CharField("错误代码类型", max_length=10, choices=IdentifierKind.choices)
    wrong_value = models.CharField("错误代码", max_length=64, help_text="公民身份号码只存 HMAC")
    wrong_display = models.CharField("错误代码（显示）", max_length=64)
    from_subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections_from",
        verbose_name="重复主体",
    )
    to_subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="corrections_to", verbose_name="正确主体"
    )
    reason = models.TextField("更正理由")
    evidence = models.TextField("证明材料", blank=True, default="")
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    requested_by = models.CharField("申请人", max_length=80)
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.CharField("审核人", max_length=80, blank=True, default="")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True, default="")

    class Meta:
        db_table = "subjects_code_correction"
        ordering = ["-requested_at", "-id"]
        verbose_name = "重错码更正"
        verbose_name_plural = "重错码更正"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CorrectionStatus]), name="correction_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(wrong_kind__in=[k.value for k in IdentifierKind]), name="correction_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_subject=F("to_subject")), name="correction_distinct_subjects"
            ),
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.SUBMITTED, decided_at__isnull=True)
                | (~Q(status=CorrectionStatus.SUBMITTED) & Q(decided_at__isnull=False) & ~Q(decided_by="")),
                name="correction_decided_fields",
            ),
            models.CheckConstraint(condition=~Q(decided_by=F("requested_by")), name="correction_four_eyes"),
            models.UniqueConstraint(
                fields=["wrong_kind", "wrong_value"],
                condition=Q(status=CorrectionStatus.SUBMITTED),
                name="correction_one_open_per_code",
            ),
        ]

    def __str__(self) -> str:
        return f"更正 #{self.pk} {self.wrong_display} → {self.to_subject_id}（{self.get_status_display()}）"


class SubjectIdentifier(models.Model):
    """One identifier of a subject: its key, the derived organisation code or a legacy alias.

    A corrected identifier stays (history) and points at the right subject through `redirect_to`.
    `value` is the normalised code, or the HMAC for a resident ID; `display` is what may be shown.
    """

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField("类型", max_length=10, choices=IdentifierKind.choices)
    value = models.CharField("值", max_length=64)
    display = models.CharField("显示值", max_length=64)
    status = models.CharField(
        "状态", max_length=10, choices=IdentifierStatus.choices, default=IdentifierStatus.ACTIVE
    )
    redirect_to = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redirected_identifiers",
        verbose_name="更正至",
        db_index=False,  # identifier_redirect_idx: only corrected identifiers are indexed (ADR 0027)
    )
    correction = models.ForeignKey(
        CodeCorrection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="identifiers",
        verbose_name="更正单",
        db_index=False,  # identifier_correction_idx: only corrected identifiers are indexed (ADR 0027)
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        db_table = "subjects_identifier"
        ordering = ["subject_id", "id"]
        verbose_name = "主体标识"
        verbose_name_plural = "主体标识"
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identifier_kind_value_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IdentifierKind]), name="identifier_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=IdentifierStatus.ACTIVE, redirect_to__isnull=True)
                | Q(status=IdentifierStatus.CORRECTED, redirect_to__isnull=False, correction__isnull=False),
                name="identifier_corrected_has_redirect",
            ),
        ]
        indexes = [  # only corrected identifiers are indexed: a new identifier adds no entry (ADR 0027)
            models.Index(
                fields=["redirect_to"], condition=Q(redirect_to__isnull=False), name="identifier_redirect_idx"
            ),
            models.Index(
                fields=["correction"], condition=Q(correction__isnull=False), name="identifier_correction_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display}"


class SubjectName(models.Model):
    """Name history (名称变更): one open row (valid_to NULL) per subject, periods never overlap."""

    # no index of its own: name_valid_from_unique starts with the subject (ADR 0027)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="names", db_index=False)
    name = models.CharField("名称", max_length=200)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    source = models.CharField("来源", max_length=100)
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        db_table = "subjects_name"
        ordering = ["subject_id", "valid_from", "id"]
        verbose_name = "名称历史"
        verbose_name_plural = "名称历史"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="name_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["subject"], condition=Q(valid_to__isnull=True), name="name_one_current_per_subject"
            ),
            models.UniqueConstraint(fields=["subject", "valid_from"], name="name_valid_from_unique"),
        ]
        # Former names by length: where search finds a former name equal to a long query when the query's
        # first gram is common (subjects/search_long.py `_former_exact`, issue 18). Current names (every
        # import's) are not in it. A folded name has its raw name's length (search_index.search_fold).
        indexes = [
            models.Index(
                Length("name"),
                F("name"),
                F("subject"),  # covering: the read never visits the table
                name="name_former_length_idx",
                condition=Q(valid_to__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from} 起）"


class SubjectNameGram(models.Model):
    """Search index of names (一站式查询, docs/adr/0005-chinese-name-search.md).

    One row per (2-, 3- or 4-character substring, subject) over every name the subject has had, carrying
    the best rank that substring earns as a query against the subject's names (1 exact current name,
    2 exact former name, 3 prefix, 4 prefix of a former name, 5 substring, 6 substring of a former name)
    and the length of the name that earns it. The primary key (gram, rank, length, subject) is therefore
    the search order itself: a query of 2–4 characters is one ordered index range, read a page at a time.
    Kept current by `xinyong.subjects.search` in the transaction that writes the names.
    """

    pk = models.CompositePrimaryKey("gram", "rank", "length", "subject")
    gram = models.CharField("名称片段", max_length=4)
    rank = models.SmallIntegerField("匹配等级")
    length = models.SmallIntegerField("名称长度")
    # Derived data (rebuilt by `xinyong search_reindex`), written on the import hot path: no database
    # foreign-key check per row and no index of its own on subject; subjects are never deleted.
    subject = models.ForeignKey(
        Subject,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name="信用主体",
    )

    class Meta:
        db_table = "subjects_name_gram"
        verbose_name = "名称检索片段"
        verbose_name_plural = "名称检索片段"
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=6), name="name_gram_rank_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.gram} → {self.subject_id}（{self.rank}/{self.length}）"


class SubjectNameGramCount(models.Model):
    """How many subjects hold each 4-character gram of the name index (issue 18, docs/adr/0031): the
    statistics the planner of a longer query reads to pick its rarest grams. Written with the index rows
    (`xinyong.subjects.search_index`), in the same transaction; only the plan depends on it, never the
    results."""

    gram = models.CharField("名称片段", max_length=4, primary_key=True)
    subjects = models.IntegerField("主体数")

    class Meta:
        db_table = "subjects_name_gram_count"
        verbose_name = "名称片段频次"
        verbose_name_plural = "名称片段频次"

    def __str__(self) -> str:
        return f"{self.gram}：{self.subjects}"
