"""Content-Security-Policy and the other browser-facing security headers (issue 15 "Safety": CSP without
inline scripts, HSTS when served over TLS).

Every page outside /api/ — the portal, the account pages, the back office (Django's admin) — gets `PAGES`:
only the platform's own scripts, styles and images (and `data:` ones), forms that post only to the platform,
no framing, no <base>, no plugins. Our templates hold no inline script, `<style>` block or `style="…"`
attribute (tests/test_csp.py checks the sources; the browser tests check the pages). Django 5.2's admin runs
under the same policy: its scripts are files, its only `<style>` block (change_list.html) is rendered only for
a model admin with neither top nor bottom actions, which no admin of ours is, and its scripts set styles
through the CSSOM, which CSP does not govern.

`form-action`: the OpenID Connect sign-in starts with a link (accounts/_oidc_button.html), not a form, so no
form submission navigates to the provider. A form can still end there through redirects (the password form
with `next=/accounts/oidc/authenticate/`), and Chromium checks form-action on every redirect of a form
submission, so when OpenID Connect is configured the origin of the provider's authorization endpoint is
allowed too (the configured endpoint, else the issuer's origin: the policy is built without network access).

The API's JSON answers need no policy. Its one HTML page, the Swagger UI at /api/v1/docs (django-ninja's own
static files: its settings are a JSON data block, its scripts files, its styles set through the CSSOM) gets
the same policy and draws, opens an operation and its "Try it out" form without a violation
(portal/tests/test_csp_browser.py).

`Referrer-Policy: same-origin` comes from Django's SecurityMiddleware (SECURE_REFERRER_POLICY, its default),
HSTS from the same middleware when XINYONG_TLS=1 (config/tls.py); `Permissions-Policy` turns off the powerful
features no page of ours uses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

API_PREFIX = "/api/"
API_DOCS_PATH = "/api/v1/docs"

PAGES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'none'",),
    "object-src": ("'none'",),
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def provider_origin() -> str:
    """The origin of the OpenID Connect provider's authorization endpoint, or "" when OIDC is off."""
    if not getattr(settings, "XINYONG_OIDC_ENABLED", False):
        return ""
    endpoint = getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "") or getattr(
        settings, "XINYONG_OIDC_ISSUER", ""
    )
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def header_value(policy: dict[str, tuple[str, ...]], *, form_origin: str = "") -> str:
    """The header text of a policy (directives in their given order)."""
    directives = dict(policy)
    if form_origin:
        directives["form-action"] = (*directives["form-action"], form_origin)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def policy_for(path: str) -> dict[str, tuple[str, ...]] | None:
    """The policy a path's answers carry: None for the API's JSON."""
    if path.startswith(API_DOCS_PATH):
        return PAGES
    if path.startswith(API_PREFIX):
        return None
    return PAGES


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every answer outside the API's JSON (a view that
    sets its own policy keeps it). Sits right after Django's SecurityMiddleware, so that error pages, the
    rate-limit pages and static files carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = policy_for(request.path_info)
        if policy is not None:
            if "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = header_value(policy, form_origin=provider_origin())
            response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
