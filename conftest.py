"""Test set-up shared by every app. The database comes from XINYONG_DATABASE_URL (SQLite by default)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    """Each test's database is rolled back under the per-process calendar cache: start and end clean."""
    from xinyong.core import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture(autouse=True)
def _audit_anchors_of_this_test(settings, tmp_path):
    """Each test's audit chain is its own: checkpoints that a worker (or another test) signed under
    XINYONG_HOME must not be compared with it (ADR 0019)."""
    settings.XINYONG_AUDIT_ANCHOR_FILE = tmp_path / "audit_anchors.jsonl"


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
