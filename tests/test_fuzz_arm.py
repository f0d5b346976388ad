"""Fuzzing the loaders, the value parsers and ``update`` with mutated real payloads.

Seeds are the real payloads kept in ``tests/data``: the corpus of recorded and documented response
bodies, the official REST examples and the final states of the ``az`` CLI recordings. Each example
mutates one seed where it nests (a value replaced by one of the wrong type, deep nesting, huge
strings and digits, non-finite numbers, keys deleted or duplicated, resources duplicated or
swapped) and feeds it to ``loads_arm`` (as text, where duplicate keys and ``NaN`` literals can be
written), ``load_arm`` (as mappings, in ARM and ``az`` shape), ``ImageVersionName.parse``,
``ResourceId.parse`` and ``update``.

Every outcome is a success or an ``ImageGalleryError`` whose message has at most 2,000
characters; a loaded inventory is written back (in ARM shape) and reads back equal, as mappings
and as text.

The budget is small by default; ``IMAGEGALLERY_FUZZ=1`` runs many more examples and prints what
was tried (``pytest tests/test_fuzz_arm.py -s``).
"""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imagegallery import (
    ImageGalleryError,
    ImageVersionName,
    ResourceId,
    load_arm,
    loads_arm,
    put,
    update,
)
from tests.conftest import RECORDINGS, arm_example_bodies, recorded_final_states

LONG = os.environ.get("IMAGEGALLERY_FUZZ", "") not in ("", "0")
BUDGET = settings(
    max_examples=6000 if LONG else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_MESSAGE = 2000
TRIED: Counter[str] = Counter()

_CORPUS = Path(__file__).parent / "data" / "corpus" / "bodies.json.gz"
with gzip.open(_CORPUS, "rt", encoding="utf-8") as _stream:
    _BODIES = [e["body"] for e in json.load(_stream) if isinstance(e["body"], dict | list)]
SEEDS: list[Any] = [
    *_BODIES,
    *(body for _, _, body in arm_example_bodies()),
    *(recorded_final_states(name) for name in RECORDINGS),
]


def _deep(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


# Values of the wrong type, size or kind; each is a function so that big ones are built on demand.
WRONG: tuple[Callable[[], Any], ...] = (
    lambda: None,
    lambda: True,
    lambda: 0,
    lambda: -1,
    lambda: 1.5,
    lambda: 2**31,
    lambda: "",
    lambda: "x",
    lambda: "1.0.0",
    lambda: "/subscriptions/0000",
    list,
    dict,
    lambda: [1, "a", None],
    lambda: {"id": 5},
    lambda: "9" * 5000,
    lambda: "a" * 100_000,
    lambda: 10**999,
    lambda: "\u0000\ud800",
    lambda: _deep(70),
    lambda: _deep(2000),
    lambda: float("nan"),
    lambda: float("inf"),
    lambda: "../" * 50 + "etc/passwd",
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into ``value`` (keys and indexes), the root first (seeds are shallow)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _copy(value: Any) -> Any:
    result: Any = json.loads(json.dumps(value))
    return result


def _mutate(data: st.DataObject, seed: Any) -> tuple[Any, str]:
    """One structure-aware mutation of a copy of ``seed``; ``(payload, what was done)``."""
    payload = _copy(seed)
    paths = list(_paths(payload))
    path = data.draw(st.sampled_from(paths))
    op = data.draw(
        st.sampled_from(["replace", "delete", "duplicate", "swap", "wrap", "rename", "nest"])
    )
    key: Any = path[-1] if path else None
    parent: Any = _at(payload, path[:-1]) if path else None
    if op == "replace" or not path:
        new = data.draw(st.sampled_from(WRONG))()
        if not path:
            return new, "replace the document"
        parent[key] = new
    elif op == "delete":
        del parent[key]
    elif op == "duplicate":
        if isinstance(parent, list):
            parent.insert(key, _copy(parent[key]))
        else:
            parent[f"{key}"] = parent.pop(key)  # moved last; the text form writes it twice
            op = "duplicate key"
    elif op == "swap":
        other = data.draw(st.sampled_from(paths))
        try:
            first, second = _copy(_at(payload, path)), _copy(_at(payload, other))
            _at(payload, other[:-1])[other[-1]] = first if other else None
            parent[key] = second
        except (KeyError, IndexError, TypeError):  # one path went away with the other
            pass
    elif op == "wrap":
        parent[key] = [parent[key]]
    elif op == "rename" and isinstance(parent, dict):
        parent[data.draw(st.sampled_from(["ID", "Properties", "value", "data", "x" * 300]))] = (
            parent.pop(key)
        )
    else:
        parent[key] = {"properties": parent[key], "value": [parent[key]]}
    return payload, op


def _text(payload: Any, data: st.DataObject) -> str:
    """``payload`` as JSON text, sometimes with a key written twice or a ``NaN`` literal."""
    try:
        text = json.dumps(payload)
    except (RecursionError, ValueError):  # deeper or longer than Python's encoder writes
        text = "[]"
    trick = data.draw(st.sampled_from(["plain", "dup", "nan", "infinity", "digits", "deep"]))
    TRIED[f"text: {trick}"] += 1
    if trick == "dup" and text.startswith("{") and len(text) > 2:
        return '{"id": "/subscriptions/0000", ' + text[1:]
    if trick == "nan":
        return text.replace("true", "NaN", 1)
    if trick == "infinity":
        return text.replace("false", "-Infinity", 1)
    if trick == "digits":
        return text.replace("1", "1" * 4400, 1)
    if trick == "deep":
        return "[" * 5000 + text + "]" * 5000
    return text


def _refused(err: ImageGalleryError) -> None:
    """An accepted failure: a library error with a short message."""
    assert len(str(err)) <= MAX_MESSAGE, (type(err).__name__, len(str(err)))
    TRIED[f"refused: {type(err).__name__}"] += 1


def _expect_error_or_round_trip(call: Callable[[], Any]) -> None:
    try:
        inventory = call()
    except ImageGalleryError as err:
        _refused(err)
        return
    TRIED["loaded"] += 1
    assert load_arm(inventory.to_arm()) == inventory
    assert loads_arm(json.dumps(inventory.to_arm(), allow_nan=False)) == inventory


@BUDGET
@given(st.data())
def test_mutated_payloads_load_or_fail_as_library_errors(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS))
    payload, op = _mutate(data, seed)
    TRIED[f"mutation: {op}"] += 1
    TRIED["payloads"] += 1
    _expect_error_or_round_trip(lambda: load_arm(payload))
    _expect_error_or_round_trip(lambda: loads_arm(_text(payload, data)))


@BUDGET
@given(st.data())
def test_mutated_az_output_loads_or_fails_as_library_errors(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS))
    try:
        az = load_arm(seed).to_arm(shape="az")
    except ImageGalleryError:
        return
    payload, op = _mutate(data, az)
    TRIED[f"az mutation: {op}"] += 1
    TRIED["payloads"] += 1
    _expect_error_or_round_trip(
        lambda: load_arm(payload, shape=data.draw(st.sampled_from(["auto", "az"])))
    )


_NAME_PARTS = st.sampled_from(
    ["0", "1", "01", "2147483647", "2147483648", "9" * 5000, "", "-1", " "]
)


@BUDGET
@given(st.lists(_NAME_PARTS, min_size=1, max_size=5), st.sampled_from([".", "", "..", "\u0660"]))
def test_version_name_parsing_fails_as_library_errors(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    TRIED["version names"] += 1
    try:
        name = ImageVersionName.parse(text)
    except ImageGalleryError as err:
        _refused(err)
        return
    assert str(name) == text and ImageVersionName.parse(str(name)) == name


_SEGMENTS = st.sampled_from(
    [
        "subscriptions",
        "0000",
        "resourceGroups",
        "rg",
        "providers",
        "Microsoft.Compute",
        "galleries",
        "g1",
        "images",
        "img",
        "versions",
        "1.0.0",
        "1" * 5000 + ".0.0",
        "",
        " x",
        "SharedGalleries",
        "Images",
        "Versions",
        "a" * 10_000,
    ]
)


@BUDGET
@given(st.lists(_SEGMENTS, max_size=12), st.booleans())
def test_resource_id_parsing_fails_as_library_errors(segments: list[str], lead: bool) -> None:
    text = ("/" if lead else "") + "/".join(segments)
    TRIED["resource ids"] += 1
    try:
        rid = ResourceId.parse(text)
    except ImageGalleryError as err:
        _refused(err)
        return
    assert str(rid) == text and ResourceId.parse(text.upper()) == rid
    list(rid.ancestors())


_INVENTORY = load_arm(recorded_final_states(RECORDINGS[0]))
_ENTITIES = [*_INVENTORY.versions(), *_INVENTORY.definitions(), *_INVENTORY.galleries()]
_PROPERTIES = [
    "description",
    "tags",
    "target_regions",
    "replica_count",
    "exclude_from_latest",
    "end_of_life_date",
    "publishing_profile",
    "safety_profile",
    "recommended",
    "features",
    "release_note_uri",
    "identity",
    "allow_deletion_of_replicated_locations",
    "location",
    "nonsense",
    "_wire",
]


@BUDGET
@given(st.sampled_from(_ENTITIES), st.sampled_from(_PROPERTIES), st.data())
def test_updates_give_reloadable_entities_or_library_errors(
    entity: Any, prop: str, data: st.DataObject
) -> None:
    value = data.draw(st.sampled_from(WRONG))()
    TRIED["updates"] += 1
    try:
        changed = update(entity, **{prop: value})
    except ImageGalleryError as err:
        _refused(err)
        return
    TRIED["updates accepted"] += 1
    inventory = put(_INVENTORY, changed)
    assert loads_arm(json.dumps(inventory.to_arm(), allow_nan=False)) == inventory


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if LONG:
        print("\narm fuzzing:")
        for key, count in sorted(TRIED.items()):
            print(f"  {key}: {count:,}")
