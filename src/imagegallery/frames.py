"""Typed pandas data frames of the library's tables (the ``pandas`` extra).

Every result of the library gives its table as ``to_records()`` (plain dicts) and
``to_columns()`` (name → list); ``to_dataframe()`` builds a :class:`pandas.DataFrame` with a
type per column, chosen by the column's name in :data:`COLUMN_TYPES` (a name means the same kind
of fact in every table):

* **category**: regions, storage types, enumerations, and the subscription, resource group,
  gallery and definition names that many rows share (categories sorted, missing values ``NaN``);
* **string**: ids, version names, descriptions, reasons (pandas' string dtype: ``str`` on
  pandas 3, ``object`` on pandas 2);
* **datetime**: timezone-aware, converted to UTC (``datetime64[..., UTC]``; missing ``NaT``);
* **decimal**: money and billed sizes, ``float64`` (the nearest float of the exact amount), or
  the exact :class:`~decimal.Decimal` objects (``object`` dtype) with ``exact=True``;
* **int** (``int64``), **nullable int** (``Int64``), **float** (``float64``, missing ``NaN``) and
  **bool** (``bool``).

pandas is imported when a frame is first built, never by ``import imagegallery``; without it,
:class:`~imagegallery.errors.MissingExtraError` names the extra to install. The builder
itself sits with the values (:mod:`imagegallery.tables`), so that results at every layer can
offer ``to_dataframe()``; this module is where users find it, with the column types.

Example:
    >>> from imagegallery import sample_inventory
    >>> df = sample_inventory().to_dataframe()
    >>> df[["definition", "version", "region", "replicas"]].head(3)
      definition version       region  replicas
    0   myImage1   1.0.0   westeurope         2
    1   myImage1   1.0.0  northeurope         1
    2   myImage1   1.0.9   westeurope         2
    >>> df["region"].dtype.name, df["published_date"].dt.tz, df["replicas"].dtype.name
    ('category', datetime.timezone.utc, 'int64')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from imagegallery._frames import COLUMN_TYPES, ColumnType, dataframe
from imagegallery.errors import InvalidTypeError

if TYPE_CHECKING:
    import pandas

__all__ = ["COLUMN_TYPES", "ColumnType", "to_dataframe"]


class _HasColumns(Protocol):
    def to_columns(self) -> Mapping[str, Sequence[Any]]: ...


def to_dataframe(
    data: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]] | _HasColumns,
    *,
    exact: bool = False,
) -> pandas.DataFrame:
    """A typed :class:`pandas.DataFrame` of a table.

    The results' own ``to_dataframe()`` methods call this; call it directly on records you
    filtered or built yourself.

    Args:
        data: Columns (name → sequence of values), records (a sequence of dicts; the columns
            are the keys in order of first appearance, a key missing from a row is a missing
            value), or a result with ``to_columns()``.
        exact: Keep amounts (:attr:`ColumnType.DECIMAL` columns) as exact
            :class:`~decimal.Decimal` objects instead of ``float64``.

    Returns:
        One column per key, typed by :data:`COLUMN_TYPES`, with a default range index.

    Raises:
        MissingExtraError: pandas is not installed (``pip install 'imagegallery[pandas]'``).
        InvalidTypeError: ``data`` is none of those, or the columns differ in length.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> records = [r for r in estimate_cost(sample_inventory()).to_records() if r["replicas"] > 1]
        >>> df = to_dataframe(records)
        >>> len(df), df["monthly"].dtype.name, df["storage_type"].dtype.name
        (10, 'float64', 'category')
        >>> to_dataframe(records, exact=True)["monthly"].sum()
        Decimal('27.3640')
    """  # noqa: E501
    return dataframe(_as_columns(data), exact=exact)


def _as_columns(data: object) -> Mapping[str, Sequence[Any]]:
    to_columns = getattr(data, "to_columns", None)
    if callable(to_columns):
        data = to_columns()
    if isinstance(data, Mapping):
        if all(
            isinstance(k, str) and isinstance(v, Sequence) and not isinstance(v, str | bytes)
            for k, v in data.items()
        ):
            return data
        raise InvalidTypeError("expected column names mapped to sequences", field="data")
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        rows = list(data)
        if all(isinstance(row, Mapping) for row in rows):
            names = dict.fromkeys(k for row in rows for k in row)
            return {name: [row.get(name) for row in rows] for name in names}
    raise InvalidTypeError(
        "expected columns, records or a result with to_columns()",
        field="data",
        value=type(data).__name__,
    )
