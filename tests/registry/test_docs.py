"""The registry core's examples in docstrings run and hold."""

import doctest
import importlib

import pytest

MODULES = ["scales", "progress", "frames", "tables", "deidentify"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"offlabel.registry.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
