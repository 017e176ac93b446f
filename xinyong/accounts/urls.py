"""The account pages (issue 14): sign-in, second factor, set-password links, OpenID Connect, registration
(`accounts/…`) and the signed-in subject's or agent's own pages (`me/…`). Each module owns its paths."""

from django.urls import path

from xinyong.accounts import mfaviews, registerviews, signin
from xinyong.accounts.selfservice import acting_page

app_name = "accounts"
urlpatterns: list = [
    path("me/acting/", acting_page, name="acting"),
    path("accounts/register/", registerviews.register_start, name="register_start"),
    path("accounts/register/submitted/", registerviews.register_submitted, name="register_submitted"),
    path("accounts/register/<slug:kind>/", registerviews.register_form, name="register_form"),
]
urlpatterns += signin.urlpatterns  # login, code step, logout
urlpatterns += mfaviews.urlpatterns  # authenticators, recovery codes, set-password links
