"""The speed techniques: the load's interner never lets one JSON object stand in for another that
is written differently, and compact columns read like the lists they stand for."""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery._speed import (
    Bits,
    Field,
    Interner,
    Patterned,
    Repeated,
    as_lists,
    paused_gc,
    records,
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, -1, 0.0, -0.0, 1.0, -1.0, 1e16, 10**16]),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(["", "eastus", "East US", "1", "true"]),
)
OBJECTS = st.dictionaries(st.sampled_from(["name", "count", "flag", "size"]), SCALARS, max_size=3)


@given(st.lists(OBJECTS, min_size=1, max_size=12))
def test_a_shared_object_is_one_read_from_the_same_json_text(objects: list[dict[str, Any]]) -> None:
    interner = Interner()
    built: dict[int, str] = {}
    kept = []
    for data in objects:
        key, hit = interner.find(dict, data)
        text = json.dumps(data)
        if hit is not None:
            assert built[id(hit)] == text  # the oracle: the same JSON text
            continue
        made = dict(data)
        kept.append(made)
        built[id(made)] = text
        if key is not None:
            interner.share(key, made)


def test_nested_values_and_fractions_are_never_shared() -> None:
    interner = Interner()
    assert interner.find(dict, {"source": {"id": "x"}}) == (None, None)
    assert interner.find(dict, {"size": 0.5}) == (None, None)
    key, hit = interner.find(dict, {"name": "eastus"})
    assert key is not None and hit is None
    interner.share(key, "made")
    assert interner.find(dict, {"name": "eastus"})[1] == "made"
    assert Interner().find(dict, {"name": "eastus"})[1] is None  # a new load starts empty


rows_st = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 15), st.text(max_size=3)))


@given(st.lists(st.text(max_size=3), min_size=1), st.data())
def test_repeated_reads_values_through_positions(values: list[str], data: st.DataObject) -> None:
    positions = data.draw(st.lists(st.integers(0, len(values) - 1)))
    column = Repeated(values, positions)
    expected = [values[p] for p in positions]
    assert list(column) == expected
    assert len(column) == len(expected)
    assert [column[i] for i in range(-len(expected), len(expected))] == expected + expected
    assert column[1:3] == expected[1:3]


@given(rows_st)
def test_field_and_bits_read_row_tuples(rows: list[tuple[int, int, str]]) -> None:
    assert list(Field(rows, 2)) == [r[2] for r in rows]
    for mask in (1, 2, 4, 8, 12):
        bits = Bits(rows, 1, mask)
        assert list(bits) == [bool(r[1] & mask) for r in rows]
        assert [bits[i] for i in range(len(rows))] == list(bits)


@given(rows_st)
def test_records_and_lists_match_a_row_by_row_oracle(rows: list[tuple[int, int, str]]) -> None:
    columns: dict[str, Sequence[Any]] = {
        "name": Repeated(["a", "b", "c", "d"], Field(rows, 0)),
        "flag": Bits(rows, 1, 4),
        "text": Field(rows, 2),
        "plain": [r[1] for r in rows],
    }
    oracle = [
        {"name": "abcd"[r[0]], "flag": bool(r[1] & 4), "text": r[2], "plain": r[1]} for r in rows
    ]
    assert records(columns) == oracle
    assert as_lists(columns) == {k: [row[k] for row in oracle] for k in columns}
    assert all(list(row) == list(columns) for row in records(columns))


def test_out_of_range_and_unequal_columns_raise() -> None:
    column = Repeated(["a"], [0, 0])
    with pytest.raises(IndexError):
        column[2]
    with pytest.raises(ValueError, match="zip"):
        records({"a": [1, 2], "b": [1]})
    assert records({}) == []
    assert "rows=2" in repr(column)


def test_records_leave_the_collector_as_they_found_it() -> None:
    records({"a": [1]})
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@given(
    st.lists(st.tuples(st.integers(0, 5), st.text(max_size=2)), min_size=1, max_size=6),
    st.data(),
)
def test_patterned_rows_are_their_head_and_shared_rest(
    patterns: list[tuple[int, str]], data: st.DataObject
) -> None:
    positions = data.draw(st.lists(st.integers(0, len(patterns) - 1)))
    heads = data.draw(st.lists(st.integers(0, 9), min_size=len(positions), max_size=len(positions)))
    rows = Patterned(heads, patterns, positions)
    oracle = tuple((h, *patterns[p]) for h, p in zip(heads, positions, strict=True))
    assert tuple(rows) == oracle
    assert len(rows) == len(oracle)
    assert [rows[i] for i in range(-len(oracle), len(oracle))] == list(oracle) * 2
    assert rows[1:3] == list(oracle[1:3])
    assert rows == oracle and oracle == rows and rows == Patterned(heads, patterns, positions)
    assert hash(rows) == hash(oracle)
    assert rows != list(oracle) and (rows != oracle[:-1] if oracle else rows == ())
    assert list(Field(rows, 0)) == list(heads)
