"""Django settings — every value comes from an environment variable documented in docs/settings.md.

A test (tests/test_docs.py) fails when a ``KEIKAKU_*`` variable read here has no entry there.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from keikaku.config import (
    catalogue_page_size,
    env_bool,
    env_int,
    env_list,
    env_str,
    logging_config,
    open_data_licence,
    public_url,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("KEIKAKU_DATA_DIR", "var")).resolve()

DEBUG = env_bool("KEIKAKU_DEBUG", False)
# KEIKAKU_SECRET_KEY, else a random key written to DATA_DIR/secret_key on first run (keikaku.config)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("KEIKAKU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KEIKAKU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "simple_history",
    "django_tasks",  # background jobs (web imports): the database backend, run by `keikaku worker`
    "django_tasks_db",
    "axes",  # login throttling (django-axes): see AXES_* below
    # the models and migrations (keikaku/db/): app labels plans, accounts, progress, search
    "keikaku.db.plans",
    "keikaku.db.accounts",
    "keikaku.db.progress",
    "keikaku.db.search",
    # the pages, templates and admin (keikaku/web/)
    "keikaku.web.plans",
    "keikaku.web.portal",
    "keikaku.web.api",
    "keikaku.web.accounts",
    "keikaku.web.progress",
    "keikaku.web.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # outside the page cache: cached pages get the header too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before sessions: a hit skips the rest (it checks ALLOWED_HOSTS first)
    "keikaku.web.portal.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the lockout page
]

# ---- login throttling (django-axes): after KEIKAKU_LOGIN_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked for KEIKAKU_LOGIN_LOCKOUT_MINUTES (0 = until an administrator
# deletes the attempt in the admin, Axes → Access attempts, or runs `keikaku unlock USER`)
AUTHENTICATION_BACKENDS = [
    "keikaku.web.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = max(1, env_int("KEIKAKU_LOGIN_FAILURE_LIMIT", 5))
_lockout_minutes = env_int("KEIKAKU_LOGIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=_lockout_minutes) if _lockout_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "keikaku.web.security.lockout_response"  # accounts/lockout.html, HTTP 429
AXES_VERBOSE = False

# ---- Content-Security-Policy on every response (django-csp): scripts and everything else from this site
# only, never inline scripts; inline style attributes stay allowed (the coverage table's colours)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "keikaku.web.urls"
WSGI_APPLICATION = "keikaku.web.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=env_int("KEIKAKU_DB_CONN_MAX_AGE", 60)))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "keikaku.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}


def _cache() -> dict:
    """KEIKAKU_CACHE_URL: ``locmem://`` (default: per process, ``?max_entries=N``), ``file:///path`` or
    ``dummy://`` (no caching). Rendered public pages and dashboards live here, keyed on their data."""
    from urllib.parse import parse_qs, urlsplit

    url = urlsplit(env_str("KEIKAKU_CACHE_URL", "locmem://"))
    query = parse_qs(url.query)
    options = {"MAX_ENTRIES": int(query.get("max_entries", ["400"])[0])}
    if url.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.path,
            "OPTIONS": options,
        }
    if url.scheme != "locmem":
        raise SystemExit(
            f"設定エラー / bad setting: KEIKAKU_CACHE_URL={url.geturl()!r} (locmem://, file://, dummy://)"
        )
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": url.netloc or "keikaku",
        "OPTIONS": options,
    }


CACHES = {"default": _cache()}
# whole public portal pages for visitors without a session: the key holds the data stamp, so edits through
# the models show at once; this bounds changes made otherwise (raw SQL). 0 = off (keikaku.web.portal.middleware)
KEIKAKU_PAGE_CACHE_SECONDS = env_int("KEIKAKU_PAGE_CACHE_SECONDS", 300)
# how long a process trusts a page's data stamp (saves in other processes show after this; 0 = ask every time)
KEIKAKU_PAGE_STAMP_SECONDS = env_int("KEIKAKU_PAGE_STAMP_SECONDS", 1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# background jobs (keikaku.services.jobs): rows in the database (SQLite or PostgreSQL), run by `keikaku worker`
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = env_str("KEIKAKU_LANGUAGE", "ja")
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
TIME_ZONE = env_str("KEIKAKU_TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # keikaku/web/static: the site CSS shared by every app
STATIC_ROOT = DATA_DIR / "static"
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # read-only data directory: whitenoise serves from the finders
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("KEIKAKU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("KEIKAKU_EMAIL_FROM", "keikaku@localhost")
EMAIL_HOST = env_str("KEIKAKU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KEIKAKU_EMAIL_PORT", 25)

# import limits (bytes); see docs/formats.md
KEIKAKU_IMPORT_MAX_BYTES = env_int("KEIKAKU_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# the open-data catalogue (docs/open-data.md): licence of published plans, the public portal's address,
# the catalogue's publisher, plans per page of the catalogues (0: not paged)
KEIKAKU_OPEN_DATA_LICENSE = open_data_licence()
KEIKAKU_PUBLIC_URL = public_url()
KEIKAKU_CATALOG_PUBLISHER = env_str("KEIKAKU_CATALOG_PUBLISHER", "").strip()
KEIKAKU_CATALOG_PAGE_SIZE = catalogue_page_size()

LOGGING = logging_config()  # keikaku's loggers at KEIKAKU_LOG_LEVEL, the rest at WARNING

# ---- KEIKAKU_HTTPS: the site is reached over HTTPS only, usually through a web server in front that
# sets X-Forwarded-Proto (docs/operations.md): secure cookies, HSTS, and requests marked https by that
# header count as secure. KEIKAKU_SECURE_COOKIES is the older name.
HTTPS = env_bool("KEIKAKU_HTTPS", env_bool("KEIKAKU_SECURE_COOKIES", False))
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("KEIKAKU_HSTS_SECONDS", 365 * 24 * 3600)
