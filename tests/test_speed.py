"""The load's interner never lets one JSON object stand in for another that is written differently."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imagegallery._speed import Interner

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
