"""Registry fixtures: the world's records under the names the registry tests use."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def person(world: Any) -> Any:
    """The world's patient's own record (shared with the world's clinician)."""
    return world.person


@pytest.fixture
def dog(world: Any) -> Any:
    """The world's owner's dog Rex (shared with the world's vet, view only)."""
    return world.dog


@pytest.fixture
def second_owner(world: Any) -> Any:
    """An owner with a dog of their own, shared with no one."""
    return world.other_owner
