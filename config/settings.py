"""Gongzhi settings: one file, every deployment-specific value read from the environment.

Defaults suit a developer's laptop (SQLite under var/). Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DATABASE_URL, REDIS_URL and DJANGO_ALLOWED_HOSTS;
see README.md ("Running in production").
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see README.md)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-gongzhi-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Our apps first so their templates (error pages, registration) win.
    "gongzhi.core",
    "gongzhi.accounts",
    "gongzhi.places",
    "gongzhi.partners",
    "gongzhi.organisations",
    "gongzhi.venues",
    "gongzhi.surveys",
    "gongzhi.events",
    "gongzhi.cultivation",
    "gongzhi.contests",
    "gongzhi.proposals",
    "gongzhi.meetings",
    "gongzhi.planning",
    "gongzhi.renewal",
    "gongzhi.paper",
    "gongzhi.news",
    "gongzhi.reports",
    "gongzhi.api",
    "gongzhi.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "allauth",
    "allauth.account",
    # Seeing it run (README, "Seeing it run"): request ids and Prometheus metrics.
    "django_guid",
    "django_prometheus",
]

MIDDLEWARE = [
    # First: every log line of the request, and the error page, carry its id.
    "django_guid.middleware.guid_middleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come compressed from WhiteNoise, above): a phone
    # on a slow network gets the reports page in a quarter of the bytes. Django adds
    # random padding against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gongzhi.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Visitors' pages from the cache: after CSRF (which gives the visitor their own
    # token cookie), before the session and the user are loaded.
    "gongzhi.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongzhi.core.access.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongzhi.core.middleware.SubmissionMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "gongzhi.core.context_processors.navigation",
                "gongzhi.core.context_processors.display_mode",
                "gongzhi.core.todo.header",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL (postgres://...) selects PostgreSQL.
VAR_DIR = Path(os.environ.get("GONGZHI_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'gongzhi.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade race when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so tests with several threads see real locking behaviour.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    # An unreachable database host must fail fast into the 503 page, not hold every
    # worker until the TCP timeout (libpq waits forever by default).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("GONGZHI_DB_CONNECT_TIMEOUT", "5"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
# Several app servers share one Redis; without REDIS_URL each process keeps its own.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Visitors' pages and the dashboard's figures (gongzhi/core/pagecache.py, README "Pages
# from the cache"). Every app server must see the same data version, or one would
# serve a page another's write made stale: the Redis when there is one, else files
# under var/ (shared by the workers of one machine). The tests keep them in memory
# (one process each, so two test processes never read each other's pages).
if os.environ.get("REDIS_URL"):
    CACHES["pages"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "pages",
        # Redis away: a miss (pages rendered, writes go on), logged; never a 500.
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
elif os.environ.get("GONGZHI_PAGE_CACHE") == "memory":
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "gongzhi.core.pagecache.QuietFileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# --- Background tasks -----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "GONGZHI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- SMS ------------------------------------------------------------------------
# One backend for the deployment (gongzhi/core/sms): the console backend writes to the
# log and the demo outbox; aliyun and tencent send through the providers' SDKs. The
# signature (签名) and template ids are the ones the provider approved for this town.
GONGZHI_SMS = {
    "BACKEND": os.environ.get("GONGZHI_SMS_BACKEND", "gongzhi.core.sms.console.ConsoleBackend"),
    "SIGN_NAME": os.environ.get("GONGZHI_SMS_SIGN_NAME", "共治平台"),
    "ACCESS_KEY_ID": os.environ.get("GONGZHI_SMS_ACCESS_KEY_ID", ""),
    "ACCESS_KEY_SECRET": os.environ.get("GONGZHI_SMS_ACCESS_KEY_SECRET", ""),
    # Tencent Cloud's SMS application (SdkAppId) and region; Alibaba needs neither.
    "APP_ID": os.environ.get("GONGZHI_SMS_APP_ID", ""),
    "REGION": os.environ.get("GONGZHI_SMS_REGION", ""),
    # Only to point the SDK elsewhere (the tests' fake provider on 127.0.0.1).
    "ENDPOINT": os.environ.get("GONGZHI_SMS_ENDPOINT", ""),
    # {"code": "<template id>", "<notification kind>": "<template id>", ...}
    "TEMPLATES": json.loads(os.environ.get("GONGZHI_SMS_TEMPLATES", "{}")),
    # Tencent only: the order of each template's parameters ({"code": ["code",
    # "minutes"], ...}); without it, alphabetical (see gongzhi/core/sms/tencent.py).
    "TEMPLATE_PARAMS": json.loads(os.environ.get("GONGZHI_SMS_TEMPLATE_PARAMS", "{}")),
    # The secret part of the delivery-report address given to the provider.
    "RECEIPT_TOKEN": os.environ.get("GONGZHI_SMS_RECEIPT_TOKEN", ""),
    "TIMEOUT": float(os.environ.get("GONGZHI_SMS_TIMEOUT", "5")),
    # A town's monthly budget in billed units when it has none of its own (admin:
    # "Monthly SMS budgets").
    "MONTHLY_UNITS": int(os.environ.get("GONGZHI_SMS_MONTHLY_UNITS", "1000")),
}

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Log-in by phone and password, and by code (django-allauth); it is Django's
    # ModelBackend underneath, which the admin's log-in uses.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "places:home"
LOGOUT_REDIRECT_URL = "places:home"

# django-allauth: the mobile number is the login; a number is verified by a code sent
# to it (at sign-up, at the first log-in of an account made at the door or from a
# ledger, and when it is changed); log-in by password or by an SMS code; a forgotten
# password is recovered by logging in by code and setting a new one (allauth's reset
# by code works by email only). gongzhi/accounts/adapter.py connects it to our User,
# consent records, audit trail and SMS gateway.
ACCOUNT_ADAPTER = "gongzhi.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "gongzhi.accounts.forms.LoginForm",
    "signup": "gongzhi.accounts.forms.SignUpForm",
    "request_login_code": "gongzhi.accounts.forms.RequestLoginCodeForm",
    "confirm_login_code": "gongzhi.accounts.forms.ConfirmLoginCodeForm",
    "verify_phone": "gongzhi.accounts.forms.VerifyPhoneForm",
    "change_phone": "gongzhi.accounts.forms.ChangePhoneForm",
    "change_password": "gongzhi.accounts.forms.ChangePasswordForm",
    "set_password": "gongzhi.accounts.forms.SetPasswordForm",
    "reauthenticate": "gongzhi.accounts.forms.ReauthenticateForm",
    "request_reauthentication_code": "gongzhi.accounts.forms.RequestReauthenticationCodeForm",
    "confirm_reauthentication_code": "gongzhi.accounts.forms.ConfirmReauthenticationCodeForm",
}
# Changing the number or choosing a password: within five minutes of a log-in or of
# proving again who one is (AccountAdapter.is_reauthentication_required).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_METHODS = {"phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = False
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 5
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 5
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
# Six digits: what residents type from an SMS on every other service.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
# An unknown number gets the same answer as a known one, and nothing is sent to it.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Counted in the shared cache, so every app server sees one count. A code costs the
# town money and reaches a person's phone: one a minute per number, ten an hour.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
    "request_login_code": "20/m/ip,200/h/ip,1/m/key,10/h/key",
    "verify_phone": "1/m/key,10/h/key,20/m/ip",
    # Counts every try, a mistyped number too: three a minute.
    "change_phone": "3/m/user,10/h/user",
    "signup": "20/m/ip",
}

# --- Languages and time ---------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as residents read them in each language (2023年3月30日, 30 March 2023).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads never served as media (photos of residents' paper forms): read only through
# views that check who asks (gongzhi.core.models.PrivateStorage).
PRIVATE_ROOT = Path(os.environ.get("GONGZHI_PRIVATE_ROOT", VAR_DIR / "private"))
# Serve uploads from the app itself only on a single machine (make demo sets it).
GONGZHI_SERVE_MEDIA = env_bool("GONGZHI_SERVE_MEDIA", DEBUG)
STORAGES = {
    # The file system; a full or missing media root is a clear message on the form,
    # not a 500 (gongzhi/core/storage.py).
    "default": {"BACKEND": "gongzhi.core.storage.MediaStorage"},
    # Hashed, compressed names in production (needs collectstatic); tests and DEBUG
    # serve the files as they are.
    "staticfiles": {
        "BACKEND": os.environ.get(
            "GONGZHI_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Upload and request size limits ----------------------------------------------
# The whole request (forms plus files) may not exceed GONGZHI_MAX_REQUEST_BYTES; a
# bigger one gets a clear 413 page before Django reads it. Single files are checked
# by gongzhi.core.validators.validate_upload_size.
GONGZHI_MAX_UPLOAD_BYTES = int(os.environ.get("GONGZHI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
GONGZHI_MAX_REQUEST_BYTES = GONGZHI_MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security -------------------------------------------------------------------
SECURE = not DEBUG
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", SECURE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "gongzhi.core.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000 if SECURE else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
# Preloading commits a whole domain (and its subdomains) to HTTPS in browsers for
# months; that is the domain owner's decision, not the software's. Opt in with
# DJANGO_HSTS_PRELOAD=1; the deploy check's reminder about it is silenced.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth's limits per address (codes, sign-ups, wrong passwords) must count the
    # resident's address, not the load balancer's: trust this many proxies' entries
    # in X-Forwarded-For (GONGZHI_TRUSTED_PROXIES, default one).
    ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("GONGZHI_TRUSTED_PROXIES", "1"))
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: everything from our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Seeing it run (README, "Seeing it run") -------------------------------------
# Request ids (django-guid): a load balancer's X-Request-ID is kept when it is a UUID,
# else one is made; it is sent back in the same header and shown on error pages.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
# The Prometheus endpoint (/metrics) answers only with this bearer token; without one
# it does not exist (404).
GONGZHI_METRICS_TOKEN = os.environ.get("GONGZHI_METRICS_TOKEN", "")
# django-prometheus would otherwise read the migrations (the database) at start-up.
PROMETHEUS_EXPORT_MIGRATIONS = False
# Errors to a Sentry-compatible service when a DSN is given (gongzhi/core/observe.py:
# no personal data, phone numbers scrubbed, the request id as a tag).
GONGZHI_SENTRY_DSN = os.environ.get("GONGZHI_SENTRY_DSN", "")
if GONGZHI_SENTRY_DSN:
    from gongzhi.core.observe import init_sentry

    init_sentry(
        GONGZHI_SENTRY_DSN,
        environment=os.environ.get("GONGZHI_SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("GONGZHI_SENTRY_RELEASE") or None,
    )

# --- Logging: everything to stdout, one line per record --------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # [request id] or [-] outside a request (tasks run by a worker, commands).
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
    },
    "filters": {
        "refused_at_info": {"()": "gongzhi.core.logs.RefusedRequestsAtInfo"},
        "request_id": {"()": "gongzhi.core.logs.RequestId"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("GONGZHI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Not a line per request about where the id came from; a refused one still warns.
        "django_guid": {"level": "WARNING"},
        # 403, 404 and 409 as one INFO line, not a WARNING with a traceback.
        "django.request": {"filters": ["refused_at_info"]},
    },
}
