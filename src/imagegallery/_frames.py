"""The data-frame builder behind every ``to_dataframe()`` (the ``pandas`` extra).

It turns a result's columns into a :class:`pandas.DataFrame`, typing each column by its name in
:data:`COLUMN_TYPES`; :mod:`imagegallery.frames` documents the types and is the public face.
pandas is imported on the first call, never with this module.

Columns may be plain sequences or the compact columns of :mod:`imagegallery._speed`: a
:class:`~imagegallery._speed.Repeated` column is converted once per stored value and gathered by
index, a :class:`~imagegallery._speed.Bits` column is read from its flags with one vectorized
mask, and numbers that repeat as the same objects are converted once each.

Example:
    >>> frame = dataframe({"region": ["eastus", None], "replicas": [2, 1]})
    >>> frame["region"].dtype.name, frame["replicas"].dtype.name, len(frame)
    ('category', 'int64', 2)
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from imagegallery._speed import Bits, Field, Repeated, paused_gc
from imagegallery.errors import InvalidTypeError, MissingExtraError

if TYPE_CHECKING:
    import numpy
    import pandas

__all__ = ["COLUMN_TYPES", "ColumnType", "dataframe"]

_SAMPLE: Final = 256
"""Values looked at to tell whether a column of numbers reuses the same objects."""


class ColumnType(enum.Enum):
    """The type a column gets in a data frame.

    Example:
        >>> COLUMN_TYPES["region"], COLUMN_TYPES["monthly"].value
        (<ColumnType.CATEGORY: 'category'>, 'decimal')
    """

    CATEGORY = "category"
    """``category``: a small vocabulary (regions, storage types, enumerations, shared names)."""
    STRING = "string"
    """pandas' string dtype (``str`` on pandas 3, ``object`` on pandas 2)."""
    DATETIME = "datetime"
    """``datetime64[..., UTC]``: timezone-aware, converted to UTC."""
    DECIMAL = "decimal"
    """``float64``, or :class:`~decimal.Decimal` objects (``object``) with ``exact=True``."""
    INT = "int"
    """``int64``."""
    NULLABLE_INT = "nullable int"
    """``Int64`` (pandas' integer with missing values)."""
    FLOAT = "float"
    """``float64`` (missing values are ``NaN``)."""
    BOOL = "bool"
    """``bool``."""


_C, _S, _D, _M = ColumnType.CATEGORY, ColumnType.STRING, ColumnType.DATETIME, ColumnType.DECIMAL
_I, _N, _F, _B = ColumnType.INT, ColumnType.NULLABLE_INT, ColumnType.FLOAT, ColumnType.BOOL

COLUMN_TYPES: Final[Mapping[str, ColumnType]] = MappingProxyType(
    {
        # where a row is
        "subscription_id": _C,
        "resource_group": _C,
        "gallery": _C,
        "definition": _C,
        "version": _S,
        "gallery_id": _S,
        "definition_id": _S,
        "version_id": _S,
        "region": _C,
        "source_region": _C,
        "location": _C,
        # inventory facts
        "target_regions": _S,
        "region_count": _I,
        "replicas": _I,
        "storage_type": _C,
        "default_storage_type": _C,
        "excluded_from_latest": _B,
        "exclude_from_latest": _B,
        "replication_state": _C,
        "aggregated_replication_state": _C,
        "replication_mode": _C,
        "published_date": _D,
        "end_of_life_date": _D,
        "provisioned_gb": _N,
        "used_gb": _F,
        "data_disks": _I,
        "publisher": _S,
        "offer": _S,
        "sku": _S,
        "os_type": _C,
        "os_state": _C,
        "hyper_v_generation": _C,
        "architecture": _C,
        "security_type": _C,
        "versions": _I,
        "highest_version": _S,
        "description": _S,
        "sharing": _C,
        "soft_delete": _B,
        "definitions": _I,
        # resolution
        "verdict": _C,
        "reasons": _S,
        "reason_kinds": _S,
        "notes": _S,
        # access
        "principal": _S,
        "principal_label": _S,
        "action": _S,
        "resource": _S,
        "at": _D,
        "effect": _C,
        "allowed": _B,
        "part_of": _C,
        "path": _C,
        "via": _C,
        "path_effect": _C,
        "chain": _S,
        "holder": _S,
        "role": _S,
        "deny_assignment": _S,
        "pattern": _S,
        "scope": _S,
        "note": _S,
        "warnings": _S,
        "grants": _I,
        "denials": _I,
        "roles": _S,
        # costs
        "size_gb": _M,
        "size_source": _C,
        "unit_price": _M,
        "monthly": _M,
        "egress_gb": _M,
        "egress_unit_price": _M,
        "egress": _M,
        "currency": _C,
        "storage_type_assumed": _B,
        "price_estimated": _B,
        "size_estimated": _B,
        "storage_verified": _B,
        "egress_verified": _B,
        "shallow": _B,
        "kind": _C,
        # what-if
        "change": _C,
        "reason": _S,
        "replicas_before": _I,
        "replicas_after": _I,
        "monthly_before": _M,
        "monthly_after": _M,
        "new_copy_egress": _M,
        "latest_before": _S,
        "latest_after": _S,
    }
)
"""Column name → its type in a data frame, for every column of every table of the library.
Columns with other names (in records of your own) keep pandas' inference."""


def dataframe(columns: Mapping[str, Sequence[Any]], *, exact: bool = False) -> pandas.DataFrame:
    """A :class:`pandas.DataFrame` of equally long ``columns``, typed by :data:`COLUMN_TYPES`.

    Args:
        columns: Column name → values (other names keep pandas' inference).
        exact: Keep :attr:`ColumnType.DECIMAL` columns as :class:`~decimal.Decimal` objects.

    Raises:
        MissingExtraError: pandas is not installed.
        InvalidTypeError: The columns differ in length.
    """
    pd, np = _modules()
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise InvalidTypeError(
            "the columns differ in length",
            field="data",
            value={name: len(values) for name, values in columns.items()},
        )
    builder = _Builder(pd, np, exact=exact)
    with paused_gc():
        arrays = {
            name: builder.column(values, COLUMN_TYPES.get(name)) for name, values in columns.items()
        }
        frame: pandas.DataFrame = pd.DataFrame(arrays, copy=False)
    return frame


def _modules() -> tuple[Any, Any]:
    try:
        import numpy as np  # noqa: PLC0415 - the pandas extra is optional
        import pandas as pd  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError(
            "to_dataframe() needs pandas, which is not installed:"
            " pip install 'imagegallery[pandas]'",
            name="pandas",
        ) from None
    return pd, np


class _Builder:
    """Converts columns for one frame; index arrays and flag fields are converted once."""

    def __init__(self, pd: Any, np: Any, *, exact: bool) -> None:
        self.pd = pd
        self.np = np
        self.exact = exact
        self.string_dtype: Any = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
        self._indexes: dict[int, numpy.ndarray[Any, Any]] = {}
        self._fields: dict[tuple[int, int], numpy.ndarray[Any, Any]] = {}

    def column(self, values: Sequence[Any], kind: ColumnType | None) -> Any:
        if kind is None:
            return list(values)
        if isinstance(values, Repeated):
            stored = self.column(values.values, kind)
            index = self._index(values.positions)
            if kind is ColumnType.CATEGORY:  # gather the codes; the categories stay as they are
                return self.pd.Categorical.from_codes(
                    stored.codes.take(index), dtype=stored.dtype, validate=False
                )
            return stored.take(index)
        if isinstance(values, Bits) and kind is ColumnType.BOOL:
            return (self._field(values.rows, values.position) & values.mask) != 0
        return _CONVERTERS[kind](self, values)

    def _index(self, index: Sequence[int]) -> numpy.ndarray[Any, Any]:
        found = self._indexes.get(id(index))
        if found is None:
            found = self._indexes[id(index)] = self.np.fromiter(index, self.np.intp, len(index))
        return found

    def _field(self, rows: Sequence[Sequence[Any]], position: int) -> numpy.ndarray[Any, Any]:
        key = (id(rows), position)
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = self.np.fromiter(
                Field(rows, position), self.np.int64, len(rows)
            )
        return found

    # -- one converter per column type ---------------------------------------------------------

    def category(self, values: Sequence[Any]) -> Any:
        # One pass in C: each value maps to the row where it first appears; those rows are then
        # ranked by their value (sorted categories) to give the codes.
        np = self.np
        first_row: dict[Any, int] = {}
        rows = np.fromiter(
            map(first_row.setdefault, values, itertools.count()), np.intp, len(values)
        )
        missing = first_row.pop(None, None)
        found = list(first_row)
        with contextlib.suppress(TypeError):  # values that do not sort together stay in order
            found.sort()
        code_of_row = np.full(len(values) + 1, -1, dtype=np.int32)
        code_of_row[[first_row[v] for v in found]] = np.arange(len(found), dtype=np.int32)
        if missing is not None:
            code_of_row[missing] = -1
        dtype = self.pd.CategoricalDtype(found)
        return self.pd.Categorical.from_codes(code_of_row[rows], dtype=dtype, validate=False)

    def string(self, values: Sequence[Any]) -> Any:
        objects = self.np.empty(len(values), dtype=object)
        objects[:] = list(values)
        if self.string_dtype is object:
            return objects
        return self.pd.array(objects, dtype=self.string_dtype)

    def datetime(self, values: Sequence[Any]) -> Any:
        return self.pd.to_datetime(list(values), utc=True).array

    def decimal(self, values: Sequence[Any]) -> Any:
        if self.exact:
            objects = self.np.empty(len(values), dtype=object)
            objects[:] = list(values)
            return objects
        return self.floats(values)

    def integer(self, values: Sequence[Any]) -> Any:
        try:
            return self.np.fromiter(values, self.np.int64, len(values))
        except TypeError:  # a missing value
            return self.nullable_integer(values)

    def nullable_integer(self, values: Sequence[Any]) -> Any:
        return self.pd.array(list(values), dtype="Int64")

    def floats(self, values: Sequence[Any]) -> Any:
        np = self.np
        sample = values[:_SAMPLE]
        if len(set(map(id, sample))) * 4 <= len(sample):
            # The same objects repeat (a price on every line of its region): convert each
            # distinct value once. A Decimal keeps its hash once computed, so for reused objects
            # the look-ups cost far less than the conversions they save; for fresh objects they
            # would cost more, hence the sample.
            converted = {v: math.nan if v is None else float(v) for v in dict.fromkeys(values)}
            return np.fromiter(map(converted.__getitem__, values), np.float64, len(values))
        try:
            return np.fromiter(map(float, values), np.float64, len(values))
        except TypeError:  # a missing value
            return np.fromiter(
                (math.nan if v is None else float(v) for v in values), np.float64, len(values)
            )

    def boolean(self, values: Sequence[Any]) -> Any:
        np = self.np
        if any(v is None for v in values):
            return self.pd.array(list(values), dtype="boolean")
        return np.fromiter(values, np.bool_, len(values))


_CONVERTERS: Final[Mapping[ColumnType, Callable[[_Builder, Sequence[Any]], Any]]] = {
    ColumnType.CATEGORY: _Builder.category,
    ColumnType.STRING: _Builder.string,
    ColumnType.DATETIME: _Builder.datetime,
    ColumnType.DECIMAL: _Builder.decimal,
    ColumnType.INT: _Builder.integer,
    ColumnType.NULLABLE_INT: _Builder.nullable_integer,
    ColumnType.FLOAT: _Builder.floats,
    ColumnType.BOOL: _Builder.boolean,
}
