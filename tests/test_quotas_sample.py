"""Quota checks and the embedded sample inventory."""

from __future__ import annotations

import subprocess
import sys

from imagegallery import (
    LEGACY_LIMITS,
    HyperVGeneration,
    ImageDefinition,
    OsState,
    OsType,
    QuotaLimits,
    ReplicationState,
    check_quotas,
    load_arm,
    sample_inventory,
)


def test_quotas_count_per_subscription_and_region():
    inv = sample_inventory()
    assert check_quotas(inv) == ()
    assert check_quotas(inv, LEGACY_LIMITS) == ()
    findings = check_quotas(inv, QuotaLimits(galleries=1, definitions=3, versions=8))
    assert [(f.region, f.resource, f.count, f.over) for f in findings] == [
        ("eastus", "galleries", 2, True)
    ]
    near = check_quotas(inv, QuotaLimits(versions=10, warn_ratio=0.8))
    assert [(f.count, f.over) for f in near] == [(8, False)]


def test_sample_holds_what_the_documents_describe():
    inv = sample_inventory()
    assert len(inv.subscriptions()) == 2
    gallery = next(inv.galleries())
    triples = {d.name: str(d.identifier) for d in gallery.definitions.values()}
    assert triples == {
        "myImage1": "Contoso/Finance/Backend",
        "myImage2": "Contoso/Finance/Frontend",
        "myImage3": "Testing/Finance/Frontend",
    }
    image1 = gallery.definitions["myImage1"]
    assert {"1.0.9", "1.0.10"} <= {str(n) for n in image1.versions}
    versions = list(inv.versions())
    assert any(v.exclude_from_latest for v in versions)
    assert any(v.end_of_life_date is not None and v.end_of_life_date.year < 2026 for v in versions)
    assert any(
        v.replication_state_in(r) is ReplicationState.REPLICATING
        for v in versions
        for r in v.region_names
    )
    assert len({v.storage_account_type_in(r) for v in versions for r in v.region_names}) == 3
    definitions: list[ImageDefinition] = list(inv.definitions())
    assert {d.os_state for d in definitions} == {OsState.GENERALIZED, OsState.SPECIALIZED}
    assert {d.os_type for d in definitions} == {OsType.LINUX, OsType.WINDOWS}
    assert {d.hyper_v_generation for d in definitions} == {HyperVGeneration.V1, HyperVGeneration.V2}
    assert load_arm(inv.to_arm()) == inv


def test_import_stays_light():
    code = "import sys, imagegallery; print(sorted(m for m in ('networkx','hypothesis','pandas','matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
