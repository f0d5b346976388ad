"""``imagegallery diff OLD NEW``: the review of a change, in every format, with exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imagegallery.sample import sample_inventory
from imagegallery.updates import remove, update_in
from tests.cli._helpers import ACCESS_ARGS, E2E_IMAGE, check_schema, one_line_error, run, write

AT = ("--at", "2025-03-01T00:00:00Z")


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """The sample, and the sample without ``myImage1/1.0.9`` and with ``1.0.10`` excluded."""
    directory = tmp_path_factory.mktemp("diff")
    old = sample_inventory()
    image1 = next(old.definitions())
    new = remove(old, image1.versions["1.0.9"].id)
    new = update_in(new, image1.versions["1.0.10"].id, exclude_from_latest=True)
    return (
        write(directory / "old.json", old.to_arm()),
        write(directory / "new.json", new.to_arm()),
        str(image1.versions["1.0.9"].id),
    )


def test_a_change_in_every_format(change: tuple[str, str, str]) -> None:
    old, new, pinned = change
    args = ("diff", old, new, *AT, "-r", "eastus", "-r", "westeurope", "--reference", pinned)
    text = run(*args)
    assert text.code == 0
    assert "Latest moves (2):" in text.out
    assert "  myGallery/myImage1  westeurope  1.0.10 -> 1.0.0" in text.out
    assert "Broken references (2):" in text.out
    document = run(*args, "--format", "json").json()
    check_schema(document, "diff")
    assert document["counts"]["latest_moves"] == 2
    assert [(b["region"], b["error_type"]) for b in document["broken_references"]] == [
        ("eastus", "ImageVersionNotFoundError"),
        ("westeurope", "ImageVersionNotFoundError"),
    ]
    table = run(*args, "--format", "csv").csv()
    assert set(table["section"]) == {"resource", "property", "latest", "reference", "cost"}


def test_fail_on_conditions_and_regions(change: tuple[str, str, str]) -> None:
    old, new, _ = change
    assert run("diff", old, new, *AT, "--fail-on", "latest-moved").code == 1
    assert run("diff", old, new, *AT, "--fail-on", "latest-moved", "-r", "northeurope").code == 0
    assert run("diff", old, new, *AT, "--fail-on", "reference-broken").code == 0
    assert run("diff", old, old, *AT, "--fail-on", "changed").code == 0
    assert run("diff", old, new, *AT, "--fail-on", "changed").code == 1


def test_access_gained_and_lost_on_a_recorded_gallery(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    old = exports["gallery_e2e"]
    resources = json.loads(old.read_text())
    new = write(
        tmp_path / "new.json",
        [r for r in resources if r["id"].lower() != f"{E2E_IMAGE}/versions/1.1.3".lower()],
    )
    result = run("diff", str(old), new, *AT, *ACCESS_ARGS, "--format", "json")
    assert result.code == 0
    document = result.json()
    check_schema(document, "diff")
    moves = {(m["region"], m["before"], m["after"]) for m in document["latest_moves"]}
    assert moves == {("eastus2", "1.1.3", "1.1.2")}
    # Bob is denied 1.1.3 but may read 1.1.2, which latest gives in eastus2 after the change.
    changes = {(a["principal"], a["change"], a["region"]) for a in document["access"]}
    assert ("7a0e3d52-1c4b-4f8e-9b2a-5d6c7e8f9a02", "gained", "eastus2") in changes


def test_bad_input_names_the_side(tmp_path: Path, change: tuple[str, str, str]) -> None:
    old, _, pinned = change
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    one_line_error(run("diff", old, str(broken)), "broken.json", "not valid JSON")
    one_line_error(run("diff", old, old, "--reference", pinned), "--reference", "--region")
    one_line_error(run("diff", old, old, "-r", "eastus", "--reference", "x"), "--reference")
    one_line_error(run("diff", old), "NEW")
