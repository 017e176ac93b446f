"""Test set-up shared by every app: the database comes from XINYONG_DATABASE_URL (SQLite by default)."""

import os
import tempfile

os.environ.setdefault("XINYONG_HOME", tempfile.mkdtemp(prefix="xinyong-test-"))
