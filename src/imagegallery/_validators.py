"""attrs converters and validators that raise the library's own errors.

Each raises an :class:`~imagegallery.errors.InvalidFieldError` whose ``field`` is the attribute
name; loaders translate it into the ARM path of the value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from imagegallery._frozen import EMPTY, FrozenDict, freeze_json
from imagegallery.errors import (
    InvalidDatetimeError,
    InvalidFieldError,
    InvalidTypeError,
    NaiveDatetimeError,
)
from imagegallery.regions import normalize_region

INT32_MAX = 2**31 - 1


def parse_datetime(text: str | datetime) -> datetime:
    """Parse an ISO 8601 date-time that carries a UTC offset (7-digit fractions are truncated).

    Example:
        >>> parse_datetime("2024-08-26T09:05:29.0464492+00:00").microsecond
        46449
    """
    if isinstance(text, datetime):
        if text.tzinfo is None or text.utcoffset() is None:
            raise NaiveDatetimeError("a date-time must carry a UTC offset", value=text)
        return text
    if type(text) is not str:
        raise InvalidTypeError("expected an ISO 8601 date-time string", value=text)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDatetimeError("not an ISO 8601 date-time", value=text) from None
    if value.tzinfo is None:
        raise NaiveDatetimeError(
            "a date-time must carry a UTC offset ('Z' or '+00:00'); the library never guesses",
            value=text,
        )
    return value


def optional_datetime(value: str | datetime | None) -> datetime | None:
    """attrs converter: ``None`` or an aware datetime."""
    if value is None:
        return None
    return parse_datetime(value)


def moment(value: object, field: str = "at") -> datetime:
    """A timezone-aware moment given as an argument; ``None`` means now.

    Example:
        >>> from datetime import UTC
        >>> moment(datetime(2025, 3, 1, tzinfo=UTC)).isoformat()
        '2025-03-01T00:00:00+00:00'
        >>> moment(datetime(2025, 3, 1))
        Traceback (most recent call last):
        ...
        imagegallery.errors.NaiveDatetimeError: at: must be timezone-aware ...
    """
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, datetime):
        raise InvalidTypeError("expected a timezone-aware datetime", field=field, value=value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            "must be timezone-aware (for example datetime.now(UTC)); the library never guesses",
            field=field,
            value=value,
        )
    return value


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
    return tuple(value)


def optional_tuple(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    """attrs converter: ``None`` stays ``None``; any iterable becomes a tuple."""
    return None if value is None else tuple_of(value)


def frozen_map(value: Mapping[str, Any] | None) -> FrozenDict[Any]:
    """attrs converter: a deeply frozen mapping (``None`` is empty)."""
    if value is EMPTY or value is None:
        return EMPTY
    if type(value) is FrozenDict:
        return value
    if not isinstance(value, Mapping):
        raise InvalidTypeError("expected a mapping", value=value)
    frozen: FrozenDict[Any] = freeze_json(dict(value))
    return frozen


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


def optional_bool(_inst: Any, attribute: attrs.Attribute[Any], value: bool | None) -> None:
    """attrs validator: ``None`` or a bool."""
    if value is not None and type(value) is not bool:
        raise InvalidTypeError("expected true or false", field=attribute.name, value=value)


def optional_str(_inst: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """attrs validator: ``None`` or a str."""
    if value is not None and type(value) is not str:
        raise InvalidTypeError("expected a string", field=attribute.name, value=value)


def instance_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: an instance of ``cls`` (our error, not attrs' TypeError)."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise InvalidTypeError(f"expected {cls.__name__}", field=attribute.name, value=value)

    return check


def optional_instance_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: ``None`` or an instance of ``cls``."""
    inner = instance_of(cls)

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attribute, value)

    return check


def items_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator: ``None`` or a tuple whose items are instances of ``cls``."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise InvalidTypeError(
                    f"expected {cls.__name__}", field=f"{attribute.name}[{i}]", value=item
                )

    return check
