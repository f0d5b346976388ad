"""Running the command line in-process, checking its JSON against the shipped schemas, and the
exports the tests feed it (recorded Azure responses, the access exports, generated exports)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pandas as pd
from referencing import Registry, Resource

from imagegallery.cli import main
from tests.conftest import DATA, recorded_final_states

ROOT = Path(__file__).parents[2]
SCHEMAS = ROOT / "src" / "imagegallery" / "cli" / "schemas"
ACCESS = DATA / "access"
PRICES = DATA / "pricing" / "retail-prices-gallery-recorded.json"

SUB0 = "/subscriptions/00000000-0000-0000-0000-000000000000"
E2E_GALLERY = (
    f"{SUB0}/resourceGroups/clitest.rg000001/providers/Microsoft.Compute/galleries/gallery_000003"
)
E2E_IMAGE = f"{E2E_GALLERY}/images/image1"
RG_APPS = f"{SUB0}/resourceGroups/rg-apps"
ACCESS_ARGS = (
    "--role-assignments",
    str(ACCESS / "role-assignments.json"),
    "--role-definitions",
    str(ACCESS / "role-definitions.json"),
    "--memberships",
    str(ACCESS / "memberships.json"),
    "--deny-assignments",
    str(ACCESS / "deny-assignments.json"),
)


@attrs.frozen
class Result:
    """What one run of the command line did."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def csv(self) -> pd.DataFrame:
        return pd.read_csv(io.StringIO(self.out))


def run(*argv: str, stdin: str | None = None) -> Result:
    """``imagegallery ARGV...`` in this process, with its standard streams captured."""
    out, err = io.StringIO(), io.StringIO()
    given = io.TextIOWrapper(io.BytesIO((stdin or "").encode())) if stdin is not None else None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv), stdin=given)
    return Result(code, out.getvalue(), err.getvalue())


def _strict(schema: Any) -> Any:
    """A copy in which every object that lists its properties allows no others, so that a key
    the documentation does not mention fails the test."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@cache
def _schemas() -> dict[str, Any]:
    return {
        path.name.removesuffix("-1.json"): json.loads(path.read_text())
        for path in sorted(SCHEMAS.glob("*-1.json"))
    }


@cache
def _registry() -> Registry[Any]:
    resources = [
        (schema["$id"], Resource.from_contents(_strict(copy.deepcopy(schema))))
        for schema in _schemas().values()
    ]
    return Registry().with_resources(resources)


def check_schema(document: Any, command: str) -> None:
    """``document`` follows the (strict) schema of ``command`` and names it."""
    assert document["schema"] == f"imagegallery.{command}/1"
    schema = _strict(_schemas()[command])
    validator = jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def one_line_error(result: Result, *parts: str) -> None:
    """Exit status 2, nothing on standard output, one line on standard error holding ``parts``."""
    assert result.code == 2, (result.code, result.err)
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    for part in parts:
        assert part in lines[0], (part, lines[0])


def recorded_exports(directory: Path) -> dict[str, Path]:
    """Each recorded Azure CLI session's final gallery resources, as an ARM JSON export file."""
    out = {}
    for recording in sorted((DATA / "azure-cli").glob("*.yaml")):
        path = directory / (recording.stem.removeprefix("test_") + ".json")
        path.write_text(json.dumps(recorded_final_states(recording.name)))
        out[recording.stem.removeprefix("test_")] = path
    return out


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data))
    return str(path)
