"""Start Django for the commands that need the database."""

from __future__ import annotations

import os

DEFAULT_SETTINGS = "offlabel.web.config.settings.base"


def setup_django() -> None:
    """Configure Django once, honouring ``DJANGO_SETTINGS_MODULE`` when it is set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
