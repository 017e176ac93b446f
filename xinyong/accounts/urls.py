"""The account pages (issue 14): sign-in, second factor, set-password links, OpenID Connect, registration
(`accounts/…`) and the signed-in subject's or agent's own pages (`me/…`). Each module owns its paths."""

from django.urls import path

from xinyong.accounts import registerviews

app_name = "accounts"
urlpatterns: list = [
    path("accounts/register/", registerviews.register_start, name="register_start"),
    path("accounts/register/submitted/", registerviews.register_submitted, name="register_submitted"),
    path("accounts/register/<slug:kind>/", registerviews.register_form, name="register_form"),
]
