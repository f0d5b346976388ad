"""The ``hypothesis`` entry point: teaches ``st.from_type`` about the library's types.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported (the entry point is declared
in ``pyproject.toml``). The hook does no work beyond registering, for each type, a function that
builds the strategy from :mod:`imagegallery.strategies` the first time ``st.from_type`` asks for
it, so importing Hypothesis stays cheap and never draws anything.

Example:
    >>> from hypothesis import strategies as st
    >>> from imagegallery import ImageVersion
    >>> from imagegallery.strategies import REGIONS
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(st.from_type(ImageVersion))
    ... def check(version):
    ...     assert version.location in REGIONS
    >>> check()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["_hypothesis_setup_hook"]

_REGISTRY = (
    ("imagegallery.version_name", "ImageVersionName", "version_names"),
    ("imagegallery.publishing", "TargetRegion", "target_regions"),
    ("imagegallery.version", "ImageVersion", "image_versions"),
    ("imagegallery.definition", "ImageDefinition", "image_definitions"),
    ("imagegallery.gallery", "Gallery", "galleries"),
    ("imagegallery.inventory", "Inventory", "inventories"),
)


def _deferred(factory_name: str) -> Callable[[type[Any]], Any]:
    def build(_cls: type[Any]) -> Any:
        import importlib

        strategies = importlib.import_module("imagegallery.strategies")
        return getattr(strategies, factory_name)()

    return build


def _hypothesis_setup_hook() -> None:
    """Register the library's strategies with ``st.register_type_strategy``."""
    import importlib

    from hypothesis import strategies as st

    for module_name, type_name, factory_name in _REGISTRY:
        cls = getattr(importlib.import_module(module_name), type_name)
        st.register_type_strategy(cls, _deferred(factory_name))
