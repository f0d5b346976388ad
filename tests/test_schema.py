"""The compiled readers of ``_schema`` against :func:`~imagegallery._schema.structure`, the reading
they are compiled from: on real payloads, on generated inventories, and on hostile mutations of
both, the two give the same objects (every field, the private ``_wire`` memo included) or the
same error (type, field path and message)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import ImageVersion, InvalidFieldError, load_arm
from imagegallery._codecs import Reading
from imagegallery._schema import ArmObject, ObjectCodec, structure, unstructure
from imagegallery.arm import _read_resource, iter_arm_resources
from imagegallery.strategies import inventories
from tests._fuzz import budget, mutated

CORPUS = Path(__file__).parent / "data" / "corpus"
with gzip.open(CORPUS / "bodies.json.gz", "rt", encoding="utf-8") as _stream:
    BODIES: list[dict[str, Any]] = json.load(_stream)


def _state(value: Any) -> Any:
    """Every attribute of an entity, recursively, private memos included (``==`` skips some)."""
    if attrs.has(type(value)):
        return (
            type(value).__name__,
            tuple((a.name, _state(getattr(value, a.name))) for a in attrs.fields(type(value))),
        )
    if isinstance(value, tuple):
        return tuple(_state(v) for v in value)
    if isinstance(value, dict):
        return {k: _state(v) for k, v in value.items()}
    return (type(value).__name__, value)


def _outcome(read: Any) -> Any:
    try:
        made = read()
        return ("ok", _state(made), hash(made))
    except InvalidFieldError as err:
        return ("error", type(err).__name__, err.field, str(err))


def _compare(resource: dict[str, Any], path: str = "") -> None:
    try:
        codec, arm_form, az = _read_resource(resource, path, "auto")
    except InvalidFieldError:
        return  # decided before any object is read
    assert isinstance(codec, ObjectCodec)
    fast, slow = Reading(), Reading()
    fast.az = slow.az = az
    compiled = _outcome(lambda: codec.read(arm_form, fast))
    reference = _outcome(lambda: structure(codec.spec, arm_form, slow))
    assert compiled == reference


def _resources(body: Any) -> list[dict[str, Any]]:
    try:
        return [r for _, r in iter_arm_resources(body)]
    except InvalidFieldError:
        return []


def test_compiled_readers_read_every_corpus_body_as_the_reference_does() -> None:
    compared = 0
    for entry in BODIES:
        for resource in _resources(entry["body"]):
            _compare(resource)
            compared += 1
    assert compared > 400


@given(inventories(), st.booleans())
def test_compiled_readers_read_generated_inventories_as_the_reference_does(
    inventory: Any, az: bool
) -> None:
    for resource in inventory.to_arm(shape="az" if az else "arm"):
        _compare(resource)


@budget(examples=150, long_examples=6_000)
@given(st.data())
def test_compiled_readers_fail_on_mutated_payloads_as_the_reference_does(
    data: st.DataObject,
) -> None:
    entry = data.draw(st.sampled_from(BODIES))
    for resource in _resources(data.draw(mutated(entry["body"]))):
        if isinstance(resource, dict):
            _compare(resource)


def test_a_reading_the_compiled_reader_hands_over_still_names_the_input_path() -> None:
    body = next(e["body"] for e in BODIES if e["body"].get("type", "").endswith("/versions"))
    bad = json.loads(json.dumps(body))
    bad["properties"]["publishingProfile"]["targetRegions"][0]["regionalReplicaCount"] = "2"
    with pytest.raises(InvalidFieldError) as err:
        load_arm(bad)
    assert err.value.field == "properties.publishingProfile.targetRegions[0].regionalReplicaCount"
    assert isinstance(load_arm(body).versions().__next__(), ImageVersion)


def _objects(value: Any) -> list[Any]:
    """``value`` and every ARM object nested in it."""
    found = [value]
    if attrs.has(type(value)):
        for a in attrs.fields(type(value)):
            found += _objects(getattr(value, a.name)) if a.name != "_wire" else []
    elif isinstance(value, tuple):
        for item in value:
            found += _objects(item)
    return [v for v in found if isinstance(v, ArmObject)]


def _entities(inventory: Any) -> list[Any]:
    return [*inventory.galleries(), *inventory.definitions(), *inventory.versions()]


def _assert_writers_agree(entities: Any) -> None:
    for entity in entities:
        for value in _objects(entity):
            codec = ObjectCodec(type(value))
            assert codec.write(value) == unstructure(codec.spec, value)


def test_compiled_writers_write_every_corpus_body_as_the_reference_does() -> None:
    for entry in BODIES:
        try:
            inventory = load_arm(entry["body"])
        except InvalidFieldError:
            continue
        _assert_writers_agree(_entities(inventory))


@given(inventories())
def test_compiled_writers_write_generated_inventories_as_the_reference_does(
    inventory: Any,
) -> None:
    _assert_writers_agree(_entities(inventory))
