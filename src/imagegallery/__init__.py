"""imagegallery: a domain model of Azure Compute Gallery.

Galleries hold image definitions, definitions hold image versions. The library loads what Azure
tools export (ARM JSON, ``az`` output, Resource Graph rows), validates it, writes it back without
loss, and answers the questions asked of it every day.

Every public name of the modules in ``_MODULES`` (their ``__all__``) is importable from here too.
Nothing is imported with the package: the first use of a name imports the modules in
``_MODULES`` in order (lowest layer first, the access model with networkx last) until one of them
exports it, so ``import imagegallery`` stays light and each name is listed once, in the module
that defines it.

Example:
    >>> import imagegallery
    >>> inv = imagegallery.sample_inventory()
    >>> inv == imagegallery.load_arm(inv.to_arm())
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

__version__ = "0.1.0"

# The modules whose public names the package re-exports, in the order they are searched.
_MODULES: Final = (
    "imagegallery.errors",
    "imagegallery.ids",
    "imagegallery.version_name",
    "imagegallery.regions",
    "imagegallery.timestamps",
    "imagegallery.speed",
    "imagegallery.tables",
    "imagegallery.enums",
    "imagegallery.publishing",
    "imagegallery.storage",
    "imagegallery.status",
    "imagegallery.safety",
    "imagegallery.version",
    "imagegallery.definition",
    "imagegallery.gallery",
    "imagegallery.inventory",
    "imagegallery.arm",
    "imagegallery.updates",
    "imagegallery.quotas",
    "imagegallery.sample",
    "imagegallery.resolve",
    "imagegallery.costs",
    "imagegallery.planning",
    "imagegallery.review",
    "imagegallery.access",
    "imagegallery.frames",
    "imagegallery.plot",
)


def _public_names() -> list[str]:
    return [name for module in _MODULES for name in importlib.import_module(module).__all__]


if TYPE_CHECKING:
    from imagegallery.access import *  # noqa: F403
    from imagegallery.arm import *  # noqa: F403
    from imagegallery.costs import *  # noqa: F403
    from imagegallery.definition import *  # noqa: F403
    from imagegallery.enums import *  # noqa: F403
    from imagegallery.errors import *  # noqa: F403
    from imagegallery.frames import *  # noqa: F403
    from imagegallery.gallery import *  # noqa: F403
    from imagegallery.ids import *  # noqa: F403
    from imagegallery.inventory import *  # noqa: F403
    from imagegallery.planning import *  # noqa: F403
    from imagegallery.plot import *  # noqa: F403
    from imagegallery.publishing import *  # noqa: F403
    from imagegallery.quotas import *  # noqa: F403
    from imagegallery.regions import *  # noqa: F403
    from imagegallery.resolve import *  # noqa: F403
    from imagegallery.review import *  # noqa: F403
    from imagegallery.safety import *  # noqa: F403
    from imagegallery.sample import *  # noqa: F403
    from imagegallery.speed import *  # noqa: F403
    from imagegallery.status import *  # noqa: F403
    from imagegallery.storage import *  # noqa: F403
    from imagegallery.tables import *  # noqa: F403
    from imagegallery.timestamps import *  # noqa: F403
    from imagegallery.updates import *  # noqa: F403
    from imagegallery.version import *  # noqa: F403
    from imagegallery.version_name import *  # noqa: F403

    __all__: list[str]
else:

    def __getattr__(name: str) -> Any:
        if name == "__all__":
            value: Any = _public_names()
        elif name.startswith("_"):  # probes for dunder and private hooks import nothing
            raise AttributeError(f"module 'imagegallery' has no attribute {name!r}")
        else:
            for module_name in _MODULES:
                module = importlib.import_module(module_name)
                if name in module.__all__:
                    value = getattr(module, name)
                    break
            else:
                raise AttributeError(f"module 'imagegallery' has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return [*_public_names(), "__version__"]
