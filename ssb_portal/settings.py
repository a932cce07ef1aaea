"""Settings for SSB Portal, read from the environment.

DATABASE_URL   default: SQLite file var/ssb_portal.sqlite3; postgres://user@host:port/db
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" turns debugging on (default off)
ALLOWED_HOSTS  comma-separated host names (default: localhost names when DEBUG is on)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ssb_portal import environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local development."
        )
    # Development only: a key that is obviously not a production secret.
    SECRET_KEY = "dev-insecure-key-only-for-debug-mode"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
    ).split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Content-Security-Policy header (see "Production security"); the app adds its checks.
    "csp",
    "ssb_portal",
    "directory",
    "alliance",
    "subsidies",
    "talent",
    "programme",
    # After ssb_portal, whose `db_worker` (it outlives a database outage) shadows theirs.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost: one JSON log line per request, with its request id (see "Logging").
    "ssb_portal.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database that cannot be reached answers a friendly 503, not a 500 (issue 20).
    "ssb_portal.database_outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Officials' sessions: shorter lifetime and an idle timeout (see "Production security").
    "ssb_portal.sessions.OfficialSessionMiddleware",
    # Anonymous GETs answered from the shared cache while the tables they read are unchanged
    # (issue 20, "Load held"); inside every middleware that can make a page personal.
    "ssb_portal.page_cache.middleware.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ssb_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ssb_portal.reminders.header.due_count",
            ],
        },
    },
]

WSGI_APPLICATION = "ssb_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'ssb_portal.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request uses it, so one cut by a database
        # restart is replaced at once instead of failing the request (issue 20).
        conn_health_checks=env_flag("CONN_HEALTH_CHECKS", True),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on the portal's aggregates (measured in
    # bench/lcr.py: 1.7 s of a 7 s LCR table at 5 million lines).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Each role lands where its work is (programme/landing.py): officials on their to-do list.
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "home"

# Amounts grouped by thousands in Chinese as in English (see ssb_portal/formats).
FORMAT_MODULE_PATH = ["ssb_portal.formats"]
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
# `make serve` collects them into STATIC_ROOT and whitenoise serves them from the web process
# (compressed, with hashed names cached for a year) when DEBUG is off; no separate web server.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
if not DEBUG:
    # Static files served by the web process itself, right after SecurityMiddleware; with
    # DEBUG on, runserver serves them from the source folders instead.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

# Uploaded files (purchase imports) are kept here; never served as static files.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Application documents hold personal and commercial data: they live outside MEDIA_ROOT and
# no URL maps to this folder; a view checks who asks before it streams a file.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))

# --- Storage --------------------------------------------------------------------------------
# Private documents go through Django's storage API (ssb_portal/storage.py): the local disk
# under PRIVATE_MEDIA_ROOT by default; PRIVATE_STORAGE=s3 puts them in an S3-compatible bucket
# (PRIVATE_S3_BUCKET, PRIVATE_S3_ENDPOINT_URL, PRIVATE_S3_REGION, PRIVATE_S3_ACCESS_KEY_ID,
# PRIVATE_S3_SECRET_ACCESS_KEY, PRIVATE_S3_PREFIX) that every web server and worker share.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "private": environment.private_storage(os.environ),
}
# Application documents: PDF, JPEG or PNG, checked by content, up to this size each.
APPLICATION_DOCUMENT_MAX_BYTES = int(
    os.environ.get("APPLICATION_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
)

# Long jobs (purchase imports) run on Django's tasks framework; the database backend needs no
# extra server: `manage.py task_worker` runs them (`make run` and `make serve` start it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running task silent this long (no progress reported, no heartbeat) counts as stalled: its
# worker died or hung. It is queued again from the start, or failed once it has been tried
# TASK_MAX_ATTEMPTS times (ssb_portal/task_recovery). The worker looks every
# TASK_STALL_CHECK_SECONDS.
TASK_STALL_SECONDS = int(os.environ.get("TASK_STALL_SECONDS", 300))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", 3))
TASK_STALL_CHECK_SECONDS = float(os.environ.get("TASK_STALL_CHECK_SECONDS", 60))

# Purchase files larger than this are refused (bytes).
PURCHASE_UPLOAD_MAX_BYTES = int(os.environ.get("PURCHASE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))

# --- Uploads (issue 16) ----------------------------------------------------------------------
# An uploaded workbook (XLSX) is a zip: before it is parsed, its parts may expand to at most
# this many bytes in all, and no part over 1 MiB may be compressed more than this many times
# (a 50,000-row purchase sheet: 35 MB expanded, ratio 11; bench/xlsx_read.py).
XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("XLSX_MAX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024))
XLSX_MAX_COMPRESSION_RATIO = int(os.environ.get("XLSX_MAX_COMPRESSION_RATIO", 100))

# Every e-mail is queued (ssb_portal/outgoing_mail) and a task delivers it through the backend
# the EMAIL_BACKEND variable names (SMTP in production: EMAIL_HOST, EMAIL_PORT, ...), with
# MAIL_MAX_TRIES tries, the n-th retry MAIL_RETRY_SECONDS × 2^(n−1) after the one before.
EMAIL_BACKEND = "ssb_portal.outgoing_mail.backend.QueuedEmailBackend"
MAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
MAIL_MAX_TRIES = int(os.environ.get("MAIL_MAX_TRIES", 5))
MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", 60))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SSB Portal <noreply@ssb-portal.local>")

SESSION_COOKIE_SECURE = not DEBUG and env_flag("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Production security --------------------------------------------------------------------
# On by default when DEBUG is off; each can be turned down from the environment.
# HTTPS only: plain HTTP is redirected (except /healthz, which load balancers probe over HTTP),
# and browsers are told to use HTTPS for a year (SECURE_HSTS_SECONDS=0 turns it off).
SECURE_SSL_REDIRECT = not DEBUG and env_flag("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = (
    0 if DEBUG else environment.env_int(os.environ, "SECURE_HSTS_SECONDS", 31536000)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Joining the browsers' preload list is a decision for the domain's owner: off unless asked.
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto=https (only when
# that proxy overwrites the header) and the public origins for CSRF, comma-separated.
SECURE_PROXY_SSL_HEADER = environment.proxy_ssl_header(os.environ)
CSRF_TRUSTED_ORIGINS = environment.csrf_trusted_origins(os.environ)
# Content-Security-Policy (django-csp): scripts and styles from our own static files only; no
# inline script, style or event handler anywhere (tests/ssb_portal/test_csp.py checks the
# templates). The API docs page loosens style-src for Swagger UI (ssb_portal/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Officials' sessions (ssb_portal/sessions.py): they end OFFICIAL_SESSION_MAX_AGE seconds
# after login (8 h) or after OFFICIAL_SESSION_IDLE seconds without a request (30 min);
# everyone else keeps SESSION_COOKIE_AGE (Django's two weeks).
OFFICIAL_SESSION_MAX_AGE = environment.env_int(os.environ, "OFFICIAL_SESSION_MAX_AGE", 8 * 3600)
OFFICIAL_SESSION_IDLE = environment.env_int(os.environ, "OFFICIAL_SESSION_IDLE", 30 * 60)

# Account confirmation and invitation links stay valid this long.
ACCOUNT_ACTIVATION_DAYS = 3
INVITATION_VALID_DAYS = 14

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ssb_portal.api.StandardPagination",
    # drf-spectacular's, keeping the blank a read-only field may answer with (ssb_portal.schema).
    "DEFAULT_SCHEMA_CLASS": "ssb_portal.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ssb_portal.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SSB Portal API",
    "DESCRIPTION": "Solid-state battery industry chain portal: supplier directory and programmes.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # No call to the online validator: the docs must work with no internet.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Schema truth (issue 16): every operation documents its 401/403/404/429 and the field
    # errors of a 400, in one place (ssb_portal.schema); the enum hook stays first.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ssb_portal.schema.document_error_answers",
    ],
    # Several models have a "kind" and a "status" with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseKindEnum": "directory.models.EnterpriseKind",
        "ListingStatusEnum": "directory.models.ListingStatus",
        "ConfirmationStatusEnum": "directory.models.ConfirmationStatus",
        "ProgrammeKindEnum": "subsidies.models.ProgrammeKind",
        "ApplicationStatusEnum": "subsidies.models.ApplicationStatus",
        "DocumentKindEnum": "subsidies.models.DocumentKind",
        "CertificationSchemeEnum": "directory.models.CertificationScheme",
        "CapacityUnitEnum": "directory.models.CapacityUnit",
        "MemberStatusEnum": "alliance.models.MemberStatus",
        "CollaborationModelEnum": "alliance.models.CollaborationModel",
        "DemandVisibilityEnum": "alliance.models.DemandVisibility",
        "DemandStatusEnum": "alliance.models.DemandStatus",
        "ResponseStatusEnum": "alliance.models.ResponseStatus",
        "MeetingStatusEnum": "alliance.models.MeetingStatus",
        "CollaborationStatusEnum": "alliance.models.CollaborationStatus",
        "PartyRoleEnum": "alliance.models.PartyRole",
        "StandardStageEnum": "alliance.models.StandardStage",
        "StandardRoleEnum": "alliance.models.StandardRole",
        "ParticipationStatusEnum": "alliance.models.ParticipationStatus",
        "InternshipStatusEnum": "talent.models.InternshipStatus",
        "InternshipOutcomeEnum": "talent.models.InternshipOutcome",
        "ExpertStatusEnum": "talent.models.ExpertStatus",
        "ScholarshipStatusEnum": "talent.models.ScholarshipStatus",
        "PassportDocumentKindEnum": "directory.models.PassportDocumentKind",
        "BomLineKindEnum": "directory.models.BomLineKind",
    },
}

# --- Logging --------------------------------------------------------------------------------
# JSON lines on stderr (LOG_FORMAT=json, the default when DEBUG is off; "text" otherwise), and
# one line per request from ssb_portal.request_log (logger "ssb_portal.requests", INFO;
# REQUEST_LOG_LEVEL=WARNING silences it).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ssb_portal.request_log.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "ssb_portal.requests": {
            "handlers": ["console"],
            "level": os.environ.get("REQUEST_LOG_LEVEL", "WARNING" if DEBUG else "INFO"),
            "propagate": False,
        }
    },
}

# Absolute address of the portal, used in links sent by email.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The LCR trajectory until officials set one: baseline year (LCR 40 %), 70 % five years on.
LCR_DEFAULT_BASELINE_YEAR = int(os.environ.get("LCR_DEFAULT_BASELINE_YEAR", "2025"))

# Purchase imports that wait for an official (issue 15) until officials set their own
# thresholds (directory.PurchaseReviewPolicy): an import waits when, in a year it touches, it
# adds more than this share of the buyer's value of the year so far (percent) or moves the
# buyer's LCR of the year by more than these points, unless it moves less than the floor (CNY).
PURCHASE_REVIEW_MAX_SHARE_PERCENT = os.environ.get("PURCHASE_REVIEW_MAX_SHARE_PERCENT", "50")
PURCHASE_REVIEW_MAX_LCR_POINTS = os.environ.get("PURCHASE_REVIEW_MAX_LCR_POINTS", "10")
PURCHASE_REVIEW_FLOOR_CNY = os.environ.get("PURCHASE_REVIEW_FLOOR_CNY", "2000000")

# --- Login protection and the shared cache (issue 16) -----------------------------------------
# Client address: X-Forwarded-For is set by whoever sends the request, so it is believed only
# as far as it was written by proxies of ours. TRUSTED_PROXY_COUNT is the number of reverse
# proxies in front of the portal (default 0: the address is REMOTE_ADDR and X-Forwarded-For is
# ignored); with N proxies the N-th address from the right of X-Forwarded-For is the client's.
# ssb_portal.client_address applies this rule for axes, REST framework and the portal's views.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Every limit counts in one cache shared by all web processes: the database cache by default
# (`manage.py createcachetable`, run by `make migrate` and by a migration), Redis when REDIS_URL
# is set (redis://host:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ssb_portal_cache",
            # Past this many entries the cache drops a third of them: many clients' counts
            # must fit (Django's default, 300, would let a crowd of addresses wipe them).
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "100000"))},
        }
    ),
    # The LCR's public figures, in each process's memory; their version is in "default"
    # (directory.lcr.cache).
    "lcr_figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lcr-figures",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# The page cache (ssb_portal/page_cache): anonymous GET pages and public API reads kept in the
# shared cache until a table they read is written, on when DEBUG is off (PAGE_CACHE=0 turns it
# off; every process that writes to the database must run with the same setting, as
# `make serve` does). A kept page is rendered again after PAGE_CACHE_SECONDS even with no write.
PAGE_CACHE = env_flag("PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# django-axes locks out a username, and separately a client address, after LOGIN_FAILURE_LIMIT
# failed logins (portal, admin and API token) until LOGIN_COOLOFF_MINUTES have passed since the
# last failure. Attempts live in the database; officials see and clear them in the admin.
INSTALLED_APPS += ["ssb_portal.axes_app.LoginProtectionConfig"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
# Django's ModelBackend that first asks axes whether the client is locked out; being the only
# backend, `login(request, user)` needs no backend argument.
AUTHENTICATION_BACKENDS = ["ssb_portal.login_protection.LockoutModelBackend"]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "ssb_portal.client_address.client_address"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_LOCKOUT_CALLABLE = "ssb_portal.login_protection.lockout_response"

# Password reset requests: at most this many per email address and per client address within
# PASSWORD_RESET_WINDOW_MINUTES (each one sends an email).
PASSWORD_RESET_LIMIT_PER_ACCOUNT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ACCOUNT", "5"))
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "20"))
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("PASSWORD_RESET_WINDOW_MINUTES", "60"))

# REST framework's throttles count in the shared cache and find the client as above.
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# Audit chain (issue 16): every entry is keyed with HMAC-SHA256 by AUDIT_CHAIN_KEY, a secret
# that lives only in the environment, never in the database. Each entry records the id of its
# key (derived from the secret), so a key can be rotated: put the previous secrets, comma-
# separated, in AUDIT_CHAIN_OLD_KEYS and old entries still verify. In DEBUG (development and
# tests) a development key is derived from SECRET_KEY; in production a missing key stops start.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_CHAIN_OLD_KEYS = [
    key.strip() for key in os.environ.get("AUDIT_CHAIN_OLD_KEYS", "").split(",") if key.strip()
]
if not AUDIT_CHAIN_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "AUDIT_CHAIN_KEY must be set when DEBUG is off: the secret that keys the audit "
            "chain (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    AUDIT_CHAIN_KEY = "development-audit-chain-key:" + SECRET_KEY
