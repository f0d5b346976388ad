"""Typed data frames: every column of every table has its documented type and its values."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings

from imagegallery import InvalidTypeError, Inventory, MissingExtraError, sample_inventory
from imagegallery.access import VERSION_READ, sample_access_model
from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET
from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
from imagegallery.costs import PriceSheet, estimate_cost
from imagegallery.frames import COLUMN_TYPES, ColumnType, to_dataframe
from imagegallery.planning import KeepLatest, what_if
from imagegallery.resolve import explain_latest
from imagegallery.strategies import inventories

AT = datetime(2025, 3, 1, tzinfo=UTC)
DOCS = Path(__file__).parents[1] / "docs" / "notebooks.md"


def _tables() -> dict[str, Callable[[], Any]]:
    """Every table of the library, by the heading that documents it."""
    inv = sample_inventory()
    model = sample_access_model(inv)
    version = next(inv.versions()).id
    report = estimate_cost(inv)
    result = what_if(inv, KeepLatest(2), at=AT)
    definition = next(inv.definitions())
    return {
        'Inventory, level="regions"': inv.to_dataframe,
        'Inventory, level="versions"': lambda: inv.to_dataframe("versions"),
        'Inventory, level="definitions"': lambda: inv.to_dataframe("definitions"),
        'Inventory, level="galleries"': lambda: inv.to_dataframe("galleries"),
        "Resolution": lambda: explain_latest(definition, region="eastus", at=AT).to_dataframe(),
        "Decision": lambda: model.can_deploy(
            P["dave"], version, SAMPLE_DEPLOY_TARGET
        ).to_dataframe(),
        "AccessMap": lambda: model.who_can(VERSION_READ, version, at=AT).to_dataframe(),
        "CostReport": report.to_dataframe,
        'WhatIf, table="changes"': result.to_dataframe,
        'WhatIf, table="latest"': lambda: result.to_dataframe("latest"),
    }


def _has_type(series: pd.Series[Any], kind: ColumnType) -> bool:
    return bool(_matches(series, kind))


def _matches(series: pd.Series[Any], kind: ColumnType) -> Any:
    dtype = series.dtype
    if kind is ColumnType.CATEGORY:
        return isinstance(dtype, pd.CategoricalDtype)
    if kind is ColumnType.STRING:
        return pd.api.types.is_string_dtype(dtype) or series.isna().all()
    if kind is ColumnType.DATETIME:
        return isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC"
    if kind is ColumnType.DECIMAL:
        return dtype == "float64"
    if kind is ColumnType.INT:
        return dtype == "int64"
    if kind is ColumnType.NULLABLE_INT:
        return dtype == "Int64"
    if kind is ColumnType.FLOAT:
        return dtype == "float64"
    return dtype == "bool"


@pytest.mark.parametrize("name", list(_tables()))
def test_every_column_has_its_declared_type(name: str) -> None:
    frame = _tables()[name]()
    assert len(frame) > 0
    for column in frame.columns:
        assert column in COLUMN_TYPES, column
        assert _has_type(frame[column], COLUMN_TYPES[column]), (column, frame[column].dtype)


def _documented() -> dict[str, list[tuple[str, str]]]:
    """Heading → the (column, type) rows of the table under it in docs/notebooks.md."""
    found: dict[str, list[tuple[str, str]]] = {}
    heading = None
    for line in DOCS.read_text().splitlines():
        if line.startswith("#### "):
            heading = line[5:].strip().strip("`")
            found[heading] = []
        elif heading and (m := re.match(r"\| `(\w+)` \| (\w[\w ]*) \|", line)):
            found[heading].append((m.group(1), m.group(2).strip()))
    return found


def test_the_documented_columns_are_the_columns() -> None:
    documented = _documented()
    tables = _tables()
    assert set(documented) == set(tables)
    for name, make in tables.items():
        frame = make()
        assert [c for c, _ in documented[name]] == list(frame.columns), name
        assert all(COLUMN_TYPES[c].value == kind for c, kind in documented[name]), name


def test_column_types_mean_one_thing_per_name() -> None:
    assert {kind.value for kind in COLUMN_TYPES.values()} == {k.value for k in ColumnType}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in COLUMN_TYPES)


def test_amounts_are_the_nearest_floats_or_exact() -> None:
    report = estimate_cost(sample_inventory())
    records = report.to_records()
    floats = report.to_dataframe()
    exact = report.to_dataframe(exact=True)
    for column in ("monthly", "egress", "unit_price", "size_gb", "egress_gb"):
        assert floats[column].tolist() == [float(r[column]) for r in records]
        assert exact[column].tolist() == [r[column] for r in records]
        assert all(isinstance(v, Decimal) for v in exact[column])
    assert exact["monthly"].sum() == report.monthly_storage


def _normal(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _same_rows(frame: pd.DataFrame, records: list[dict[str, Any]]) -> None:
    assert list(frame.columns) == list(records[0]) if records else True
    assert len(frame) == len(records)
    got = [{k: _normal(v) for k, v in row.items()} for row in frame.to_dict("records")]
    want = [
        {k: float(v) if isinstance(v, Decimal) else _normal(v) for k, v in row.items()}
        for row in records
    ]
    assert got == want


@settings(max_examples=30)
@given(inventories(max_galleries=2, max_definitions=2, max_versions=3))
def test_frames_hold_the_values_of_the_records(inventory: Inventory) -> None:
    for level in ("regions", "versions", "definitions", "galleries"):
        _same_rows(inventory.to_dataframe(level), inventory.to_records(level))
    report = estimate_cost(inventory, PriceSheet.default().with_fallback())
    _same_rows(report.to_dataframe(), report.to_records())


def test_records_of_your_own_and_other_columns() -> None:
    frame = to_dataframe([{"region": "eastus", "score": 1}, {"region": None, "extra": "x"}])
    assert list(frame.columns) == ["region", "score", "extra"]
    assert isinstance(frame["region"].dtype, pd.CategoricalDtype)
    assert frame["region"].isna().tolist() == [False, True]
    assert frame["score"].tolist()[0] == 1
    by_columns = to_dataframe({"replicas": [1, None], "allowed": [True, None]})
    assert by_columns["replicas"].dtype == "Int64"
    assert by_columns["allowed"].dtype == "boolean"
    assert len(to_dataframe(sample_inventory())) == 24  # a result with to_columns()


def test_empty_tables_keep_their_columns() -> None:
    frame = Inventory().to_dataframe("versions")
    assert len(frame) == 0
    assert "published_date" in frame.columns
    assert isinstance(frame["published_date"].dtype, pd.DatetimeTZDtype)


def test_bad_input_is_a_library_error() -> None:
    with pytest.raises(InvalidTypeError, match="length"):
        to_dataframe({"a": [1], "b": [1, 2]})
    with pytest.raises(InvalidTypeError):
        to_dataframe(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        to_dataframe({"a": 1})  # type: ignore[dict-item]


def test_without_pandas_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"imagegallery\[pandas\]") as caught:
        sample_inventory().to_dataframe()
    assert isinstance(caught.value, ImportError)
    assert caught.value.name == "pandas"


def test_the_column_table_is_read_only() -> None:
    assert isinstance(COLUMN_TYPES, Mapping)
    with pytest.raises(TypeError):
        COLUMN_TYPES["x"] = ColumnType.STRING  # type: ignore[index]
