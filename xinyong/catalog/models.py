"""The catalog (公共信用信息目录) and the rules table (规则表) as loaded from ``data/*.yaml``.

Written only by ``services.catalog_load`` / ``services.rules_load``; nothing here is ever deleted: a category
or field dropped from the file is deactivated, a rule row stays (old decisions keep the rule they were
decided under, docs/domain.md principle 3).
"""

from django.db import models
from django.db.models import Q

from xinyong.catalog.vocabulary import FIELD_TYPES, POLARITIES, REQUIREMENTS, TIERS


def _choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return list(vocabulary.items())


def _one_of(field: str, vocabulary: dict[str, str], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": list(vocabulary)}), name=name)


class CatalogVersion(models.Model):
    """One loaded version of catalog.yaml, identified by its version string and the SHA-256 of the file."""

    version = models.CharField("版本", max_length=32, unique=True)
    effective_from = models.DateField("生效日期")
    loaded_at = models.DateTimeField("载入时间")
    sha256 = models.CharField("文件 SHA-256", max_length=64)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = "目录版本"
        verbose_name_plural = "目录版本"

    def __str__(self) -> str:
        return f"{self.version}（{self.effective_from:%Y-%m-%d} 起）"


class Category(models.Model):
    """A category of credit information (信息类别): who it concerns, who provides it, how it is published."""

    code = models.CharField("代码", max_length=16, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    version = models.ForeignKey(
        CatalogVersion, on_delete=models.PROTECT, related_name="categories", verbose_name="最近变更于版本"
    )
    subject_kinds = models.JSONField("主体类型", default=list)
    polarity = models.CharField("信息性质", max_length=16, choices=_choices(POLARITIES))
    severity_tiers = models.JSONField("严重程度", default=list, blank=True)
    shuanggongshi = models.BooleanField("双公示", default=False)
    deadline_working_days = models.PositiveSmallIntegerField("公示时限（工作日）", null=True, blank=True)
    publication_rule = models.CharField("公开规则", max_length=32)
    providers = models.ManyToManyField(
        "accounts.Unit", blank=True, related_name="catalog_categories", verbose_name="数据提供单位"
    )
    providers_open = models.BooleanField("所有报送单位均可提供", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "信息类别"
        verbose_name_plural = "信息类别"
        constraints = [
            _one_of("polarity", POLARITIES, "catalog_category_polarity_valid"),
            models.CheckConstraint(
                condition=Q(deadline_working_days__isnull=True) | Q(deadline_working_days__gt=0),
                name="catalog_category_deadline_positive",
            ),
            models.CheckConstraint(
                condition=Q(shuanggongshi=False) | Q(deadline_working_days__isnull=False),
                name="catalog_category_shuanggongshi_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CategoryField(models.Model):
    """A field of a category (字段) with its type, requirement and disclosure tier (公开层级)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="fields", verbose_name="类别"
    )
    code = models.CharField("代码", max_length=64)
    name = models.CharField("名称", max_length=100)
    type = models.CharField("类型", max_length=16, choices=_choices(FIELD_TYPES))
    required = models.CharField("必填", max_length=16, choices=_choices(REQUIREMENTS))
    rule = models.CharField("条件规则", max_length=64, blank=True)
    options = models.JSONField("选项", default=dict, blank=True)
    max_length = models.PositiveIntegerField("最大长度", null=True, blank=True)
    tier = models.CharField("公开层级", max_length=16, choices=_choices(TIERS))
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["category", "order"]
        verbose_name = "类别字段"
        verbose_name_plural = "类别字段"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="catalog_field_code_unique_per_category"
            ),
            _one_of("type", FIELD_TYPES, "catalog_field_type_valid"),
            _one_of("required", REQUIREMENTS, "catalog_field_required_valid"),
            _one_of("tier", TIERS, "catalog_field_tier_valid"),
            models.CheckConstraint(
                condition=(Q(required="conditional") & ~Q(rule=""))
                | (~Q(required="conditional") & Q(rule="")),
                name="catalog_field_rule_iff_conditional",
            ),
            models.CheckConstraint(
                condition=Q(max_length__isnull=True) | Q(max_length__gt=0),
                name="catalog_field_max_length_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Rule(models.Model):
    """One row of the rules table: the values of `key` from `effective_from` on (until a later row)."""

    key = models.CharField("规则", max_length=64)
    effective_from = models.DateField("生效日期")
    values = models.JSONField("取值")
    source = models.TextField("依据")

    class Meta:
        ordering = ["key", "effective_from"]
        verbose_name = "规则"
        verbose_name_plural = "规则表"
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="catalog_rule_key_effective_from_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}（{self.effective_from:%Y-%m-%d} 起）"
