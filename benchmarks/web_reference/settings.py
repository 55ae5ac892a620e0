"""The production settings with the reference URLconf (``/bench/bare/`` added); nothing else."""

from offlabel.web.config.settings.production import *  # noqa: F403

ROOT_URLCONF = "web_reference.urls"
