"""The columnar speed techniques: compact columns read like the lists they stand for."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery._speed import Bits, Field, Repeated, as_lists, paused_gc, records

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
