from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLResolver, include, path, re_path
from django.urls.resolvers import RoutePattern
from django.views import defaults

from xinyong.accounts import urls as accounts_urls
from xinyong.accounts.login import LockoutAdminAuthenticationForm
from xinyong.config.api import api
from xinyong.core.api import problem, refused_request
from xinyong.core.middleware import API_PREFIX

admin.site.site_header = "信用 · 公共信用信息服务平台 管理后台"
admin.site.site_title = "信用管理后台"
admin.site.index_title = "后台管理"
admin.site.login_form = LockoutAdminAuthenticationForm  # says when a login is locked out (issue 12)


def _api_not_found(request, rest=""):
    return problem(request, 404, "not_found", "接口不存在")


def bad_request(request, exception):
    """Django's 400 (a body above its limits read outside a view, a bad Host header …): a problem for the API,
    Django's own page elsewhere."""
    if request.path_info.startswith(API_PREFIX):
        return refused_request(request, exception)
    return defaults.bad_request(request, exception)


handler400 = bad_request

# The account pages (accounts/urls.py) under their one namespace `accounts`, so every `accounts:…` name
# reverses as before: the officers' pages at their Chinese paths only, the subjects' pages (sign-in, its code
# step, sign-out, registration, /me/acting/) also under /en/ as the portal is (issue 15), reversed under the
# active language. Built here rather than with include(), which refuses a language prefix inside an included
# list; the prefix is honoured all the same, since LocaleMiddleware reads the language from the path through
# the portal's i18n_patterns below (a path without a prefix is Chinese).
accounts = URLResolver(
    RoutePattern(""),
    [
        *accounts_urls.officer_urlpatterns,
        *i18n_patterns(*accounts_urls.subject_urlpatterns, prefix_default_language=False),
    ],
    app_name=accounts_urls.app_name,
    namespace=accounts_urls.app_name,
)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", _api_not_found),
    path(
        "accounts/oidc/", include("xinyong.portal.oidc.views")
    ),  # issue 14: subjects' OpenID Connect sign-in
    path("console/", include("xinyong.console.urls")),  # issue 16: the officers' console
    accounts,
]
# The portal in Chinese at its paths and in English under /en/ (issue 15; portal/templatetags/portal_i18n.py):
# a path without a prefix is always Chinese, whatever the browser's Accept-Language or cookies say.
urlpatterns += i18n_patterns(path("", include("xinyong.portal.urls")), prefix_default_language=False)
