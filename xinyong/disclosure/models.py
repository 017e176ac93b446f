"""What is disclosed about a subject and on what basis: the subject's consents (查询授权) for a unit to read
its non-public data. The reads themselves are logged as audit events (disclosure/querylog.py)."""

from django.db import models


class Consent(models.Model):
    """A subject's authorisation (信用信息查询授权) for a unit to read its non-public data for a purpose.

    Granted by the subject itself, or recorded by an officer from a written authorisation (`evidence`);
    valid until a date; revocable. Every read that relies on it names it in the query log."""

    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="consents")
    grantee = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField("用途", max_length=200)
    evidence = models.CharField("授权凭证", max_length=200, blank=True)
    granted_at = models.DateTimeField("授权时间")
    valid_until = models.DateField("有效期至")
    recorded_by = models.CharField("登记人", max_length=80)
    revoked_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "查询授权"
        verbose_name_plural = "查询授权"
        indexes = [models.Index(fields=["subject", "grantee"], name="consent_subject_grantee_idx")]

    def __str__(self) -> str:
        return f"{self.subject_id} → {self.grantee_id}（{self.purpose}）"
