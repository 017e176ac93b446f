"""Fixtures of the intake tests: the reference data and officer of the records tests."""

import pytest

from tests.support.records import officer, reference  # noqa: F401


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    """Uploaded files wait under the test's own directory (jobs.upload_root, issue 18)."""
    settings.XINYONG_UPLOAD_DIR = tmp_path / "uploads"
