"""Declarations of entity fields with an ARM home, one call per field.

Each helper returns an ``attrs.field`` with its ARM key (see :func:`imagegallery._schema.arm`),
its default and its validation, for the kinds of fields that recur across the entities: optional
strings, booleans, integers in a range, regions, nested objects, tags. Fields whose constructor
accepts more than the stored type (enums from text, tuples from any iterable, date-times from
text) keep an explicit ``attrs.field(converter=...)`` so that type checkers see the converter;
:func:`items` gives their metadata and validation.

Example:
    >>> import attrs
    >>> from imagegallery._schema import ArmObject
    >>> @attrs.frozen(kw_only=True)
    ... class Note(ArmObject):
    ...     text: str | None = text("text")
    >>> Note(text=1)
    Traceback (most recent call last):
    ...
    imagegallery.errors.InvalidTypeError: text: expected a string (got 1)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from imagegallery import _validators as v
from imagegallery._codecs import BOOL, INT, RAW, REGION, STR, STR_MAP
from imagegallery._schema import arm

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

__all__ = ["Validator", "flag", "items", "part", "raw", "region", "tags", "text", "whole"]


def text(key: str) -> Any:
    """An optional string."""
    return attrs.field(metadata=arm(key, STR), default=None, validator=v.optional_str)


def flag(key: str) -> Any:
    """An optional boolean."""
    return attrs.field(metadata=arm(key, BOOL), default=None, validator=v.optional_bool)


def whole(key: str, low: int = 0, high: int = v.INT32_MAX) -> Any:
    """An optional integer in ``[low, high]``."""
    return attrs.field(metadata=arm(key, INT), default=None, validator=v.int_range(low, high))


def region(key: str) -> Any:
    """An optional region, kept in ARM form."""
    return attrs.field(metadata=arm(key, REGION), default=None, converter=v.optional_region)


def part(key: str, cls: type) -> Any:
    """An optional nested object of class ``cls``."""
    return attrs.field(metadata=arm(key, cls), default=None, validator=v.optional_instance_of(cls))


def tags(key: str = "tags") -> Any:
    """Optional string tags (kept as a frozen mapping)."""
    return attrs.field(metadata=arm(key, STR_MAP), default=None, converter=v.optional_frozen_map)


def raw(key: str) -> Any:
    """An optional JSON object kept verbatim (deeply frozen)."""
    return attrs.field(metadata=arm(key, RAW), default=None, converter=v.optional_frozen_map)


def items(key: str, cls: type, *more: Validator) -> dict[str, Any]:
    """The ``metadata`` and ``validator`` of an optional array of ``cls`` (strings, enums or
    nested objects), checked by ``more`` validators too:
    ``attrs.field(default=None, converter=v.optional_tuple, **items(...))``."""
    return {"metadata": arm(key, [cls]), "validator": [v.items_of(cls), *more]}
