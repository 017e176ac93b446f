"""Audited back-office edits (issue 14: every change to an account is an audit event).

`AuditedModelAdmin` writes one audit event per save or delete made through the admin, in the same
transaction, naming the fields that changed (values of secret fields are never written). Actions that have a
service (issuing a token, deactivating a person, verifying an application) call the service instead, which
audits itself."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from xinyong.accounts.actors import request_actor
from xinyong.audit.services import audit_append
from xinyong.core.timeutil import now

SECRET_FIELDS = frozenset({"password", "secret_hash", "key"})


class AuditedModelAdmin(admin.ModelAdmin):
    audit_target = ""  # the audit trail's target type; the model name when empty

    def _target(self, obj) -> str:
        return self.audit_target or obj._meta.model_name

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            fields = sorted(form.changed_data) if form is not None else []
            audit_append(
                actor=request_actor(request),
                action=f"{self._target(obj)}.{'change' if change else 'add'}",
                target_type=self._target(obj),
                target_id=obj.pk,
                now=now(),
                payload={"fields": fields, "secret_fields_changed": sorted(SECRET_FIELDS & set(fields))},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            pk = obj.pk
            super().delete_model(request, obj)
            audit_append(
                actor=request_actor(request),
                action=f"{self._target(obj)}.delete",
                target_type=self._target(obj),
                target_id=pk,
                now=now(),
                payload={"repr": str(obj)[:200]},
            )
