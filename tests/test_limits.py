"""Input limits: nesting depth, integer digits, finite numbers, checked without recursion."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import InvalidFieldError, LimitExceededError, MalformedJsonError
from imagegallery._frozen import freeze_json
from imagegallery._limits import MAX_DEPTH, MAX_INTEGER_DIGITS, check_json, parse_json_text


def _nested(depth: int) -> Any:
    """A value of ``depth`` levels of arrays and objects (the outermost is level 1)."""
    value: Any = 0
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


def _depth(value: Any) -> int:
    """The oracle: nesting depth, recursively (only used on shallow values)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def test_the_depth_limit_is_exact():
    check_json(_nested(MAX_DEPTH))
    with pytest.raises(LimitExceededError) as info:
        check_json(_nested(MAX_DEPTH + 1))
    assert info.value.limit == "depth" and info.value.maximum == MAX_DEPTH
    assert str(MAX_DEPTH) in str(info.value)


def test_very_deep_values_and_text_fail_on_the_limit_not_the_stack():
    with pytest.raises(LimitExceededError):
        check_json(_nested(100_000))
    with pytest.raises(LimitExceededError):
        parse_json_text("[" * 10_000 + "]" * 10_000, "")


class _Items(list[Any]):
    pass


class _Object(dict[str, Any]):
    pass


@pytest.mark.parametrize("kind", [_Items, _Object])
def test_subclasses_of_list_and_dict_are_checked_as_arrays_and_objects(kind: type) -> None:
    value: Any = 0
    for _ in range(MAX_DEPTH + 1):
        value = kind([value]) if kind is _Items else kind(k=value)
    with pytest.raises(LimitExceededError):
        check_json(value)
    with pytest.raises(LimitExceededError):
        check_json({"outer": value})
    with pytest.raises(LimitExceededError):
        freeze_json(value)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999999"])
def test_non_finite_numbers_in_text_are_refused_with_their_path(literal: str):
    parsed = parse_json_text(f'{{"a": [1, {literal}]}}', "")
    with pytest.raises(InvalidFieldError) as info:
        check_json(parsed)
    assert info.value.field == "a[1]"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_in_mappings_are_refused(number: float):
    with pytest.raises(InvalidFieldError) as info:
        check_json({"x": {"y": (number,)}})
    assert info.value.field == "x.y[0]"


def test_integer_digits_are_limited_in_values_and_text():
    check_json({"n": 10**MAX_INTEGER_DIGITS - 1})
    with pytest.raises(LimitExceededError) as info:
        check_json({"n": -(10**MAX_INTEGER_DIGITS)})
    assert info.value.field == "n" and len(str(info.value)) < 500
    with pytest.raises(LimitExceededError):
        parse_json_text("[" + "1" * 5000 + "]", "")


def test_bad_text_is_malformed_json():
    with pytest.raises(MalformedJsonError):
        parse_json_text(b"\xff\xfe[", "")
    with pytest.raises(MalformedJsonError):
        parse_json_text("[1,", "")


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=30,
)


@given(_JSON, st.integers(min_value=0, max_value=MAX_DEPTH + 3))
def test_check_agrees_with_a_recursive_depth_oracle(value: Any, wrap: int):
    for _ in range(wrap):
        value = [value]
    try:
        check_json(value)
    except LimitExceededError:
        assert _depth(value) > MAX_DEPTH
    else:
        assert _depth(value) <= MAX_DEPTH
        assert json.loads(json.dumps(value)) == value


def test_limit_errors_move_to_the_path_they_were_found_at():
    err = LimitExceededError("too deep", field="x", limit="depth", maximum=MAX_DEPTH)
    moved = err.at("[3].properties")
    assert moved.field == "[3].properties.x" and moved.limit == "depth"
    assert moved.maximum == MAX_DEPTH
