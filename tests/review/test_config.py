"""LintConfig: defaults, checks, and reading plain data (a configuration file)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imagegallery import LEGACY_LIMITS, InvalidFieldError, InvalidTypeError, ResourceId
from imagegallery.planning import ExpectedLoad
from imagegallery.review import RULE_OPTIONS, RULES, ZONE_REDUNDANT_REGIONS, LintConfig, Severity
from tests.review import _build as b


def test_defaults() -> None:
    config = LintConfig()
    assert config.select is None and not config.ignore and not config.severities
    assert config.vms_per_replica == 20
    assert config.replication_grace == timedelta(hours=6)
    assert config.quota_threshold == 0.8
    assert {"westeurope", "eastus", "swedencentral"} <= config.zone_redundant_regions
    assert "westcentralus" not in ZONE_REDUNDANT_REGIONS


def test_production_and_test_markers_ignore_case() -> None:
    config = LintConfig(production_tags={"Tier": ["Gold"]}, test_tags={"purpose": []})
    assert config.is_production(b.definition(tags={"TIER": "gold"}))
    assert not config.is_production(b.definition(tags={"tier": "silver"}))
    assert config.is_test(b.definition(tags={"Purpose": "anything"}))
    assert not LintConfig(test_tags={}).is_test(b.definition(tags={"environment": "test"}))
    assert LintConfig().is_test(b.definition(tags={"ENV": "Dev"}))
    assert LintConfig(test_definitions=[f"{b.GALLERY}/images/APP"]).is_test(b.definition())


def test_reading_plain_data() -> None:
    config = LintConfig.from_mapping(
        {
            "select": ["replicas-for-load", "quota-near-limit"],
            "ignore": ["location-mismatch"],
            "severity": {"quota-near-limit": "ERROR"},
            "production": {"tags": {"tier": ["gold"]}, "definitions": [f"{b.GALLERY}/images/x"]},
            "test": {"tags": {"purpose": []}},
            "rules": {
                "replicas-for-load": {
                    "expected_load": {"West Europe": {"concurrent_scale_sets": 2}},
                    "vms_per_replica": 50,
                },
                "quota-near-limit": {"threshold": 0.5, "limits": "legacy"},
                "production-zone-redundant": {"regions": ["East US"]},
                "replication-slow": {"grace_hours": 1.5},
            },
        }
    )
    assert config.select == ("replicas-for-load", "quota-near-limit")
    assert config.ignore == {"location-mismatch"}
    assert config.severities == {"quota-near-limit": Severity.ERROR}
    assert config.production_tags == {"tier": frozenset({"gold"})}
    assert config.production_definitions == {ResourceId.parse(f"{b.GALLERY}/images/x")}
    assert config.test_tags == {"purpose": frozenset()}
    assert config.expected_load == {"westeurope": ExpectedLoad(concurrent_scale_sets=2)}
    assert config.vms_per_replica == 50
    assert config.quota_threshold == 0.5 and config.quota_limits is LEGACY_LIMITS
    assert config.zone_redundant_regions == {"eastus"}
    assert config.replication_grace == timedelta(minutes=90)


def test_every_rule_option_names_a_config_field() -> None:
    fields = {a.name for a in LintConfig.__attrs_attrs__}
    ids = {r.id for r in RULES}
    for rule_id, options in RULE_OPTIONS.items():
        assert rule_id in ids
        assert set(options.values()) <= fields


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": {"replication-slow": {"threshold": 1}}}, r"rules.replication-slow.threshold"),
        ({"unknown": 1}, "config: unknown key"),
        ({"production": {"tag": {}}}, "production: unknown key"),
        ({"severity": {"quota-exceeded": "fatal"}}, r"severity.quota-exceeded"),
        ({"rules": {"quota-exceeded": {"limits": "old"}}}, "expected 'current' or 'legacy'"),
        ({"rules": {"replication-slow": {"grace_hours": -1}}}, "hours >= 0"),
        (
            {"rules": {"replicas-for-load": {"expected_load": {"concurrent_vms": -1}}}},
            "concurrent_vms",
        ),
        (
            {"rules": {"replicas-for-load": {"expected_load": {"eastus": {"vms": 1}}}}},
            "unknown key",
        ),
        ({"ignore": "location-mismatch"}, "ignore: expected a list"),
    ],
)
def test_bad_data_names_its_path(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidFieldError, match=message):
        LintConfig.from_mapping(data)


def test_bad_values_in_python() -> None:
    with pytest.raises(InvalidFieldError, match="quota_threshold"):
        LintConfig(quota_threshold=1.5)
    with pytest.raises(InvalidFieldError, match="replication_grace"):
        LintConfig(replication_grace=timedelta(hours=-1))
    with pytest.raises(InvalidTypeError, match="quota_limits"):
        LintConfig(quota_limits=10)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="expected_load"):
        LintConfig(expected_load=100)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="production_tags"):
        LintConfig(production_tags={"env": "prod"})
    with pytest.raises(InvalidTypeError, match="config"):
        LintConfig.from_mapping([])  # type: ignore[arg-type]
