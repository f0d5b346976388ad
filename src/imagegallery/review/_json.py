"""Conversions of result values to JSON-ready and record-ready values."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from imagegallery.ids import ResourceId
from imagegallery.version_name import ImageVersionName

__all__ = ["cell", "json_ready", "name_or_none"]


def json_ready(value: Any) -> Any:
    """``value`` with library types made JSON types: ids, names, moments and money as text.

    Decimals become strings so that no digit is lost; datetimes ISO 8601 text.

    Example:
        >>> from datetime import UTC, datetime
        >>> json_ready({"a": Decimal("0.4250"), "b": (datetime(2025, 1, 1, tzinfo=UTC), None)})
        {'a': '0.4250', 'b': ['2025-01-01T00:00:00+00:00', None]}
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_ready(value.value)
    if isinstance(value, ResourceId | ImageVersionName):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_ready(v) for v in value]
    return str(value)


def cell(value: Any) -> Any:
    """A value for a flat record: scalars as they are, objects and lists as compact JSON text.

    Example:
        >>> cell(3), cell("Standard_ZRS"), cell({"name": "eastus"}), cell(None)
        (3, 'Standard_ZRS', '{"name":"eastus"}', None)
    """
    if value is None or isinstance(value, bool | int | float | str | Decimal):
        return value
    return json.dumps(json_ready(value), separators=(",", ":"), sort_keys=False)


def name_or_none(name: ImageVersionName | None) -> str | None:
    """A version name as text, or ``None``."""
    return None if name is None else str(name)
