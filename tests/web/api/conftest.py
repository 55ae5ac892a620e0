from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def walker(client: Any) -> Any:
    from tests.web.api.support import SchemaWalker

    return SchemaWalker(client)
