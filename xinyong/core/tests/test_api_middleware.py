"""Browser middleware (sessions, language, login, messages) is passed by for /api/ and kept for the rest."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_api_requests_get_no_session_language_or_login():
    response = Client().get("/api/v1/matters", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "user")
    assert not hasattr(request, "_messages")
    assert request.LANGUAGE_CODE == "zh-hans"
    assert "Content-Language" not in response and not response.cookies


def test_an_api_request_answers_in_chinese_after_an_english_browser_request():
    page = Client().get("/en/reports/verify")  # the portal's English version (issue 15)
    assert (page.status_code, page["Content-Language"]) == (200, "en")
    assert translation.get_language() == "en"  # what LocaleMiddleware leaves on the thread
    missing = Client().get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="en")
    assert (missing.status_code, missing.json()["detail"]) == (404, "接口不存在")
    assert translation.get_language() == "zh-hans"


def test_browser_pages_keep_sessions_and_messages():
    response = Client().get("/accounts/login/")
    request = response.wsgi_request
    assert hasattr(request, "session") and hasattr(request, "_messages")
    assert request.user.is_anonymous
    assert response["Content-Language"] == "zh-hans"
