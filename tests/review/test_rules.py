"""Each lint rule: an inventory that triggers it and one that does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from imagegallery import Inventory, QuotaLimits, ResourceId
from imagegallery.access import AccessModel, RoleAssignment
from imagegallery.planning import ExpectedLoad
from imagegallery.review import RULES, LintConfig, LintFinding, lint, rule
from tests.review import _build as b
from tests.review._build import AT, FUTURE, PAST, PROD

Case = Callable[[], tuple[Inventory, dict[str, Any]]]
"""An inventory and extra arguments for ``lint``."""


def _one(*versions: Any, **definition: Any) -> Inventory:
    return b.inventory(b.definition(versions, **definition))


def _prod(*versions: Any) -> tuple[Inventory, dict[str, Any]]:
    return _one(*versions, tags=PROD), {}


def _access(inventory: Inventory, scope: str) -> dict[str, Any]:
    model = AccessModel(
        inventory,
        role_assignments=[
            RoleAssignment(scope=scope, principal_id="ann", role_definition_id="Reader")
        ],
    )
    return {"access": model}


_VERSION_ID = f"{b.GALLERY}/images/app/versions/1.0.0"

TRIGGERS: dict[str, tuple[Case, int]] = {
    "no-eligible-latest": (lambda: (_one(b.version(exclude=True)), {}), 1),
    "replication-failed": (
        lambda: (
            _one(b.version(regions=["westeurope", "eastus"], states={"eastus": "Failed"})),
            {},
        ),
        1,
    ),
    "replica-limits": (
        lambda: (_one(b.version(regions=[("westeurope", 51, None, None)])), {}),
        1,
    ),
    "quota-exceeded": (
        lambda: (
            _one(b.version("1.0.0"), b.version("1.0.1")),
            {"config": LintConfig(quota_limits=QuotaLimits(versions=1))},
        ),
        1,
    ),
    "production-min-replicas": (
        lambda: _prod(b.version(regions=[("westeurope", 2, None, None)])),
        1,
    ),
    "replicas-for-load": (
        lambda: (
            _one(b.version(regions=[("westeurope", 2, None, None)])),
            {"config": LintConfig(expected_load=ExpectedLoad(concurrent_vms=100))},
        ),
        1,
    ),
    "production-zone-redundant": (
        lambda: _prod(b.version(regions=[("westeurope", 3, "Standard_LRS", None)])),
        1,
    ),
    "production-deletion-protection": (
        lambda: _prod(
            b.version(regions=[("westeurope", 3, "Standard_ZRS", None)], allow_region_deletion=True)
        ),
        1,
    ),
    "definition-past-end-of-life": (lambda: (_one(b.version(), end_of_life=PAST), {}), 1),
    "latest-past-end-of-life": (lambda: (_one(b.version(end_of_life=PAST)), {}), 1),
    "replication-slow": (
        lambda: (
            _one(b.version(states={"westeurope": "Replicating"}, published=AT - timedelta(days=2))),
            {},
        ),
        1,
    ),
    "version-level-sharing": (lambda: (inv := _one(b.version()), _access(inv, _VERSION_ID)), 1),
    "quota-near-limit": (
        lambda: (
            _one(b.version("1.0.0"), b.version("1.0.1")),
            {"config": LintConfig(quota_limits=QuotaLimits(versions=10), quota_threshold=0.2)},
        ),
        1,
    ),
    "shallow-replication": (lambda: (_one(b.version(mode="Shallow")), {}), 1),
    "end-of-life-missing": (lambda: (_one(b.version()), {}), 2),
    "latest-in-one-region": (
        lambda: (
            _one(
                b.version(
                    regions=[
                        "westeurope",
                        ("eastus", None, None, True),
                        ("northeurope", None, None, True),
                    ]
                )
            ),
            {},
        ),
        1,
    ),
    "source-region-unusual": (
        lambda: (
            _one(
                b.version("1.0.0"),
                b.version("1.0.1"),
                b.version("1.0.2", regions=["eastus", "westeurope"]),
            ),
            {},
        ),
        1,
    ),
    "location-mismatch": (lambda: (_one(b.version(), location="eastus"), {}), 1),
}

CLEAN: dict[str, Case] = {
    "no-eligible-latest": lambda: (
        _one(b.version("1.0.0", exclude=True), b.version("0.9.0")),
        {},
    ),
    "replication-failed": lambda: (
        _one(b.version(regions=["westeurope", "eastus"], states={"eastus": "Completed"})),
        {},
    ),
    "replica-limits": lambda: (_one(b.version(regions=[("westeurope", 50, None, None)])), {}),
    "quota-exceeded": lambda: (
        _one(b.version("1.0.0"), b.version("1.0.1")),
        {"config": LintConfig(quota_limits=QuotaLimits(versions=2))},
    ),
    # Enough replicas where latest is; the older version's single replica does not matter.
    "production-min-replicas": lambda: _prod(
        b.version("1.0.1", regions=[("westeurope", 3, None, None)]),
        b.version("1.0.0", regions=[("westeurope", 1, None, None)]),
    ),
    "replicas-for-load": lambda: (
        _one(b.version(regions=[("westeurope", 5, None, None)])),
        {"config": LintConfig(expected_load=ExpectedLoad(concurrent_vms=100))},
    ),
    # ZRS where the region has zones; LRS in a region without zones.
    "production-zone-redundant": lambda: _prod(
        b.version(
            regions=[
                ("westeurope", 3, "Standard_ZRS", None),
                ("westcentralus", 3, "Standard_LRS", None),
            ]
        )
    ),
    "production-deletion-protection": lambda: (
        _one(b.version(allow_region_deletion=True)),  # not production
        {},
    ),
    "definition-past-end-of-life": lambda: (_one(b.version(), end_of_life=FUTURE), {}),
    "latest-past-end-of-life": lambda: (
        _one(b.version("1.0.0", end_of_life=PAST), b.version("1.1.0")),
        {},
    ),
    "replication-slow": lambda: (
        _one(
            b.version(
                regions=["westeurope", "eastus"],
                states={"westeurope": "Replicating", "eastus": "Failed"},
                published=AT - timedelta(hours=1),
            )
        ),
        {},
    ),
    "version-level-sharing": lambda: (inv := _one(b.version()), _access(inv, b.GALLERY)),
    "quota-near-limit": lambda: (
        _one(b.version("1.0.0"), b.version("1.0.1")),
        {"config": LintConfig(quota_limits=QuotaLimits(versions=10), quota_threshold=0.5)},
    ),
    "shallow-replication": lambda: (
        _one(b.version(mode="Shallow"), tags={"Environment": "Test"}),
        {},
    ),
    "end-of-life-missing": lambda: (_one(b.version(end_of_life=FUTURE), end_of_life=FUTURE), {}),
    "latest-in-one-region": lambda: (
        _one(b.version(regions=["westeurope", ("eastus", None, None, True)])),
        {},
    ),
    "source-region-unusual": lambda: (
        _one(b.version("1.0.0"), b.version("1.0.1", regions=["eastus", "westeurope"])),
        {},
    ),
    "location-mismatch": lambda: (_one(b.version()), {}),
}


def _run(rule_id: str, case: Case) -> list[LintFinding]:
    inventory, options = case()
    report = lint(inventory, at=AT, rules=[rule_id], **options)
    assert report.rules == (rule_id,)
    return list(report)


@pytest.mark.parametrize("rule_id", [r.id for r in RULES])
def test_the_rule_triggers(rule_id: str) -> None:
    case, count = TRIGGERS[rule_id]
    findings = _run(rule_id, case)
    assert len(findings) == count, findings
    for finding in findings:
        assert finding.rule == rule_id
        assert finding.severity is rule(rule_id).severity
        assert finding.source == rule(rule_id).source and finding.hint == rule(rule_id).hint
        assert finding.message


@pytest.mark.parametrize("rule_id", [r.id for r in RULES])
def test_the_rule_stays_quiet(rule_id: str) -> None:
    assert _run(rule_id, CLEAN[rule_id]) == []


@pytest.mark.parametrize("rule_id", [r.id for r in RULES])
def test_every_rule_cites_a_document_and_says_how_to_fix(rule_id: str) -> None:
    r = rule(rule_id)
    assert "product documents" in r.source or "azure-gallery.md" in r.source or "Learn" in r.source
    assert r.hint.endswith(".") and r.title
    assert r.to_record()["id"] == rule_id


def test_messages_name_what_was_found() -> None:
    inventory, _ = TRIGGERS["production-min-replicas"][0]()
    (finding,) = lint(inventory, at=AT, rules=["production-min-replicas"])
    assert finding.region == "westeurope"
    assert finding.resource_id == ResourceId.parse(_VERSION_ID)
    assert "has 2 replicas there; production images need at least 3" in finding.message
    inventory, _ = TRIGGERS["no-eligible-latest"][0]()
    (finding,) = lint(inventory, at=AT, rules=["no-eligible-latest"])
    assert finding.message == (
        "no version of app is eligible for latest in westeurope"
        " (1.0.0: excluded from latest in westeurope (version flag))"
    )


def test_the_older_scaling_guidance_is_one_replica_per_50_vms() -> None:
    inventory = _one(b.version(regions=[("westeurope", 2, None, None)]))
    load = ExpectedLoad(concurrent_vms=100)
    strict = lint(
        inventory, at=AT, rules=["replicas-for-load"], config=LintConfig(expected_load=load)
    )
    older = lint(
        inventory,
        at=AT,
        rules=["replicas-for-load"],
        config=LintConfig(expected_load=load, vms_per_replica=50),
    )
    assert len(strict) == 1 and len(older) == 0


def test_production_can_be_named_by_definition_id_or_gallery_tag() -> None:
    weak = b.version(regions=[("westeurope", 1, "Standard_ZRS", None)])
    by_id = LintConfig(production_definitions=[f"{b.GALLERY}/images/app"])
    assert len(lint(_one(weak), at=AT, rules=["production-min-replicas"], config=by_id)) == 1
    tagged_gallery = b.inventory(b.definition([weak]), tags={"env": "PROD"})
    assert len(lint(tagged_gallery, at=AT, rules=["production-min-replicas"])) == 1
    assert len(lint(_one(weak), at=AT, rules=["production-min-replicas"])) == 0


def test_a_version_without_safety_profile_is_reported_as_unprotected() -> None:
    inventory, _ = _prod(
        b.version(regions=[("westeurope", 3, "Standard_ZRS", None)], allow_region_deletion=None)
    )
    (finding,) = lint(inventory, at=AT, rules=["production-deletion-protection"])
    assert "is not set" in finding.message


def test_the_replication_grace_is_configurable() -> None:
    inventory, _ = TRIGGERS["replication-slow"][0]()
    patient = LintConfig(replication_grace=timedelta(days=3))
    assert not lint(inventory, at=AT, rules=["replication-slow"], config=patient)


def test_zone_redundant_regions_are_configurable() -> None:
    inventory, _ = TRIGGERS["production-zone-redundant"][0]()
    config = LintConfig(zone_redundant_regions=["eastus"])
    assert not lint(inventory, at=AT, rules=["production-zone-redundant"], config=config)


def test_the_docs_table_lists_every_rule_with_its_source() -> None:
    from pathlib import Path

    page = Path(__file__).parents[2] / "docs" / "review.md"
    rows = [line for line in page.read_text().splitlines() if line.startswith("| `")]
    table = {}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if len(cells) == 4:
            table[cells[0].strip("`")] = (cells[1], cells[3])
    assert table == {r.id: (r.severity.value, r.source) for r in RULES}
