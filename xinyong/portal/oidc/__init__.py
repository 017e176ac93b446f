"""Subjects sign in through OpenID Connect (统一身份认证, issue 14, docs/adr/0033): the matching rule
(`match`), the authentication backend (`backend`) and the two pages under /accounts/oidc/ (`views`).
Settings: xinyong/accounts/oidc/__init__.py; accounts and audit: xinyong/accounts/oidc/signin.py."""
