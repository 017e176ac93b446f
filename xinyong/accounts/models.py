"""Units (单位), their names, groups, users with roles, and per-unit API credentials."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from xinyong.accounts.roles import ROLE_CHOICES


class UnitType(models.TextChoices):
    MUNICIPAL_DEPARTMENT = "municipal_department", "市级部门"
    DISTRICT_GOVERNMENT = "district_government", "区政府"
    COURT = "court", "法院"
    PROCURATORATE = "procuratorate", "检察院"
    CENTRAL_OFFICE = "central_office", "中央驻京单位"
    PARTY_BODY = "party_body", "党委部门"
    MASS_ORGANISATION = "mass_organisation", "群团组织"
    CREDIT_OFFICE = "credit_office", "信用办"
    INSTITUTION = "institution", "机构"
    OTHER = "other", "其他"


class Unit(models.Model):
    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    full_name = models.CharField("全称", max_length=200, blank=True)
    type = models.CharField("类型", max_length=32, choices=UnitType.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    roles = models.JSONField("职能", default=list, blank=True)
    active = models.BooleanField("启用", default=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="承继单位",
        help_text="机构改革中撤并后承接其职责的单位",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name


class UnitName(models.Model):
    """Every name a unit is known by (canonical name included), for normalising plan and file text."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField("名称", max_length=200, unique=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"

    def __str__(self) -> str:
        return self.name


class UnitNamePeriod(models.Model):
    """名称沿革: the name (short and full) a unit bore from `valid_from` through `valid_to` (inclusive; empty:
    open), so a document dated D names the unit as it was named on D (accounts/data/units.yaml `names`)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="name_periods")
    name = models.CharField("简称", max_length=100)
    full_name = models.CharField("全称", max_length=200)
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        ordering = ["unit", "id"]  # file order (oldest first); NULL dates sort differently per database
        verbose_name = "单位名称沿革"
        verbose_name_plural = "单位名称沿革"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_name_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class UnitGroup(models.Model):
    """A name that stands for several units (各区政府) or an open set resolved at run time (各有关部门)."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    open_membership = models.BooleanField("开放成员", default=False)
    member_types = models.JSONField("成员单位类型", default=list, blank=True)
    members = models.ManyToManyField(Unit, blank=True, related_name="groups")

    class Meta:
        verbose_name = "单位组"
        verbose_name_plural = "单位组"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: an officer (工作人员: `unit` and `roles`), a subject's account holder
    (`SubjectAccount`), or an agent (代理人: `Agency` rows). Issue 14: people, not units, act."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    roles = models.JSONField("角色", default=list, blank=True)
    full_name = models.CharField("姓名", max_length=50, blank=True)
    deactivated_at = models.DateTimeField(
        "停用时间", null=True, blank=True, help_text="停用即吊销其全部令牌并结束其会话"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"


class ApiToken(models.Model):
    """An API credential of a unit (officers, institutions) or of a user (a subject's own account).
    Only a SHA-256 of the secret is kept; the secret is shown once."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tokens", null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="tokens", null=True, blank=True)
    role = models.CharField("角色", max_length=32, choices=ROLE_CHOICES)
    name = models.CharField("用途", max_length=100, blank=True)
    officer = models.CharField(
        "经办人",
        max_length=50,
        blank=True,
        help_text="使用该令牌的工作人员姓名；四眼原则比较经办人，同一单位未登记经办人的令牌视为同一人",
    )
    prefix = models.CharField("前缀", max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间")
    created_by = models.CharField("创建者", max_length=80)
    expires_at = models.DateTimeField("失效时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="token_expiry_after_creation"
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(user__isnull=False), name="token_has_owner"
            ),
        ]

    def __str__(self) -> str:
        owner = self.unit.name if self.unit_id else f"user {self.user_id}"
        return f"{self.prefix}… ({owner}, {self.role})"


class VerificationMethod(models.TextChoices):
    COUNTER = "counter", "窗口核验（证照材料）"
    OIDC = "oidc", "统一身份认证（OpenID Connect）"
    COMMAND = "command", "命令行（运维人员）"


class SubjectAccount(models.Model):
    """A user who is a credit subject (a person, or an enterprise's account): sees everything about itself.
    The link is made only after identity verification (实名核验): at the counter by an officer, or by the
    verified identifier an OpenID Connect provider asserts."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="subject_account")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="accounts")
    verified_by = models.CharField("核验人", max_length=80)
    verified_at = models.DateTimeField("核验时间")
    method = models.CharField(
        "核验方式", max_length=16, choices=VerificationMethod.choices, default=VerificationMethod.COUNTER
    )

    class Meta:
        verbose_name = "主体账户"
        verbose_name_plural = "主体账户"

    def __str__(self) -> str:
        return f"{self.user} → {self.subject_id}"


class OidcIdentity(models.Model):
    """An identity at an OpenID Connect provider (issuer + `sub`) bound to the user it signed in as."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="oidc_identities")
    issuer = models.CharField("身份提供方", max_length=200)
    sub = models.CharField("提供方用户标识", max_length=255)
    linked_at = models.DateTimeField("绑定时间")
    last_login_at = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        verbose_name = "统一身份认证绑定"
        verbose_name_plural = "统一身份认证绑定"
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"], name="oidc_identity_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.sub}"


class AgencyScope(models.TextChoices):
    """What a power of attorney (授权委托书) may cover."""

    OBJECTION = "objection", "异议申诉"
    REPAIR = "repair", "信用修复"
    REPORT = "report", "信用报告"
    QUERY_LOG = "query_log", "查询记录"
    CONSENT = "consent", "查询授权"


class ApplicationKind(models.TextChoices):
    ENTERPRISE = "enterprise", "法人账户"
    PERSON = "person", "个人账户"
    AGENT = "agent", "代理人"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "待核验"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "未通过"


class AccountApplication(models.Model):
    """A registration with documents (线下窗口核验) for standalone deployments: the account stays without a
    subject until an officer verifies the documents. A person's resident ID is kept only as the subject's
    keyed hash and a masked form, never in clear."""

    kind = models.CharField("类型", max_length=16, choices=ApplicationKind.choices)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_applications")
    subject_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    person_hash = models.CharField("身份证号摘要", max_length=64, blank=True)
    person_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True)
    name = models.CharField("名称或姓名", max_length=200)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    scope = models.JSONField("委托事项", default=list, blank=True)
    agency_valid_to = models.DateField("委托截止日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    query_code = models.CharField("查询码", max_length=32, unique=True)
    submitted_at = models.DateTimeField("提交时间")
    decided_by = models.CharField("核验人", max_length=80, blank=True)
    decided_at = models.DateTimeField("核验时间", null=True, blank=True)
    reason = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "实名注册申请"
        verbose_name_plural = "实名注册申请"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class AccountDocument(models.Model):
    """A document filed with an application (营业执照、身份证件、授权委托书), kept in the upload directory."""

    application = models.ForeignKey(AccountApplication, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("材料类型", max_length=32)
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=100, unique=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.original_name


class Agency(models.Model):
    """A power of attorney (授权委托): `agent` acts for `subject` in `scope` from `valid_from` through
    `valid_to` (inclusive, Beijing dates); refused outside that window or once revoked."""

    agent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="agencies")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="agencies")
    scope = models.JSONField("委托事项", default=list)
    valid_from = models.DateField("委托起始日期")
    valid_to = models.DateField("委托截止日期")
    application = models.ForeignKey(
        AccountApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="agencies"
    )
    verified_by = models.CharField("核验人", max_length=80)
    verified_at = models.DateTimeField("核验时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.CharField("撤销人", max_length=80, blank=True)

    class Meta:
        ordering = ["agent", "-valid_to"]
        verbose_name = "授权委托"
        verbose_name_plural = "授权委托"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="agency_window_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.subject_id}"
