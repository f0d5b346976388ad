"""ImageVersionName: parsing, formatting and numeric order."""

from __future__ import annotations

import contextlib
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import ImageVersionName, InvalidVersionNameError
from imagegallery.version_name import MAX_VERSION_PART

parts = st.integers(min_value=0, max_value=MAX_VERSION_PART)


@pytest.mark.parametrize(
    "text",
    [
        "1.0",
        "1.0.0.0",
        "v1.0.0",
        "1.0.-1",
        " 1.0.0",
        "1.0.0 ",
        "1.0.2147483648",
        "latest",
        "",
        "1..0",
        "1.0.0a",
        "١.٠.٠",
        "+1.0.0",
        "1_0.0.0",
        "0x1.0.0",
    ],
)
def test_rejects_anything_but_three_32_bit_parts(text):
    with pytest.raises(InvalidVersionNameError) as info:
        ImageVersionName.parse(text)
    assert info.value.value == text
    assert isinstance(info.value, ValueError)


def test_numeric_order_not_string_order():
    assert ImageVersionName.parse("1.0.10") > ImageVersionName.parse("1.0.9")
    assert ImageVersionName.parse("2.0.0") > ImageVersionName.parse("1.99.99")
    assert ImageVersionName.parse("2147483647.2147483647.2147483647").major == MAX_VERSION_PART


def test_leading_zeros_compare_equal_but_keep_their_text():
    padded = ImageVersionName.parse("01.0.0")
    assert padded == ImageVersionName.parse("1.0.0")
    assert str(padded) == "01.0.0"


def test_constructor_validates_parts():
    assert str(ImageVersionName(1, 2, 3)) == "1.2.3"
    with pytest.raises(InvalidVersionNameError):
        ImageVersionName(1, 2, -3)
    with pytest.raises(InvalidVersionNameError):
        ImageVersionName(1, 2, True)


def test_pickle_and_non_string_input():
    v = ImageVersionName.parse("1.2.3")
    assert pickle.loads(pickle.dumps(v)) == v
    assert ImageVersionName.parse(v) is v
    with pytest.raises(InvalidVersionNameError):
        ImageVersionName.parse(123)  # type: ignore[arg-type]  # checks runtime validation


@given(parts, parts, parts)
def test_format_parse_round_trip(major, minor, patch):
    text = f"{major}.{minor}.{patch}"
    parsed = ImageVersionName.parse(text)
    assert str(parsed) == text
    assert parsed.key == (major, minor, patch)
    assert parsed == ImageVersionName(major, minor, patch)
    assert hash(parsed) == hash(ImageVersionName(major, minor, patch))


@given(st.tuples(parts, parts, parts), st.tuples(parts, parts, parts))
def test_order_agrees_with_integer_tuples(a, b):
    va = ImageVersionName.parse(".".join(map(str, a)))
    vb = ImageVersionName.parse(".".join(map(str, b)))
    assert (va < vb) == (a < b)
    assert (va <= vb) == (a <= b)
    assert (va == vb) == (a == b)
    assert (va > vb) == (a > b)


@given(st.text())
def test_parse_never_fails_with_anything_but_our_error(text):
    with contextlib.suppress(InvalidVersionNameError):
        ImageVersionName.parse(text)
