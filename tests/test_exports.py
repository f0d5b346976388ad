"""The package's re-exports: every public name of every listed module, found lazily."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections import Counter

import pytest

import imagegallery


def test_each_public_name_is_exported_by_one_module_only() -> None:
    counts = Counter(
        name for module in imagegallery._MODULES for name in importlib.import_module(module).__all__
    )
    assert [name for name, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("module", imagegallery._MODULES)
def test_every_public_name_of_a_module_resolves_to_it(module: str) -> None:
    defining = importlib.import_module(module)
    for name in defining.__all__:
        assert getattr(imagegallery, name) is getattr(defining, name), name


def test_all_and_dir_list_every_name() -> None:
    names = [n for m in imagegallery._MODULES for n in importlib.import_module(m).__all__]
    assert imagegallery.__all__ == names
    assert set(dir(imagegallery)) == {*names, "__version__"}


def test_unknown_and_private_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = imagegallery.no_such_name  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="_repr_html_"):
        _ = imagegallery._repr_html_  # type: ignore[attr-defined]


def _imported_after(statement: str) -> list[str]:
    heavy = (
        "networkx",
        "hypothesis",
        "imagegallery.access",
        "imagegallery.costs",
        "imagegallery.planning",
        "imagegallery.resolve",
        "imagegallery.arm",
    )
    code = (
        f"import json, sys, imagegallery; {statement}; "
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found: list[str] = json.loads(out.stdout)
    return found


def test_plain_import_loads_no_capability() -> None:
    assert _imported_after("pass") == []


def test_a_name_loads_only_the_layers_up_to_its_module() -> None:
    assert _imported_after("imagegallery.ResourceId") == []
    assert "networkx" not in _imported_after("imagegallery.estimate_cost")
