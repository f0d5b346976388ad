"""The speed techniques the library relies on, in one place.

Each technique here is invisible in results: it changes how long a call takes, never what it
returns, and it leaves no state behind between calls.

* :func:`paused_gc`: the cyclic garbage collector is paused while a call builds many acyclic
  objects (loading an inventory, building the access model's indexes). Python's collector scans
  the growing heap again and again while millions of small containers are allocated; none of
  them can be in a reference cycle, so those scans find nothing and cost as much as the building
  itself. The collector is re-enabled on exit (if it was enabled on entry), also on error.

Example:
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Use it only around code that builds acyclic objects: anything it allocates in a cycle is
    collected later, not lost, but the point of pausing is that nothing needs collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
