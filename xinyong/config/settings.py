"""Settings, read from environment variables with safe defaults (healthchecks.io style).

XINYONG_HOME          where the SQLite file, the generated secret key and the data keys live (default ./var)
XINYONG_DATABASE_URL  sqlite:///path or postgresql://user@host:port/db (default: SQLite under XINYONG_HOME)
XINYONG_SECRET_KEY    Django secret key (default: generated once and kept under XINYONG_HOME)
XINYONG_IDENTITY_KEY  key for the resident-ID keyed hash and encryption (default: generated, kept
                      under XINYONG_HOME)
XINYONG_ALLOWED_HOSTS comma-separated (default: localhost,127.0.0.1,[::1])
XINYONG_DEBUG         1 to turn debug on (default off)
XINYONG_PUBLIC_URL    the platform's public base URL, for links in pushes and report QR codes
XINYONG_PLATFORM_NAME the issuing platform's name printed on credit reports
XINYONG_FONT_CACHE    where the report font subset is cached (default: see xinyong/reports/fonts.py)
XINYONG_OIDC_ISSUER … OpenID Connect sign-in of subjects (统一身份认证): see xinyong/accounts/oidc/__init__.py

Rate limits on /api/ (core/ratelimit.py, docs/adr/0020): "QUOTA/SECONDS", "0" or "" turns a class off.
XINYONG_RATE_ANON          anonymous requests per client address (default 300/60)
XINYONG_RATE_LOOKUP        anonymous lookups by a code: progress, report verification (default 30/60)
XINYONG_RATE_TOKEN         requests per API token (default 1200/60)
XINYONG_RATE_FILING        objections and tipoffs filed per source (token or address) (default 10/3600)
XINYONG_RATE_UPLOAD_BYTES  bytes uploaded with those filings per source and day (default 104857600/86400)
XINYONG_RATE_LOGIN         sign-in form submissions per address (default 30/300); the portal's registration,
                           objection and repair forms count in FILING and UPLOAD_BYTES (core/pagelimits.py)
XINYONG_RATE_TRUSTED_PROXIES  comma-separated addresses whose X-Forwarded-For names the client
                           (default 127.0.0.1,::1: the front server that `xinyong up` starts)
XINYONG_API_REFERENCE_MAX_AGE  seconds public reference data may be cached (default 300)
XINYONG_AUDIT_ANCHOR_FILE  signed checkpoints of the audit chain head (default: audit_anchors.jsonl under
                      XINYONG_HOME; ADR 0019)
XINYONG_AUDIT_ANCHOR_KEY   secret the checkpoints are signed with (default: generated, kept under XINYONG_HOME
                      as audit_anchor_key; never in the database)

Sign-in (issue 14, accounts/sessions.py):
XINYONG_SESSION_IDLE_MINUTES  a session ends after this many minutes without a request (default 30)
XINYONG_SESSION_MAX_HOURS     and this many hours after its login, however busy (default 12)

Served over TLS (config/tls.py, issue 12):
XINYONG_TLS=1         the front proxy terminates TLS: Secure session and CSRF cookies, HSTS for one year,
                      X-Forwarded-Proto trusted (workers reachable only through the front proxy)
XINYONG_SECURE_COOKIES 1|0, XINYONG_HSTS_SECONDS n, XINYONG_HSTS_INCLUDE_SUBDOMAINS 1,
XINYONG_HSTS_PRELOAD 1, XINYONG_TRUST_FORWARDED_PROTO 1|0   override one setting each
"""

from __future__ import annotations

import os
from pathlib import Path

from xinyong.accounts.oidc import oidc_settings
from xinyong.config.envdb import database_from_url, ensure_secret
from xinyong.config.tls import tls_settings

BASE_DIR = Path(__file__).resolve().parent.parent
XINYONG_HOME = Path(os.environ.get("XINYONG_HOME", "./var")).resolve()

DEBUG = os.environ.get("XINYONG_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("XINYONG_SECRET_KEY") or ensure_secret(XINYONG_HOME / "secret_key", 50)
IDENTITY_KEY = os.environ.get("XINYONG_IDENTITY_KEY") or ensure_secret(XINYONG_HOME / "identity_key", 64)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("XINYONG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("XINYONG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("XINYONG_DATABASE_URL") or f"sqlite:///{XINYONG_HOME / 'xinyong.sqlite3'}"
    )
}

INSTALLED_APPS = [
    "xinyong.accounts.adminsite.OfficerAdminConfig",  # django.contrib.admin; back office needs the 2nd factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",  # officers' second factor (issue 14, accounts/mfa.py)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "ninja",  # issue 13: /api/v1/docs loads swagger-ui from ninja's own static files, not a CDN
    "xinyong.core",
    "xinyong.audit",
    "xinyong.workdays",
    "xinyong.accounts",
    "xinyong.subjects",
    "xinyong.catalog",
    "xinyong.records",
    "xinyong.intake",
    "xinyong.lists",
    "xinyong.standing",
    "xinyong.disclosure",
    "xinyong.measures",
    "xinyong.pushes",
    "xinyong.commitments",
    "xinyong.remedies",
    "xinyong.reports",
    "xinyong.tipoffs",
    "xinyong.cases",
    "xinyong.oversight",
    "xinyong.metrics",
    "xinyong.evaluation",
    "xinyong.dashboards",
    "xinyong.govintegrity",
    "xinyong.console",
    "xinyong.portal",
    "xinyong.ops",
    "xinyong.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xinyong.core.csp.SecurityHeadersMiddleware",  # CSP, Permissions-Policy (issue 15; core/csp.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinyong.core.middleware.RequestIdMiddleware",
    "xinyong.core.http.ApiGZipMiddleware",  # /api/ conventions: core/http.py, docs/adr/0020
    "xinyong.core.http.ApiConventionsMiddleware",
    "xinyong.core.middleware.RequestSizeMiddleware",
    "xinyong.core.middleware.RejectNulMiddleware",
    "xinyong.accounts.middleware.ApiTokenMiddleware",
    "xinyong.core.ratelimit.RateLimitMiddleware",
    # Django's own, passed by for /api/ (bearer tokens, no session, Chinese only): core/middleware.py
    "xinyong.core.middleware.SessionMiddleware",
    "xinyong.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "xinyong.core.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(); passes /api/ by (no request.user)
    "xinyong.core.middleware.MessageMiddleware",
    "xinyong.accounts.sessions.SessionTimeoutMiddleware",  # idle and absolute timeouts (issue 14)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Lock-out on every password login (accounts/login.py, issue 12).
AUTHENTICATION_BACKENDS = ["xinyong.accounts.login.LockoutModelBackend"]
XINYONG_LOGIN_MAX_FAILURES = int(os.environ.get("XINYONG_LOGIN_MAX_FAILURES", "5"))
XINYONG_LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("XINYONG_LOGIN_MAX_FAILURES_PER_USER", "20"))
XINYONG_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("XINYONG_LOGIN_LOCKOUT_SECONDS", "900"))
# Subjects sign in through OpenID Connect when XINYONG_OIDC_* are set (accounts/oidc/__init__.py, ADR 0033).
globals().update(oidc_settings(os.environ, backends=AUTHENTICATION_BACKENDS))

ROOT_URLCONF = "xinyong.config.urls"
WSGI_APPLICATION = "xinyong.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinyong.portal.oidc.views.oidc_context",
            ]
        },
    }
]

# Password policy (issue 14, accounts/passwords.py): ≥ 12 characters of ≥ 3 of 4 classes, not common, not all
# digits, not like the user name or name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "xinyong.accounts.passwords.LengthAndClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name", "email")},
    },
]
# Sign-in (issue 14, accounts/signin.py, accounts/sessions.py): the one login page; sessions end after idle
# minutes or absolute hours; a one-time set-password link lasts PASSWORD_RESET_TIMEOUT (accounts/people.py).
LOGIN_URL = "accounts:login"  # /accounts/login/; /en/accounts/login/ from an English page (issue 15)
XINYONG_SESSION_IDLE_MINUTES = int(os.environ.get("XINYONG_SESSION_IDLE_MINUTES", "30"))
XINYONG_SESSION_MAX_HOURS = int(os.environ.get("XINYONG_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = XINYONG_SESSION_MAX_HOURS * 3600
OTP_TOTP_ISSUER = "信用平台"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"  # business dates and deadlines; timestamps are stored in UTC
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = XINYONG_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing directory before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # every form is server-rendered with its token; no script reads the cookie
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"  # Django's default, said here (issue 15; core/csp.py)
SECURE_CONTENT_TYPE_NOSNIFF = True
globals().update(tls_settings(os.environ))  # Secure cookies, HSTS, proxy TLS header (config/tls.py)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_identity": {"()": "xinyong.core.redact.RedactIdentityFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_identity"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("XINYONG_LOG_LEVEL", "WARNING")},
}

# Request bodies (core/middleware.py RequestSizeMiddleware): a JSON body is read into memory whole, and a
# submission may carry 10,000 rows of up to ~2 KB (records.services.MAX_API_ROWS); multipart API bodies carry
# up to two fields of 10 evidence files of 10 MB each (core/evidence.py) plus the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024
XINYONG_API_MULTIPART_MAX_BYTES = 2 * 10 * 10 * 1024 * 1024 + 1024 * 1024
# Anonymous filers (no Authorization header; issue 12), per request: files and their total, and the multipart
# body's declared length (the files plus 1 MiB of form), refused before a byte is read.
XINYONG_ANON_UPLOAD_MAX_FILES = int(os.environ.get("XINYONG_ANON_UPLOAD_MAX_FILES", "3"))
XINYONG_ANON_UPLOAD_MAX_BYTES = int(os.environ.get("XINYONG_ANON_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# XLSX imports (intake/xlsx.py, issue 12): entries of the shared-string table (openpyxl loads it whole when
# it opens a workbook, ~150 bytes each) and cells read before a file is refused. Bigger files go as CSV.
XINYONG_XLSX_MAX_SHARED_STRINGS = int(os.environ.get("XINYONG_XLSX_MAX_SHARED_STRINGS", "1000000"))
XINYONG_XLSX_MAX_CELLS = int(os.environ.get("XINYONG_XLSX_MAX_CELLS", "40000000"))
# issue 18 (ADR 0026, ADR 0041, ADR 0044): the most rows of one import transaction (0: the storage default,
# 1,000 SQLite, 5,000 PostgreSQL; a submission up to this many rows is written and published in one); larger
# submissions are staged in chunks whose writes take about XINYONG_IMPORT_CHUNK_MS (0: the storage default,
# 25 ms SQLite, 200 ms PostgreSQL; intake/chunking.py), the next chunk read and validated in a second thread
# meanwhile when XINYONG_IMPORT_READ_AHEAD is 1 (intake/ahead.py)
XINYONG_IMPORT_CHUNK_ROWS = max(0, int(os.environ.get("XINYONG_IMPORT_CHUNK_ROWS", "0")))
XINYONG_IMPORT_CHUNK_MS = max(0, int(os.environ.get("XINYONG_IMPORT_CHUNK_MS", "0")))
XINYONG_IMPORT_READ_AHEAD = os.environ.get("XINYONG_IMPORT_READ_AHEAD", "0") == "1"

# Transactional outbox: topic → handler (dotted path), run by `xinyong worker` (docs/performance.md; no
# signals).
XINYONG_OUTBOX_HANDLERS = {
    "list_entry.published": "xinyong.pushes.services.pushes_for_entry_event",
    "list_entry.exited": "xinyong.pushes.services.pushes_for_entry_event",
    "records.serious_negative": "xinyong.lists.events.red_entries_end_on_serious_record",
    "record.repaired": "xinyong.pushes.services.pushes_for_record_repair",
    "intake.file_import": "xinyong.intake.jobs.file_import_run",
}
# Uploaded files waiting for their import by the worker (issue 18, ADR 0032): one private directory each.
XINYONG_UPLOAD_DIR = Path(os.environ.get("XINYONG_UPLOAD_DIR") or XINYONG_HOME / "uploads")
# Webhook targets on loopback, private or link-local addresses are refused unless this is set.
XINYONG_WEBHOOK_ALLOW_PRIVATE = os.environ.get("XINYONG_WEBHOOK_ALLOW_PRIVATE", "") == "1"
XINYONG_PUBLIC_URL = os.environ.get("XINYONG_PUBLIC_URL", "http://127.0.0.1:8000")
XINYONG_PLATFORM_NAME = os.environ.get("XINYONG_PLATFORM_NAME", "北京市公共信用信息服务平台")

# HTTP conventions and rate limits for /api/ (issue 13, issue 12; core/http.py, core/ratelimit.py).
XINYONG_API_REFERENCE_MAX_AGE = int(os.environ.get("XINYONG_API_REFERENCE_MAX_AGE", "300"))
XINYONG_RATE_LIMITS = {
    "anon": os.environ.get("XINYONG_RATE_ANON", "300/60"),
    "lookup": os.environ.get("XINYONG_RATE_LOOKUP", "30/60"),
    "token": os.environ.get("XINYONG_RATE_TOKEN", "1200/60"),
    "filing": os.environ.get("XINYONG_RATE_FILING", "10/3600"),
    "upload": os.environ.get("XINYONG_RATE_UPLOAD_BYTES", f"{100 * 1024 * 1024}/86400"),
    "login": os.environ.get("XINYONG_RATE_LOGIN", "30/300"),  # sign-in form submissions (core/pagelimits.py)
}
XINYONG_RATE_TRUSTED_PROXIES = frozenset(
    p.strip() for p in os.environ.get("XINYONG_RATE_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()
)

# Signed checkpoints of the audit chain's head, kept outside the database (issue 12, ADR 0019).
XINYONG_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("XINYONG_AUDIT_ANCHOR_FILE") or XINYONG_HOME / "audit_anchors.jsonl"
).resolve()
XINYONG_AUDIT_ANCHOR_KEY = os.environ.get("XINYONG_AUDIT_ANCHOR_KEY", "")
