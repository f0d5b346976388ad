"""Exports for the command-line tests: recorded Azure responses and a generated large export."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.test_arm_load import generate_export

from tests.cli._helpers import recorded_exports


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{name: path}`` of an ARM export per recorded Azure CLI session (``gallery_e2e`` ...)."""
    return recorded_exports(tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="session")
def large_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated export as ``az`` prints it: one gallery, 20 definitions, 3,000 versions in
    three regions."""
    path = tmp_path_factory.mktemp("large") / "large.json"
    path.write_text(generate_export(3_000))
    return path
