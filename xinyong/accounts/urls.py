"""The account pages (issue 14): sign-in, second factor, set-password links, OpenID Connect, registration
(`accounts/…`) and the signed-in subject's or agent's own pages (`me/…`). Each module owns its paths."""

from django.urls import path

from xinyong.accounts.selfservice import acting_page

app_name = "accounts"
urlpatterns: list = [
    path("me/acting/", acting_page, name="acting"),
]
