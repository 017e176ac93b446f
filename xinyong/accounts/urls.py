"""The account pages (issue 14): sign-in, second factor, set-password links, OpenID Connect, registration
(`accounts/…`) and the signed-in subject's or agent's own pages (`me/…`). Each module owns its paths."""

from django.urls import path  # noqa: F401 - the modules below add their paths

app_name = "accounts"
urlpatterns: list = []
