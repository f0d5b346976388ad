"""How :func:`~imagegallery.review.lint` is configured: :class:`LintConfig`.

What the documents cannot know is yours to say: which images are production and which are test
images, the load a region must carry, how long replication may take, how close to a quota is too
close. Rules are selected, ignored and given another severity by id.

Example:
    >>> from imagegallery.review import LintConfig
    >>> config = LintConfig.from_mapping({
    ...     "ignore": ["end-of-life-missing"],
    ...     "production": {"tags": {"tier": ["gold"]}},
    ...     "rules": {"replicas-for-load": {"vms_per_replica": 50,
    ...                                     "expected_load": {"concurrent_vms": 200}},
    ...               "replication-slow": {"grace_hours": 12, "severity": "error"}},
    ... })
    >>> config.vms_per_replica, config.expected_load.concurrent_vms, config.replication_grace
    (50, 200, datetime.timedelta(seconds=43200))
    >>> config.severities, sorted(config.ignore)
    ({'replication-slow': <Severity.ERROR: 'error'>}, ['end-of-life-missing'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, Final

import attrs

from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.planning import VMS_PER_REPLICA, ExpectedLoad
from imagegallery.quotas import CURRENT_LIMITS, LEGACY_LIMITS, QuotaLimits
from imagegallery.regions import normalize_region
from imagegallery.review.findings import Severity

__all__ = [
    "DEFAULT_PRODUCTION_TAGS",
    "DEFAULT_TEST_TAGS",
    "RULE_OPTIONS",
    "ZONE_REDUNDANT_REGIONS",
    "LintConfig",
]

TagSpec = Mapping[str, frozenset[str]]
"""Tag name (lower case) → accepted values (lower case); an empty set accepts any value."""

DEFAULT_PRODUCTION_TAGS: Final[TagSpec] = {
    "environment": frozenset({"production", "prod"}),
    "env": frozenset({"production", "prod"}),
}
"""A definition (or its gallery) tagged ``environment=production`` (or ``prod``, or the same
with the tag ``env``) is a production image, unless configured otherwise."""

DEFAULT_TEST_TAGS: Final[TagSpec] = {
    "environment": frozenset({"test", "testing", "dev", "development"}),
    "env": frozenset({"test", "testing", "dev", "development"}),
}
"""A definition (or its gallery) tagged ``environment=test`` (or ``testing``, ``dev``,
``development``, or the same with ``env``) is a test image."""

ZONE_REDUNDANT_REGIONS: Final = frozenset(
    {
        # Americas
        "brazilsouth",
        "canadacentral",
        "centralus",
        "eastus",
        "eastus2",
        "mexicocentral",
        "southcentralus",
        "usgovvirginia",
        "westus2",
        "westus3",
        # Europe
        "francecentral",
        "germanywestcentral",
        "italynorth",
        "northeurope",
        "norwayeast",
        "polandcentral",
        "spaincentral",
        "swedencentral",
        "switzerlandnorth",
        "uksouth",
        "westeurope",
        # Middle East and Africa
        "israelcentral",
        "qatarcentral",
        "uaenorth",
        "southafricanorth",
        # Asia Pacific
        "australiaeast",
        "centralindia",
        "chinanorth3",
        "eastasia",
        "japaneast",
        "japanwest",
        "koreacentral",
        "newzealandnorth",
        "southeastasia",
    }
)
"""Regions with availability zones, where ``Standard_ZRS`` replicas can be chosen: the list of
"Azure regions with availability zone support" (MicrosoftDocs/azure-docs,
``articles/reliability/availability-zones-region-support.md``, 2024-11-20). Zones come to more
regions over time: pass your own list as ``LintConfig(zone_redundant_regions=...)``."""

RULE_OPTIONS: Final[Mapping[str, Mapping[str, str]]] = {
    "replicas-for-load": {
        "vms_per_replica": "vms_per_replica",
        "expected_load": "expected_load",
    },
    "replication-slow": {"grace_hours": "replication_grace"},
    "quota-near-limit": {"threshold": "quota_threshold", "limits": "quota_limits"},
    "quota-exceeded": {"limits": "quota_limits"},
    "production-zone-redundant": {"regions": "zone_redundant_regions"},
}
"""Per rule id, the options :meth:`LintConfig.from_mapping` accepts under ``rules.<id>`` and the
:class:`LintConfig` field each sets (every rule also takes ``severity``)."""


def _tag_spec(value: object, field: str) -> TagSpec:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidTypeError("expected a mapping of tag name to values", field=field, value=value)
    out: dict[str, frozenset[str]] = {}
    for name, values in value.items():
        if isinstance(values, str) or not isinstance(values, Iterable) or not isinstance(name, str):
            raise InvalidTypeError(
                "expected a tag name and a list of values (empty: any value)",
                field=f"{field}[{name}]",
                value=values,
            )
        items = list(values)
        if not all(isinstance(v, str) for v in items):
            raise InvalidTypeError("tag values are strings", field=f"{field}[{name}]", value=items)
        out[name.lower()] = frozenset(v.lower() for v in items)
    return out


def _production_tags(value: Mapping[str, Iterable[str]] | None) -> TagSpec:
    return _tag_spec(value, "production_tags")


def _test_tags(value: Mapping[str, Iterable[str]] | None) -> TagSpec:
    return _tag_spec(value, "test_tags")


def _ids(value: Iterable[str | ResourceId] | None) -> frozenset[ResourceId]:
    if value is None:
        return frozenset()
    if isinstance(value, str | ResourceId):
        value = [value]
    return frozenset(ResourceId.parse(v) for v in value)


def _rule_ids(value: Iterable[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value)


def _optional_rule_ids(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(dict.fromkeys(value))


def _severities(value: Mapping[str, str | Severity] | None) -> Mapping[str, Severity]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "expected a mapping of rule id to severity", field="severities", value=value
        )
    return {rule: Severity.parse(s, field=f"severities[{rule}]") for rule, s in value.items()}


def _regions(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    return frozenset(normalize_region(r) for r in value)


def _load(
    value: ExpectedLoad | Mapping[str, ExpectedLoad] | None,
) -> ExpectedLoad | Mapping[str, ExpectedLoad] | None:
    if value is None or isinstance(value, ExpectedLoad):
        return value
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "expected an ExpectedLoad or a mapping of region to ExpectedLoad",
            field="expected_load",
            value=value,
        )
    out: dict[str, ExpectedLoad] = {}
    for region, load in value.items():
        if not isinstance(load, ExpectedLoad):
            raise InvalidTypeError(
                "expected an ExpectedLoad", field=f"expected_load[{region}]", value=load
            )
        out[normalize_region(region)] = load
    return out


def _positive_int(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int or value < 1:
        raise InvalidFieldError("must be a whole number >= 1", field=attribute.name, value=value)


def _ratio(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1:
        raise InvalidFieldError(
            "must be a fraction of the limit, above 0 and at most 1",
            field=attribute.name,
            value=value,
        )


def _grace(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidFieldError(
            "must be a non-negative timedelta", field=attribute.name, value=value
        )


def _limits(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, QuotaLimits):
        raise InvalidTypeError("expected QuotaLimits", field=attribute.name, value=value)


@attrs.frozen(kw_only=True)
class LintConfig:
    """What the rules need to know about your galleries, and which rules to run.

    Attributes:
        select: Run only these rule ids (``None``: every rule); ``lint(rules=...)`` wins.
        ignore: Rule ids never to run.
        severities: Rule id → the severity its findings get instead of the rule's own.
        production_tags: Tag name → values marking a production image (on the definition or
            its gallery; names and values without case; an empty list accepts any value).
        production_definitions: Definition ids that are production images whatever their tags.
        test_tags: Tag name → values marking a test image (like ``production_tags``).
        test_definitions: Definition ids that are test images.
        expected_load: The load each region must carry (``replicas-for-load``): one
            :class:`~imagegallery.planning.ExpectedLoad` for every region, or one per region;
            ``None`` skips that rule.
        vms_per_replica: VMs one replica serves (``replicas-for-load``): 20 per the best
            practices, 50 per the older "Scaling" text.
        replication_grace: How long replication may run after publishing before
            ``replication-slow`` reports it (6 hours: the troubleshooting guide's "wait up to 6
            hours").
        quota_limits: The limits of the quota rules (current: 100 / 1,000 / 10,000).
        quota_threshold: ``quota-near-limit`` reports counts at or above this fraction of a
            limit (0.8).
        zone_redundant_regions: Regions where ``Standard_ZRS`` can be chosen
            (``production-zone-redundant``).

    Example:
        >>> from imagegallery.review import LintConfig
        >>> LintConfig(vms_per_replica=0)
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidFieldError: vms_per_replica: must be a whole number >= 1 (got 0)
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_rule_ids)
    ignore: frozenset[str] = attrs.field(default=frozenset(), converter=_rule_ids)
    severities: Mapping[str, Severity] = attrs.field(factory=dict, converter=_severities)
    production_tags: TagSpec = attrs.field(
        default=DEFAULT_PRODUCTION_TAGS, converter=_production_tags
    )
    production_definitions: frozenset[ResourceId] = attrs.field(default=frozenset(), converter=_ids)
    test_tags: TagSpec = attrs.field(default=DEFAULT_TEST_TAGS, converter=_test_tags)
    test_definitions: frozenset[ResourceId] = attrs.field(default=frozenset(), converter=_ids)
    expected_load: ExpectedLoad | Mapping[str, ExpectedLoad] | None = attrs.field(
        default=None, converter=_load
    )
    vms_per_replica: int = attrs.field(default=VMS_PER_REPLICA, validator=_positive_int)
    replication_grace: timedelta = attrs.field(default=timedelta(hours=6), validator=_grace)
    quota_limits: QuotaLimits = attrs.field(default=CURRENT_LIMITS, validator=_limits)
    quota_threshold: float = attrs.field(default=0.8, validator=_ratio)
    zone_redundant_regions: frozenset[str] = attrs.field(
        default=ZONE_REDUNDANT_REGIONS, converter=_regions
    )

    def is_production(self, definition: ImageDefinition, gallery: Gallery | None = None) -> bool:
        """Whether ``definition`` is a production image (by id, or by its or its gallery's tags).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.review import LintConfig
            >>> image1 = next(sample_inventory().definitions())
            >>> LintConfig().is_production(image1)
            False
            >>> LintConfig(production_definitions=[image1.id]).is_production(image1)
            True
        """
        if definition.id in self.production_definitions:
            return True
        return _tagged(definition, gallery, self.production_tags)

    def is_test(self, definition: ImageDefinition, gallery: Gallery | None = None) -> bool:
        """Whether ``definition`` is a test image (by id, or by its or its gallery's tags)."""
        if definition.id in self.test_definitions:
            return True
        return _tagged(definition, gallery, self.test_tags)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> LintConfig:
        """A configuration from plain data (a parsed JSON or TOML file, say).

        Keys (all optional): ``select`` and ``ignore`` (lists of rule ids), ``severity``
        (rule id → severity), ``production`` and ``test`` (each ``{"tags": {name: [values]},
        "definitions": [ids]}``), and ``rules`` (rule id → options: ``severity`` for every rule,
        and those of :data:`RULE_OPTIONS`: ``vms_per_replica``, ``expected_load`` (one load
        ``{"concurrent_vms": n, "concurrent_scale_sets": n, "instances_per_scale_set": n}``, or
        region → load), ``grace_hours``, ``threshold``, ``limits`` (``"current"`` or
        ``"legacy"``), ``regions``).

        Raises:
            InvalidFieldError: An unknown key or a bad value, with its path.
        """
        if not isinstance(data, Mapping):
            raise InvalidTypeError("expected a mapping", field="config", value=type(data).__name__)
        known = {"select", "ignore", "severity", "production", "test", "rules"}
        for key in data:
            if key not in known:
                raise InvalidFieldError(
                    f"unknown key; use {', '.join(sorted(known))}", field="config", value=key
                )
        values: dict[str, Any] = {}
        if "select" in data:
            values["select"] = _strings(data["select"], "select")
        if "ignore" in data:
            values["ignore"] = _strings(data["ignore"], "ignore")
        severities: dict[str, Any] = dict(_mapping(data.get("severity", {}), "severity"))
        for kind in ("production", "test"):
            if kind in data:
                part = _mapping(data[kind], kind)
                for key in part:
                    if key not in ("tags", "definitions"):
                        raise InvalidFieldError(
                            "unknown key; use tags, definitions", field=kind, value=key
                        )
                if "tags" in part:
                    values[f"{kind}_tags"] = _tag_spec(part["tags"], f"{kind}.tags")
                if "definitions" in part:
                    values[f"{kind}_definitions"] = _strings(
                        part["definitions"], f"{kind}.definitions"
                    )
        for rule, options in _mapping(data.get("rules", {}), "rules").items():
            allowed = RULE_OPTIONS.get(rule, {})
            for option, value in _mapping(options, f"rules.{rule}").items():
                where = f"rules.{rule}.{option}"
                if option == "severity":
                    severities[rule] = value
                elif option in allowed:
                    values[allowed[option]] = _option(option, value, where)
                else:
                    names = ", ".join(["severity", *allowed])
                    raise InvalidFieldError(
                        f"unknown option of rule {rule!r}; use {names}", field=where, value=option
                    )
        values["severities"] = {
            rule: Severity.parse(s, field=f"severity.{rule}") for rule, s in severities.items()
        }
        return cls(**values)


def _tagged(definition: ImageDefinition, gallery: Gallery | None, spec: TagSpec) -> bool:
    if not spec:
        return False
    for holder in (definition, gallery):
        tags = getattr(holder, "tags", None)
        if not tags:
            continue
        for name, value in tags.items():
            accepted = spec.get(str(name).lower())
            if accepted is not None and (not accepted or str(value).lower() in accepted):
                return True
    return False


def _mapping(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("expected a mapping", field=field, value=value)
    return value


def _strings(value: Any, field: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidTypeError("expected a list of strings", field=field, value=value)
    if not all(isinstance(v, str) for v in value):
        raise InvalidTypeError("expected a list of strings", field=field, value=value)
    return list(value)


_LOAD_KEYS: Final = ("concurrent_vms", "concurrent_scale_sets", "instances_per_scale_set")


def _expected_load(value: Any, field: str) -> ExpectedLoad:
    part = _mapping(value, field)
    for key in part:
        if key not in _LOAD_KEYS:
            raise InvalidFieldError(
                f"unknown key; use {', '.join(_LOAD_KEYS)}", field=field, value=key
            )
    try:
        return ExpectedLoad(**part)
    except InvalidFieldError as err:
        raise err.at(field) from None


def _option(option: str, value: Any, where: str) -> Any:
    if option == "expected_load":
        part = _mapping(value, where)
        if any(key in _LOAD_KEYS for key in part):
            return _expected_load(part, where)
        return {region: _expected_load(load, f"{where}.{region}") for region, load in part.items()}
    if option == "grace_hours":
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise InvalidFieldError("expected a number of hours >= 0", field=where, value=value)
        return timedelta(hours=value)
    if option == "limits":
        if value == "current":
            return CURRENT_LIMITS
        if value == "legacy":
            return LEGACY_LIMITS
        raise InvalidFieldError("expected 'current' or 'legacy'", field=where, value=value)
    if option == "regions":
        return _strings(value, where)
    return value
