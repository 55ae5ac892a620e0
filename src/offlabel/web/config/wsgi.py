"""WSGI entry point for production servers.

The application is built here, and what its workers' first requests would load lazily is loaded
now (:mod:`offlabel.web.config.warmup`): under ``gunicorn --preload`` once, before the fork.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offlabel.web.config.settings.production")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after the settings module is named

from offlabel.web.config.warmup import prime_caches, warm_up  # noqa: E402 - needs the apps ready

warm_up()
if settings.OFFLABEL_PRIME_CACHES:
    prime_caches()
