"""The library's speed techniques that other packages may use (documented in ``_speed``).

:func:`paused_gc` pauses Python's cyclic garbage collector while a call builds many acyclic
objects, and restores it afterwards; :func:`parse_once` parses each distinct text of one load once
and shares the immutable result. Both change how long a call takes, never what it returns.

Example:
    >>> import gc
    >>> from imagegallery import paused_gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
"""

from __future__ import annotations

from imagegallery._speed import parse_once, paused_gc

__all__ = ["parse_once", "paused_gc"]
