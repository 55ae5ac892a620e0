"""Production settings: nothing insecure by default; ``manage.py check --deploy`` is clean."""

from __future__ import annotations

from offlabel.web.config.env import env_bool, env_int, env_list, env_str
from offlabel.web.config.logs import logging_config
from offlabel.web.config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")  # required: no default in production
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("offlabel-demo-insecure"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names this site answers to.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Every request in the JSON request log (see base.py).
REQUEST_LOG_LEVEL = env_str("REQUEST_LOG_LEVEL", "INFO")
# Registry panels computed once before the fork, not by every worker on its first topic pages.
OFFLABEL_PRIME_CACHES = env_bool("OFFLABEL_PRIME_CACHES", default=True)
LOGGING = logging_config(level=env_str("LOG_LEVEL", "WARNING"), request_level=REQUEST_LOG_LEVEL)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
