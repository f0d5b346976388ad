"""The layering of resolve, costs, planning and strategies, read from the source (AST), not run.

* imports point downwards: resolve and costs use neither each other nor anything above them;
  planning uses both; strategies only the entities;
* no import cycle goes through these packages, counting imports inside functions;
* no import inside a function (a way of hiding a cycle);
* no private name (``_x``) is imported from another package, and the command line's reports of
  these capabilities use their public names only (besides the command line's own plumbing).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "imagegallery"
CHECKED = ("resolve", "costs", "planning", "strategies")
CLI_REPORTS = ("imagegallery.cli._latest", "imagegallery.cli._cost")
# What each checked package must not import (its own layer and the layers above it).
FORBIDDEN = {
    "resolve": {"costs", "access", "planning", "review", "frames", "plot", "cli", "strategies"},
    "costs": {"resolve", "access", "planning", "review", "frames", "plot", "cli", "strategies"},
    "planning": {"access", "review", "frames", "plot", "cli", "strategies"},
    "strategies": {"resolve", "costs", "access", "planning", "review", "frames", "plot", "cli"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted((SRC / ROOT).rglob("*.py"))}


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(module: str) -> Iterator[tuple[str, tuple[str, ...], bool]]:
    """(imported module, imported names, inside a function) for each import of the library."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    package = module if _is_package(module) else module.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool) -> Iterator[tuple[str, tuple[str, ...], bool]]:
        for child in ast.iter_child_nodes(node):
            if _type_checking_block(child):
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == ROOT:
                        yield alias.name, (), in_function
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                if target.split(".")[0] == ROOT:
                    yield target, tuple(alias.name for alias in child.names), in_function
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from visit(child, inner)

    yield from visit(tree, False)


def _edges(module: str) -> set[str]:
    out: set[str] = set()
    for target, names, _ in _imports(module):
        out.add(target)
        out.update(f"{target}.{name}" for name in names if f"{target}.{name}" in MODULES)
    return out & set(MODULES)


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


CHECKED_MODULES = sorted(m for m in MODULES if _package_of(m) in CHECKED or m in CLI_REPORTS)


@pytest.mark.parametrize("module", CHECKED_MODULES)
def test_imports_point_downwards_and_stay_at_module_level(module: str) -> None:
    package = _package_of(module)
    for target, _names, in_function in _imports(module):
        assert not in_function, f"{module} imports {target} inside a function"
        if package in FORBIDDEN:
            assert _package_of(target) not in FORBIDDEN[package], f"{module} imports {target}"


@pytest.mark.parametrize("module", CHECKED_MODULES)
def test_no_private_name_is_imported_from_another_package(module: str) -> None:
    package = _package_of(module)
    for target, names, _ in _imports(module):
        if _package_of(target) == package and module not in CLI_REPORTS:
            continue
        if module in CLI_REPORTS and _package_of(target) == "cli":
            continue  # the command line's own shared plumbing; capabilities by public names
        segments = target.split(".")[1:]
        if module in CLI_REPORTS:
            private = [s for s in segments if s.startswith("_")]
        else:  # the root package's own private modules are shared by every layer
            private = [s for s in segments[1:] if s.startswith("_")]
        private += [name for name in names if name.startswith("_")]
        assert not private, f"{module} imports private {private} from {target}"


def _cycle_through(start: str) -> list[str] | None:
    """A path of imports from ``start`` back to itself, or ``None``."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in _edges(node):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


@pytest.mark.parametrize("module", CHECKED_MODULES)
def test_no_import_cycle_goes_through_the_module(module: str) -> None:
    assert _cycle_through(module) is None


def test_the_checks_see_the_code() -> None:
    assert {"imagegallery.resolve.latest", "imagegallery.costs.sheet"} <= set(CHECKED_MODULES)
    assert "imagegallery.resolve.latest" in _edges("imagegallery.planning.whatif") | {
        t for e in _edges("imagegallery.planning.whatif") for t in _edges(e)
    }
    assert ("imagegallery.resolve", ("definition_regions", "latest_by_region"), False) in set(
        _imports("imagegallery.planning.whatif")
    )
