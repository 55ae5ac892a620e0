"""Settings shared by every environment; values come from the environment (see ``env.py``).

Defaults make the embedded demo work with nothing set: a SQLite file under ``var/``, tasks run
in-process, e-mail printed to the console. Production overrides what must be explicit.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONCE

from offlabel.web.config.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_str,
)
from offlabel.web.config.logs import logging_config

WEB_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("OFFLABEL_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str(
    "SECRET_KEY",
    # A fixed key is only acceptable for the local demo; production.py requires a real one.
    "offlabel-demo-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    # offlabel, in the order the demo loads them
    "offlabel.web.common",
    "offlabel.web.accounts",
    "offlabel.web.catalog",
    "offlabel.web.literature",
    "offlabel.web.reviews",
    "offlabel.web.registry",
    "offlabel.web.analytics",
    "offlabel.web.network",
    "offlabel.web.api",
]

MIDDLEWARE = [
    # /healthz first (no host check, no TLS redirect), then the request log, which sees the rest
    "offlabel.web.config.middleware.HealthCheckMiddleware",
    "offlabel.web.config.middleware.RequestLogMiddleware",
    # under /api/: problem details for every error, ETags and 304s
    "offlabel.web.api.problems.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "offlabel.web.accounts.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "offlabel.web.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # last, so its process_exception sees a view's database error first
    "offlabel.web.config.middleware.DatabaseRetryMiddleware",
]

ROOT_URLCONF = "offlabel.web.config.urls"
WSGI_APPLICATION = "offlabel.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "offlabel.web.common.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'offlabel.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions: signed out after OFFLABEL_SESSION_IDLE_SECONDS without a request (30 minutes), and
# in any case after SESSION_COOKIE_AGE (14 days).
OFFLABEL_SESSION_IDLE_SECONDS = env_int("OFFLABEL_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): scripts and styles only from the site's own files, a
# fresh nonce per response for any inline script that asks for one (``{{ request.csp_nonce }}``;
# such a page is never put in the page cache), no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
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

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"

# The client's address: behind a reverse proxy, the header the proxy writes it in (e.g.
# X-Forwarded-For) and how many proxies of ours stand in front (the address is read that many
# hops from the right). Empty: the header is never trusted and REMOTE_ADDR is the address.
OFFLABEL_TRUSTED_PROXY_HEADER = env_str("OFFLABEL_TRUSTED_PROXY_HEADER", "")
OFFLABEL_TRUSTED_PROXY_COUNT = env_int("OFFLABEL_TRUSTED_PROXY_COUNT", 1, minimum=1)
# Login throttling: after 5 failures for one e-mail address from one client address, wait 15
# minutes (an account is never locked for every address: nobody can lock a patient out);
# from one client address, at most 30 failures in 15 minutes whatever the usernames.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "offlabel.web.common.throttle.client_address"
OFFLABEL_LOGIN_ADDRESS_LIMIT = env_int("OFFLABEL_LOGIN_ADDRESS_LIMIT", 30, minimum=1)
OFFLABEL_LOGIN_ADDRESS_WINDOW = 15 * 60
# Per account across addresses (an attacker rotating addresses): after this many failures in an
# hour from browsers the account never signed in with, such browsers get one attempt every
# OFFLABEL_LOGIN_ACCOUNT_DELAY seconds; a browser it signed in with (its device cookie) is
# never held back, so the holder is not locked out.
OFFLABEL_LOGIN_ACCOUNT_LIMIT = env_int("OFFLABEL_LOGIN_ACCOUNT_LIMIT", 20, minimum=1)
OFFLABEL_LOGIN_ACCOUNT_WINDOW = 60 * 60
OFFLABEL_LOGIN_ACCOUNT_DELAY = env_int("OFFLABEL_LOGIN_ACCOUNT_DELAY", 60, minimum=1)
# Per client address and per e-mail address an hour: password-reset e-mails; sign-ups per
# client address an hour; record invitations per sender, client and invited address a day.
OFFLABEL_PASSWORD_RESET_LIMIT = env_int("OFFLABEL_PASSWORD_RESET_LIMIT", 5, minimum=1)
OFFLABEL_SIGN_UP_LIMIT = env_int("OFFLABEL_SIGN_UP_LIMIT", 10, minimum=1)
OFFLABEL_RECORD_INVITATION_LIMIT = env_int("OFFLABEL_RECORD_INVITATION_LIMIT", 10, minimum=1)
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
# English and Spanish (ALSUntangled publishes in both). The catalogue is ours, under locale/es.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Compressed uploads (a .xml.gz, a registry .zip) are read inside offlabel.untrusted's guard:
# refused while they stream once they inflate past these (the 20 MB upload limit is on the
# compressed size). The command line reads the same variables (default there: 2 GiB).
OFFLABEL_MAX_DECOMPRESSED_BYTES = env_int(
    "OFFLABEL_MAX_DECOMPRESSED_BYTES", 256 * 1024 * 1024, minimum=1
)
OFFLABEL_MAX_COMPRESSION_RATIO = env_int("OFFLABEL_MAX_COMPRESSION_RATIO", 100, minimum=1)
OFFLABEL_MAX_ARCHIVE_MEMBERS = env_int("OFFLABEL_MAX_ARCHIVE_MEMBERS", 64, minimum=1)
OFFLABEL_MAX_MEMBER_BYTES = env_int("OFFLABEL_MAX_MEMBER_BYTES", 50 * 1024 * 1024, minimum=1)

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "offlabel <no-reply@offlabel.invalid>")

# Background work: huey runs tasks in-process (immediate mode) unless REDIS_URL is set, in which
# case any number of `manage.py run_huey` workers on any machine take them from Redis.
REDIS_URL = env_str("REDIS_URL", "")
HUEY = {
    "name": env_str("OFFLABEL_QUEUE", "offlabel"),
    "immediate": not REDIS_URL,
    "results": True,
    "utc": True,
    "consumer": {"workers": env_int("OFFLABEL_WORKERS", 2, minimum=1), "worker_type": "thread"},
    **(
        {"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
        if REDIS_URL
        else {"huey_class": "huey.MemoryHuey"}
    ),
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The host's copy of the content version (offlabel.web.common.version_file): cached pages then
# cost no database query. Every process of the site on this host must share it (it lives in
# the var directory); the database is asked again every OFFLABEL_CONTENT_RECHECK_MS, which
# bounds how long a change made by a process that does not share the file (a second app
# server) takes to show. Empty: ask the database on every request.
OFFLABEL_CONTENT_VERSION_FILE = env_str(
    "OFFLABEL_CONTENT_VERSION_FILE", str(VAR_DIR / "content-version")
)
OFFLABEL_CONTENT_RECHECK_MS = env_int("OFFLABEL_CONTENT_RECHECK_MS", 1000, minimum=0)
# Compute every topic's registry panel when the WSGI application starts, before gunicorn forks
# its workers (offlabel.web.config.warmup.prime_caches); production turns it on.
OFFLABEL_PRIME_CACHES = env_bool("OFFLABEL_PRIME_CACHES", default=False)

# Public aggregates never show a cell smaller than this (small-cell suppression).
OFFLABEL_MIN_CELL = env_int("OFFLABEL_MIN_CELL", 5, minimum=1)
# Pseudonyms of registry subjects in de-identified views and exports are keyed by this salt;
# set it in production (otherwise it is derived from SECRET_KEY, and rotating the key would
# change every pseudonym).
OFFLABEL_PSEUDONYM_SALT = env_str("OFFLABEL_PSEUDONYM_SALT", "")
# A review cannot be published with fewer reviewer votes than this in any category.
REVIEW_MIN_VOTES = env_int("REVIEW_MIN_VOTES", 3, minimum=1)
# The address links in e-mails point to.
OFFLABEL_SITE_URL = env_str("OFFLABEL_SITE_URL", "http://127.0.0.1:8000")
# Community rate limits: posts and consult messages per account per 10 minutes; invitations a day.
OFFLABEL_POST_LIMIT = env_int("OFFLABEL_POST_LIMIT", 5, minimum=1)
OFFLABEL_INVITATION_LIMIT = env_int("OFFLABEL_INVITATION_LIMIT", 3, minimum=1)

# The request log (offlabel.web.config.middleware.RequestLogMiddleware): one JSON line per
# request on standard output; here only server errors (Django's server prints its own lines),
# every request in production.
REQUEST_LOG_LEVEL = env_str("REQUEST_LOG_LEVEL", "ERROR")
LOGGING = logging_config(level=env_str("LOG_LEVEL", "WARNING"), request_level=REQUEST_LOG_LEVEL)
