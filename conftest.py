"""Test set-up shared by every app. The database comes from XINYONG_DATABASE_URL (SQLite by default)."""
