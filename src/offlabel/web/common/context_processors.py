from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from offlabel import __version__
from offlabel.web.common.extensions import nav_items_for


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the header links and the version."""
    return {"nav_items": nav_items_for(request.user), "offlabel_version": __version__}
