"""Settings, read from the environment (healthchecks' way: one file, no per-machine forks).

Development: ``DEBUG=1`` and nothing else gives SQLite in the checkout and a development key.
Production: ``DEBUG`` unset (False), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` set;
HTTPS-only cookies and HSTS follow automatically.
"""

import os
from pathlib import Path

import dj_database_url
import plotly
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Production has no default key: left empty, Django refuses everything that needs it
# (sessions, CSRF, signing: every request) while `check` and `migrate` still run.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "core",
    "reports",
    "dataimport",
    "projects",
    "meetings",
    "layout",
    "pbx",
    "approval",
    "counter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RejectBadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing is visible without logging in: every view but login is closed to anonymous users.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Login throttling (django-axes): last, so that it sees the login view's failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seiyo_dx.urls"
WSGI_APPLICATION = "seiyo_dx.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.navigation.navigation",
                "core.organisation.organisation_context",
            ],
            "builtins": ["core.templatetags.japanese"],
        },
    },
]


def sqlite_options() -> dict:
    """SQLite for several editors at once: write-ahead log (readers never wait for a writer),
    a busy timeout (a writer waits its turn instead of failing), and transactions that take the
    write lock when they begin (a read-then-write transaction cannot fail on upgrading its lock,
    which a busy timeout does not cover: 12 editors × 10 saves gave 109 "database is locked")."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds: sqlite3's busy timeout
        "init_command": "PRAGMA journal_mode=WAL;",
    }


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **sqlite_options(),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The demo accounts' documented passwords must never open a production site.
# AxesStandaloneBackend first: it refuses a locked-out user before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "seiyo_dx.auth.NoDemoAccountsInProductionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語"))]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# Numbers are formatted explicitly (core.japanese): a global thousands separator would
# also print years and ids as "2,022".
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is served from the installed plotly package (closed networks: no CDN).
PLOTLY_JS_DIR = Path(plotly.__file__).resolve().parent / "package_data"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/plotly", PLOTLY_JS_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Print the Western year beside the era (令和4年(2022年)11月1日): some cities do, most do not.
SEIYO_WESTERN_YEAR_ALONGSIDE = env_bool("SEIYO_WESTERN_YEAR_ALONGSIDE")

# The installation's organisation: what the header, the admin, the forms and the file names
# print (core.organisation). Another city sets its own; 西予市 is the demo's.
SEIYO_ORGANISATION = {
    "city": os.environ.get("SEIYO_CITY", "西予市"),
    # The header and the admin; empty: 「<city>DX推進」.
    "brand": os.environ.get("SEIYO_BRAND", ""),
    # The office that runs the programme (the footer, the owner of meeting commitments).
    "office": os.environ.get("SEIYO_OFFICE", "政策企画部 政策推進課 情報推進室"),
    # The 部課名 a new 重要計画付議(報告)書 starts with.
    "department": os.environ.get("SEIYO_DEPARTMENT", "政策企画部 政策推進課"),
    # The 様式番号 printed at the head of the 重要計画付議(報告)書.
    "agenda_form_number": os.environ.get("SEIYO_AGENDA_FORM_NUMBER", "様式第2号(第4条関係)"),
}

DJANGO_TABLES2_TEMPLATE = "includes/table.html"  # sort marks on every sortable column

# Security. Closed city networks: everything is served from this site, nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly.js injects <style> elements (a known plotly limitation).
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Login throttling (django-axes): after 5 wrong passwords for one user name from one address,
# that user name is refused from that address for an hour (or until an administrator deletes
# the 「アクセス試行」 record in the admin, or runs `manage.py axes_reset_username NAME`).
# By the pair, not by either alone: a user name alone would let anyone lock a colleague out,
# an address alone would lock a whole office that shares one NAT address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "seiyo_dx.auth.locked_out"
# Behind the reverse proxy every request comes from the proxy's address: name the proxy's
# addresses here and the client's address is read from the X-Forwarded-For it appends.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "seiyo_dx.auth.client_ip"
