"""attrs converters and validators that raise the library's own errors.

Each raises an :class:`~imagegallery.errors.InvalidFieldError` whose ``field`` is the attribute
name; loaders translate it into the ARM path of the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from imagegallery._frozen import EMPTY, FrozenDict, StringMap, freeze_json
from imagegallery.errors import (
    ConstraintViolationError,
    InvalidFieldError,
    InvalidNameError,
    InvalidResourceIdError,
    InvalidTypeError,
)
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.regions import normalize_region

__all__ = [
    "INT32_MAX",
    "check_name",
    "frozen_map",
    "id_of_kind",
    "instance_of",
    "int_range",
    "items_of",
    "optional_bool",
    "optional_frozen_map",
    "optional_instance_of",
    "optional_region",
    "optional_str",
    "optional_tuple",
    "region",
    "string_map",
    "tuple_of",
    "unique_luns",
]

INT32_MAX = 2**31 - 1

_F = TypeVar("_F", bound=Callable[..., Any])


def _checks_type(*types: type, items: bool = False) -> Callable[[_F], _F]:
    """Mark a validator that checks nothing but the type: that the value is ``None`` or of one
    of ``types`` exactly (with ``items``: a tuple of such values). The compiled readers of
    :mod:`imagegallery._schema` skip such a validator for values whose codec only ever produces
    those types (they still run every other validator)."""

    def mark(check: _F) -> _F:
        setattr(check, "type_check", (types, items))  # noqa: B010
        return check

    return mark


def region(value: str) -> str:
    """attrs converter: a region in ARM form."""
    return normalize_region(value)


def optional_region(value: str | None) -> str | None:
    """attrs converter: ``None`` or a region in ARM form."""
    return None if value is None else normalize_region(value)


def tuple_of(value: Iterable[Any] | None) -> tuple[Any, ...]:
    """attrs converter: any iterable (``None`` is empty) to a tuple."""
    if value is None:
        return ()
    if type(value) is tuple:
        return value
    if isinstance(value, str | bytes | Mapping):
        raise InvalidTypeError("expected a sequence", value=value)
    try:
        return tuple(value)
    except TypeError:
        raise InvalidTypeError("expected a sequence", value=value) from None


def optional_tuple(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    """attrs converter: ``None`` stays ``None``; any iterable becomes a tuple."""
    return None if value is None else tuple_of(value)


def frozen_map(value: Mapping[str, Any] | None) -> FrozenDict[Any]:
    """attrs converter: a deeply frozen mapping (``None`` is empty)."""
    if value is EMPTY or value is None:
        return EMPTY
    if type(value) is FrozenDict or type(value) is StringMap:
        return value
    if not isinstance(value, Mapping):
        raise InvalidTypeError("expected a mapping", value=value)
    frozen: FrozenDict[Any] = freeze_json(dict(value))
    return frozen


def string_map(
    _inst: Any, attribute: attrs.Attribute[Any], value: Mapping[str, Any] | None
) -> None:
    """attrs validator: ``None`` or a mapping of strings to strings (tags)."""
    if not value or type(value) is StringMap:  # read from JSON: checked as it was read
        return
    for key, item in value.items():
        if type(key) is not str:
            raise InvalidTypeError("expected a string key", field=attribute.name, value=key)
        if type(item) is not str:
            raise InvalidTypeError("expected a string", field=f"{attribute.name}.{key}", value=item)


def optional_frozen_map(value: Mapping[str, Any] | None) -> FrozenDict[Any] | None:
    """attrs converter: ``None`` stays ``None``, else :func:`frozen_map`."""
    return None if value is None else frozen_map(value)


def int_range(
    low: int, high: int = INT32_MAX
) -> Callable[[Any, attrs.Attribute[Any], int | None], None]:
    """attrs validator: ``None`` or an int in ``[low, high]`` (bool is not an int)."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is None:
            return
        if type(value) is not int:
            raise InvalidTypeError("expected an integer", field=attribute.name, value=value)
        if not low <= value <= high:
            raise InvalidFieldError(
                f"must be between {low} and {high}", field=attribute.name, value=value
            )

    return check


@_checks_type(bool)
def optional_bool(_inst: Any, attribute: attrs.Attribute[Any], value: bool | None) -> None:
    """attrs validator: ``None`` or a bool."""
    if value is not None and type(value) is not bool:
        raise InvalidTypeError("expected true or false", field=attribute.name, value=value)


@_checks_type(str)
def optional_str(_inst: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """attrs validator: ``None`` or a str."""
    if value is not None and type(value) is not str:
        raise InvalidTypeError("expected a string", field=attribute.name, value=value)


def instance_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: an instance of ``cls`` (our error, not attrs' TypeError)."""

    @_checks_type(cls)
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise InvalidTypeError(f"expected {cls.__name__}", field=attribute.name, value=value)

    return check


def optional_instance_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: ``None`` or an instance of ``cls``."""
    inner = instance_of(cls)

    @_checks_type(cls)
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attribute, value)

    return check


def items_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: ``None`` or a tuple whose items are instances of ``cls``."""

    @_checks_type(cls, items=True)
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise InvalidTypeError(
                    f"expected {cls.__name__}", field=f"{attribute.name}[{i}]", value=item
                )

    return check


def check_name(name: object, pattern: re.Pattern[str], rule: str) -> str:
    """``name`` if it is a string that ``pattern`` matches whole, else :class:`InvalidNameError`
    stating ``rule``."""
    if type(name) is not str or not pattern.fullmatch(name):
        raise InvalidNameError(rule, value=name)
    return name


def unique_luns(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: ``None`` or disks (or disk encryptions) with distinct ``lun`` values."""
    seen: set[int] = set()
    for i, item in enumerate(value or ()):
        if item.lun in seen:
            raise ConstraintViolationError(
                "duplicate LUN", field=f"{attribute.name}[{i}].lun", value=item.lun
            )
        seen.add(item.lun)


def id_of_kind(
    kind: ResourceKind,
    name_rule: Callable[[str], object] | None = None,
    *,
    proxies: tuple[ResourceKind, ...] = (),
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: a :class:`ResourceId` of ``kind`` whose name passes ``name_rule``, or
    one of the consumer-view ``proxies`` kinds (whose names are the service's, not checked)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, ResourceId) and value.kind in proxies:
            return
        if not isinstance(value, ResourceId) or value.kind is not kind:
            raise InvalidResourceIdError(
                f"expected the id of a {kind.value} (/subscriptions/{{sub}}/resourceGroups/{{rg}}"
                "/providers/Microsoft.Compute/galleries/...)",
                field=attribute.name,
                value=str(value),
            )
        if name_rule is not None:
            try:
                name_rule(value.name)
            except InvalidNameError as err:
                raise err.at(attribute.name) from None

    return check
