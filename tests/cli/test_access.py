"""The sample access facts and the command-line access report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import ImageDefinition, sample_inventory
from imagegallery.access import VERSION_READ, VM_WRITE, Effect, sample_access_model
from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET, SAMPLE_PRINCIPALS
from imagegallery.cli._access import latest_version, render_access_report

AT = datetime(2025, 7, 1, tzinfo=UTC)
P = SAMPLE_PRINCIPALS


def _definition(name: str) -> ImageDefinition:
    return next(d for d in sample_inventory().definitions() if d.name == name)


def _version(definition: str, version: str) -> str:
    return str(_definition(definition).versions[version].id)


def test_sample_facts_cover_every_level_and_effect() -> None:
    model = sample_access_model(sample_inventory())
    v = _version("myImage1", "1.0.10")
    assert model.can(P["alice"], VERSION_READ, v, at=AT).paths[0].labels == (
        "Alice",
        "Platform devs",
        "Platform",
    )
    assert model.can(P["dave"], VERSION_READ, v, at=AT).effect is Effect.DENIED
    assert model.can(P["erin"], VERSION_READ, v, at=AT).effect is Effect.ELIGIBLE
    sam = model.can(P["sam"], VERSION_READ, v, at=AT)
    assert sam.allowed
    assert str(sam.paths[0].scopes[0]).endswith("managementGroups/mg-platform")
    assert model.can(P["bob"], VERSION_READ, v, at=AT).allowed
    assert not model.can(P["bob"], VERSION_READ, _version("myImage2", "2.1.0"), at=AT).allowed
    assert model.can(P["carol"], VERSION_READ, _version("myImage3", "0.2.0"), at=AT).allowed
    assert not model.can(P["carol"], VERSION_READ, _version("myImage3", "0.1.0"), at=AT).allowed
    assert model.can(
        P["image-builder"], "Microsoft.Compute/galleries/images/versions/write", v, at=AT
    ).allowed
    assert model.can(P["deploy-pipeline"], VM_WRITE, SAMPLE_DEPLOY_TARGET, at=AT).allowed
    assert len(model.orphans()) == 1


def test_direct_share_in_the_sample_reaches_subscription_one() -> None:
    model = sample_access_model(sample_inventory())
    shared = _version("winBase", "2025.1.0")
    decision = model.can_deploy(P["dave"], shared, SAMPLE_DEPLOY_TARGET, at=AT)
    assert decision.allowed
    assert decision.requirements[0].paths[0].via == "direct-share"


def test_latest_version_falls_back_to_the_simple_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "imagegallery.resolve", None)
    found = latest_version(_definition("myImage1"), at=AT)
    assert found is not None
    assert str(found.name) == "1.0.10"


def test_report_is_short_deterministic_and_complete() -> None:
    text = render_access_report(sample_inventory(), at=AT)
    assert text == render_access_report(sample_inventory(), at=AT)
    lines = text.splitlines()
    assert len(lines) <= 40
    assert "  gallery               Yes      Yes               Yes" in lines
    assert "  image version         No       No                Yes" in lines
    rows = {
        line.split()[0]: line
        for line in lines
        if line.startswith("  myGallery/") or "Gallery/" in line
    }
    assert "Alice" in rows["myGallery/myImage1"] and "Dave" not in rows["myGallery/myImage1"]
    assert "Carol" in rows["myGallery/myImage3"]
    assert "via community" in rows["communityGallery/devTools"]
    assert "via direct-share" in rows["sharedGallery/winBase"]
    assert any(line.startswith("  Dave: denied on myGallery/myImage1") for line in lines)
    assert any(line.startswith("  Erin: eligible on ") for line in lines)
    assert lines[-1].startswith("Ignored assignments: 1")


def test_report_on_an_inventory_without_image_definitions() -> None:
    from imagegallery import load_arm
    from tests.conftest import arm_example_bodies

    body = next(b for name, _, b in arm_example_bodies() if name == "Gallery_Get.json")
    text = render_access_report(load_arm(body), at=AT)
    lines = text.splitlines()
    assert (
        lines[lines.index("Who can deploy the latest version:") + 1] == "  (no image definitions)"
    )
    assert "  gallery               Yes      Yes               Yes" in lines
