"""The package's layering, checked over the source: no import cycles, imports only downwards, and
no private name imported across packages.

Layers, lowest first (a module may import from its own layer and the layers below it):

1. values: ``errors``, ``ids``, ``version_name``, ``regions``, ``enums``, ``timestamps``,
   ``speed``, ``tables`` and the core's private helpers (``_schema``, ``_codecs``, ``_fields`` ...)
2. entities: ``publishing``, ``storage``, ``status``, ``safety``, ``version``, ``definition``,
   ``gallery``, ``inventory``, ``updates``, ``quotas``
3. ``arm`` (load and dump), ``sample``
4. capabilities: ``resolve``, ``access``, ``costs`` (independent of each other), ``strategies``
5. ``planning``   6. ``review``   7. ``frames``, ``plot``   8. ``cli``, ``__main__``

The package's ``__init__`` (the export table) and the Hypothesis entry point sit above all.
Packages, for the private-name rule: the top-level modules form one package, "core"; each
subpackage is its own. Every import statement counts, also one inside a function or under
``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "imagegallery"
ROOT = "imagegallery"

# Known violations, each with the reason it is tolerated (none today). The test fails on an entry
# that no longer happens, so the list only shrinks.
ALLOWED: frozenset[str] = frozenset()

LAYERS: tuple[frozenset[str], ...] = (
    frozenset(
        {"errors", "ids", "version_name", "regions", "enums", "timestamps", "speed", "tables"}
    ),
    frozenset(
        {
            "publishing",
            "storage",
            "status",
            "safety",
            "version",
            "definition",
            "gallery",
            "inventory",
            "updates",
            "quotas",
        }
    ),
    frozenset({"arm", "sample"}),
    frozenset({"resolve", "access", "costs", "strategies"}),
    frozenset({"planning"}),
    frozenset({"review"}),
    frozenset({"frames", "plot"}),
    frozenset({"cli", "__main__"}),
)
INDEPENDENT = frozenset({"resolve", "access", "costs"})
TOP = len(LAYERS)  # the package's __init__ and the Hypothesis entry point


def module_name(path: Path) -> str:
    parts = [ROOT, *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def unit(module: str) -> str:
    """The top-level module or subpackage a module belongs to (``resolve``, ``arm`` ...)."""
    return module.split(".")[1] if "." in module else ""


def package(module: str) -> str:
    """``core`` for top-level modules, else the subpackage."""
    name = unit(module)
    return (
        name
        if f"{ROOT}.{name}" in MODULES and MODULES[f"{ROOT}.{name}"].name == "__init__.py"
        else "core"
    )


def layer(module: str) -> int:
    name = unit(module)
    if name in ("", "_hypothesis"):
        return TOP
    for index, names in enumerate(LAYERS):
        if name in names:
            return index
    if name.startswith("_") and package(module) == "core":
        return 0  # the core's private helpers sit with the values
    raise AssertionError(f"{module} is in no documented layer: add it to LAYERS")


def _exports() -> dict[str, str]:
    """Name -> defining module, for the names the package re-exports."""
    import importlib

    import imagegallery

    return {
        name: module
        for module in imagegallery._MODULES
        for name in importlib.import_module(module).__all__
    }


EXPORTS = _exports()


def imports(module: str) -> Iterator[tuple[str, str | None]]:
    """``(imported module, imported name or None)`` for every import statement of ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text())
    here = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == ROOT:
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != ROOT:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in MODULES:
                    yield sub, None
                elif base == ROOT and alias.name in EXPORTS:
                    yield EXPORTS[alias.name], alias.name
                else:
                    yield base, alias.name


GRAPH = {
    m: {target for target, _ in imports(m) if target in MODULES and target != m} for m in MODULES
}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def violations() -> set[str]:
    found = {f"cycle: {', '.join(component)}" for component in _cycles()}
    for module in MODULES:
        for target, name in imports(module):
            if target not in MODULES:
                continue
            if layer(target) > layer(module):
                found.add(f"upward: {module} imports {target}")
            a, b = unit(module), unit(target)
            if a != b and a in INDEPENDENT and b in INDEPENDENT:
                found.add(f"across capabilities: {module} imports {target}")
            private = any(part.startswith("_") for part in target.split(".")[1:]) or (
                name is not None and name.startswith("_")
            )
            if private and package(target) != package(module) and name != "__version__":
                what = f"{target}.{name}" if name else target
                found.add(f"private: {module} imports {what}")
    return found


FOUND = violations()


def test_no_cycle_no_upward_import_no_private_name_across_packages() -> None:
    new = sorted(FOUND - ALLOWED)
    assert not new, "\n".join(new)


def test_the_allow_list_holds_only_violations_that_still_happen() -> None:
    fixed = sorted(ALLOWED - FOUND)
    assert not fixed, "fixed, delete from ALLOWED:\n" + "\n".join(fixed)


def test_the_checker_sees_what_it_must() -> None:
    assert "imagegallery.arm" in GRAPH["imagegallery.sample"]
    assert "imagegallery._schema" in GRAPH["imagegallery.gallery"]
    assert EXPORTS["load_arm"] == "imagegallery.arm"
    assert (
        package("imagegallery._schema") == "core"
        and package("imagegallery.resolve.latest") == "resolve"
    )
    assert (
        layer("imagegallery._fields") == 0 and layer("imagegallery.cli._latest") == len(LAYERS) - 1
    )
