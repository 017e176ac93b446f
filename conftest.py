"""Test set-up shared by every app. The database comes from XINYONG_DATABASE_URL (SQLite by default)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    """Each test's database is rolled back under the per-process calendar cache: start and end clean."""
    from xinyong.core import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests hash passwords with a fast hasher (each PBKDF2 hash costs ~0.5 s); production keeps Django's
    default hashers (settings.py)."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _rate_limits_off():
    """Existing tests make many requests from one address: rate limits are off in tests (no counter write
    per request); core/tests/test_ratelimit.py turns them on with the `settings` fixture."""
    from django.conf import settings

    settings.XINYONG_RATE_LIMITS = {name: "" for name in settings.XINYONG_RATE_LIMITS}
    yield
