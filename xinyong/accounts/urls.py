"""The account pages (issue 14): sign-in, second factor, set-password links, OpenID Connect, registration
(`accounts/…`) and the signed-in subject's or agent's own pages (`me/…`). Each module owns its paths.

Two lists under the one namespace `accounts` (config/urls.py mounts them): `subject_urlpatterns`, the pages a
subject or a visitor meets (sign-in, its code step, sign-out, registration, /me/acting/), in Chinese at their
paths and in English under `/en/` like the portal (issue 15); `officer_urlpatterns`, the officer-side pages
(authenticators, recovery codes, set-password links), in Chinese at their paths only."""

from django.urls import path

from xinyong.accounts import mfaviews, registerviews, signin
from xinyong.accounts.selfservice import acting_page

app_name = "accounts"
subject_urlpatterns: list = [
    path("me/acting/", acting_page, name="acting"),
    path("accounts/register/", registerviews.register_start, name="register_start"),
    path("accounts/register/submitted/", registerviews.register_submitted, name="register_submitted"),
    path("accounts/register/<slug:kind>/", registerviews.register_form, name="register_form"),
    *signin.urlpatterns,  # login, code step, logout
]
officer_urlpatterns: list = [*mfaviews.urlpatterns]  # authenticators, recovery codes, set-password links
