"""Settings for the test suite: fast hashing, mail kept in memory, tasks in-process."""

from __future__ import annotations

import os

os.environ.setdefault("OFFLABEL_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))

from offlabel.web.config.settings.base import *  # noqa: F403
from offlabel.web.config.settings.base import HUEY

DEBUG = False
# Argon2 is the production hasher (see base.py); tests hash thousands of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True, "huey_class": "huey.MemoryHuey"}
HUEY.pop("connection", None)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Every read asks the database, which sees a test's own uncommitted writes (the tests run in
# transactions that never commit); the version file is tested on its own.
OFFLABEL_CONTENT_VERSION_FILE = ""
