"""``imagegallery schema``: the shipped JSON Schemas are valid and printed as shipped."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from imagegallery.cli._schema import SCHEMAS
from tests.cli._helpers import SCHEMAS as SCHEMA_DIR
from tests.cli._helpers import one_line_error, run


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_valid_and_shipped(name: str) -> None:
    text = (resources.files("imagegallery.cli") / "schemas" / f"{name}-1.json").read_text()
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == f"imagegallery.{name}/1"
    assert schema["properties"]["schema"] == {"const": f"imagegallery.{name}/1"}
    assert json.loads(run("schema", name).out) == schema
    assert json.loads(run("schema", f"imagegallery.{name}/1").out) == schema


def test_the_listing_and_an_unknown_name() -> None:
    assert run("schema").out.split() == [f"imagegallery.{n}/1" for n in SCHEMAS]
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(
        f"{n}-1.json" for n in SCHEMAS
    )
    one_line_error(run("schema", "frobnicate"), "COMMAND", "no schema 'frobnicate'")
