"""The shape of the access package: its modules import each other in one direction only, at the
top of the module, and the command line reaches it through public names only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "src/imagegallery/access"
ORDER = [
    "actions",
    "records",
    "decision",
    "sharing",
    "graph",
    "loaders",
    "_rules",
    "model",
    "sample",
    "__init__",
]
"""Every module of the package, lowest first: a module imports only modules before it."""


def _imports(tree: ast.Module) -> list[tuple[ast.stmt, str]]:
    """``(statement, imported module)`` for each import of an ``imagegallery`` module."""
    found: list[tuple[ast.stmt, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, a.name) for a in node.names if a.name.startswith("imagegallery")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("imagegallery"):
            module = node.module or ""
            found.append((node, module))
            if module == "imagegallery.access":  # from imagegallery.access import _rules, ...
                found += [(node, f"{module}.{a.name}") for a in node.names]
    return found


def test_the_order_lists_every_module() -> None:
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted(ORDER)


@pytest.mark.parametrize("name", ORDER)
def test_modules_import_downwards_only_and_at_the_top(name: str) -> None:
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    for node, module in _imports(tree):
        assert node in tree.body, f"{name} imports {module} inside a function or block"
        parts = module.split(".")
        if parts[:2] != ["imagegallery", "access"] or len(parts) < 3:
            continue
        assert parts[2] in ORDER[: ORDER.index(name)], f"{name} imports {module}"


def test_modules_outside_take_no_private_name_from_the_package() -> None:
    source = PACKAGE.parent
    for path in source.rglob("*.py"):
        if PACKAGE in path.parents:
            continue
        for node, module in _imports(ast.parse(path.read_text())):
            if not module.startswith("imagegallery.access"):
                continue
            assert not any(part.startswith("_") for part in module.split(".")), (path, module)
            if isinstance(node, ast.ImportFrom):
                names = [a.name for a in node.names]
                assert not any(n.startswith("_") for n in names), (path, names)
