"""Shared test configuration: Hypothesis profiles and paths to recorded payloads."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    parent=settings.get_profile("ci"),
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

GALLERY_TYPES = frozenset(
    {
        "microsoft.compute/galleries",
        "microsoft.compute/galleries/images",
        "microsoft.compute/galleries/images/versions",
    }
)


def arm_example_bodies() -> Iterator[tuple[str, str, Any]]:
    """``(file name, status code, response body)`` of every official REST example."""
    for path in sorted((DATA / "arm").glob("*.json")):
        document = json.loads(path.read_text())
        for status, response in document["responses"].items():
            if "body" in response:
                yield path.name, status, response["body"]


def recorded_final_states(name: str) -> list[dict[str, Any]]:
    """The final state of every gallery, definition and version in one az CLI recording."""
    document = yaml.safe_load((DATA / "azure-cli" / name).read_text())
    final: dict[str, dict[str, Any]] = {}
    for interaction in document["interactions"]:
        text = interaction["response"]["body"]["string"]
        if not text:
            continue
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            continue
        items = (
            body["value"]
            if isinstance(body, dict) and isinstance(body.get("value"), list)
            else [body]
        )
        for item in items:
            if isinstance(item, dict) and str(item.get("type", "")).lower() in GALLERY_TYPES:
                final[item["id"].lower()] = item
    return list(final.values())


RECORDINGS = sorted(p.name for p in (DATA / "azure-cli").glob("*.yaml"))


@pytest.fixture
def canonical() -> Any:
    """Normalize JSON for comparison: key order and list order of top-level resources."""

    def normalize(resources: list[dict[str, Any]]) -> list[str]:
        return sorted(json.dumps(r, sort_keys=True) for r in resources)

    return normalize
