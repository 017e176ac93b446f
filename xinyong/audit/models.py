"""Append-only, hash-chained audit events (docs/domain.md Audit, principle 6).

The database itself refuses UPDATE and DELETE on `audit_event` (triggers in migration 0002). Each event
carries `seq` (1, 2, 3, … without gaps), the hash of the previous event and its own hash over its content,
so a changed, deleted or re-ordered event breaks the chain. `AuditHead` (one row) holds the last seq and
hash: appends lock it, which serialises writers on PostgreSQL, and it lets the verifier see a truncated tail.
"""

from django.db import models


class AuditEvent(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间")
    actor = models.CharField("操作者", max_length=80)
    unit_code = models.CharField("单位", max_length=64, blank=True)
    action = models.CharField("动作", max_length=80)
    target_type = models.CharField("对象类型", max_length=64)
    target_id = models.CharField("对象", max_length=128, blank=True)
    reason = models.TextField("事由", blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    payload = models.JSONField("内容", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    # not unique, not indexed: nothing looks an event up by its hash (the verifier walks seq), and an index of
    # random keys had every append write a random page, with splits (migration 0003)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "audit_event"
        ordering = ["seq"]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"


class AuditHead(models.Model):
    """The single row holding the chain's tip (id is always 1)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "audit_head"

    def __str__(self) -> str:
        return f"tip #{self.seq}"
