"""The back office's admin site (issue 14): only a staff user whose session passed the second factor gets in
(django-otp's `is_verified()`; superusers too), so a password alone never opens it. `/admin/login/` is the
platform's one login page (`/accounts/login/`, with lock-out and second factor), and `/admin/logout/` the
audited logout. Installed as the default site by `OfficerAdminConfig` (settings INSTALLED_APPS), so every
`admin.site.register` of the apps lands here."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.shortcuts import render


class OfficerAdminSite(admin.AdminSite):
    def has_permission(self, request):
        verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and bool(verified and verified())

    def login(self, request, extra_context=None):
        from xinyong.accounts.sessions import login_url, safe_next

        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            return render(request, "accounts/admin_refused.html", status=403)
        wanted = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME)) or "/admin/"
        return HttpResponseRedirect(login_url(wanted))

    def password_change(self, request, extra_context=None):
        """Django's own page (validators of settings, Chinese errors); a change is audited."""
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            from django.db import transaction
            from django.utils import timezone

            from xinyong.accounts.actors import request_actor
            from xinyong.audit.services import audit_append

            with transaction.atomic():
                audit_append(
                    actor=request_actor(request),
                    action="account.password_set",
                    target_type="user",
                    target_id=request.user.pk,
                    now=timezone.now(),
                    payload={"via": "admin_password_change"},
                )
        return response

    def logout(self, request, extra_context=None):
        from xinyong.accounts.signin import logout_page

        return logout_page(request)


class OfficerAdminConfig(AdminConfig):
    default_site = "xinyong.accounts.adminsite.OfficerAdminSite"

    def ready(self):
        """Hide django-otp's own device pages: they show an authenticator's key and change devices without an
        audit event; people manage their devices at /accounts/mfa/."""
        super().ready()
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        site = admin.site
        for model in (TOTPDevice, StaticDevice):
            if site.is_registered(model):
                site.unregister(model)
