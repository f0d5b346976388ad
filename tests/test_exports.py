"""The package's export table: every public name of every exported module, importable lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import imagegallery


@pytest.mark.parametrize("module", sorted(imagegallery._EXPORTS))
def test_the_table_lists_each_modules_public_names(module: str) -> None:
    names = imagegallery._EXPORTS[module]
    assert len(set(names)) == len(names)
    assert set(names) == set(importlib.import_module(module).__all__)


def test_each_name_is_exported_once_and_resolves_to_its_module() -> None:
    assert len(imagegallery.__all__) == len(set(imagegallery.__all__))
    for module, names in imagegallery._EXPORTS.items():
        defining = importlib.import_module(module)
        for name in names:
            assert getattr(imagegallery, name) is getattr(defining, name), name
    assert set(dir(imagegallery)) == {*imagegallery.__all__, "__version__"}


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = imagegallery.no_such_name  # type: ignore[attr-defined]


def test_plain_import_loads_no_capability_and_no_networkx() -> None:
    code = (
        "import sys, imagegallery; "
        "heavy = [m for m in ('networkx', 'hypothesis', 'imagegallery.access', "
        "'imagegallery.costs', 'imagegallery.planning', 'imagegallery.resolve', "
        "'imagegallery.review') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
