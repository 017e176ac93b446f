"""A real OpenID Connect provider for the account tests (issue 14): a minimal Django project on
django-oauth-toolkit with OIDC on, run in a second process by tests/oidc.py. Its own SQLite file and RSA key
live in OIDC_PROVIDER_HOME; it never reads the platform's settings or database. Users carry the claims the
platform matches on (`uscc`, `uscc_verified`, `id_card`, …) in a profile; `provider_setup` makes users and a
confidential client."""
