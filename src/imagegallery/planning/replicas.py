"""How many replicas a region needs: the documented guidance, and a check of an inventory.

Azure's guidance for image replicas (Compute Gallery documents, "Scaling"):

* plain VMs: **one replica per 20 VMs created at the same time** (120 concurrent VMs → 6
  replicas). The same page's older text says one per 50; pass ``vms_per_replica=50`` for it;
* scale sets: **one replica per scale set created at the same time**, for scale sets of up to 600
  instances (5 concurrent scale sets of 600 → 5 replicas). Scale sets from gallery images can hold
  up to 1,000 instances; the documents do not say how many replicas a larger one needs: this
  module counts one replica per started 600 instances (a 1,000-instance scale set counts as 2);
* production: at least 3 replicas (best practices);
* limits: at most 50 replicas per region (best practices) and 100 per image version (the current
  limit; it was 50 before January 2023).

:func:`recommend_replicas` turns an expected load into a count with its reasoning;
:func:`check_replicas` compares an inventory's replica counts with an expected load and with the
limits.

Example:
    >>> from imagegallery.planning import recommend_replicas
    >>> rec = recommend_replicas(concurrent_vms=120)
    >>> rec.replicas, rec.reasons[0]
    (6, '120 VMs created at the same time, one replica per 20: 6 replicas')
    >>> recommend_replicas(concurrent_scale_sets=5, instances_per_scale_set=600).replicas
    5
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Final, Literal

import attrs

from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidFieldError, InvalidTypeError, NoEligibleVersionError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.regions import normalize_region
from imagegallery.resolve import definition_regions, resolve_latest
from imagegallery.version import ImageVersion

__all__ = [
    "MAX_REPLICAS_PER_REGION",
    "MAX_REPLICAS_PER_VERSION",
    "MAX_SCALE_SET_INSTANCES",
    "PRODUCTION_MIN_REPLICAS",
    "SCALE_SET_INSTANCES_PER_REPLICA",
    "VMS_PER_REPLICA",
    "ExpectedLoad",
    "ReplicaFinding",
    "ReplicaRecommendation",
    "ReplicaStatus",
    "check_replicas",
    "recommend_replicas",
]

VMS_PER_REPLICA: Final = 20
"""Concurrently created VMs one replica serves (best practices; "Scaling" once said 50)."""
SCALE_SET_INSTANCES_PER_REPLICA: Final = 600
"""Instances of a concurrently created scale set one replica serves."""
MAX_SCALE_SET_INSTANCES: Final = 1000
"""Instances a scale set created from a gallery image can hold."""
PRODUCTION_MIN_REPLICAS: Final = 3
"""Replicas the best practices ask for in production."""
MAX_REPLICAS_PER_REGION: Final = 50
"""Replicas per region, per the best practices."""
MAX_REPLICAS_PER_VERSION: Final = 100
"""Replicas per image version (raised from 50 in January 2023)."""
_MAX_COUNT: Final = 1_000_000


def _count(minimum: int) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        _check_count(attribute.name, value, minimum)

    return check


def _check_count(name: str, value: object, minimum: int, maximum: int | None = None) -> None:
    """A count argument: a whole number from ``minimum`` to ``maximum``, and never above
    1,000,000 (the limit of every count planning takes)."""
    if type(value) is not int:
        raise InvalidTypeError("expected a whole number", field=name, value=value)
    if value < minimum:
        raise InvalidFieldError(f"must be at least {minimum}", field=name, value=value)
    if maximum is not None and value > maximum:
        raise InvalidFieldError(
            f"must be at most {maximum:,} (a scale set from a gallery image holds at most"
            f" {MAX_SCALE_SET_INSTANCES:,} instances)",
            field=name,
            value=value,
        )
    if value > _MAX_COUNT:
        raise InvalidFieldError(f"must be at most {_MAX_COUNT:,}", field=name, value=value)


def _instances(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_count(attribute.name, value, 1, MAX_SCALE_SET_INSTANCES)


@attrs.frozen(kw_only=True)
class ExpectedLoad:
    """Deployments expected at the same time in one region.

    Attributes:
        concurrent_vms: Plain VMs created at the same time.
        concurrent_scale_sets: Scale sets created at the same time.
        instances_per_scale_set: Instances of each of those scale sets (1 to 1,000).

    Example:
        >>> from imagegallery.planning import ExpectedLoad
        >>> ExpectedLoad(concurrent_vms=40).recommend().replicas
        2
    """

    concurrent_vms: int = attrs.field(default=0, validator=_count(0))
    concurrent_scale_sets: int = attrs.field(default=0, validator=_count(0))
    instances_per_scale_set: int = attrs.field(
        default=SCALE_SET_INSTANCES_PER_REPLICA, validator=_instances
    )

    def recommend(
        self, *, vms_per_replica: int = VMS_PER_REPLICA, production: bool = False
    ) -> ReplicaRecommendation:
        """The replicas this load needs (see :func:`recommend_replicas`).

        Example:
            >>> from imagegallery.planning import ExpectedLoad
            >>> ExpectedLoad(concurrent_scale_sets=2).recommend(production=True).replicas
            3
        """
        return recommend_replicas(
            concurrent_vms=self.concurrent_vms,
            concurrent_scale_sets=self.concurrent_scale_sets,
            instances_per_scale_set=self.instances_per_scale_set,
            vms_per_replica=vms_per_replica,
            production=production,
        )


@attrs.frozen(kw_only=True)
class ReplicaRecommendation:
    """A replica count for one region and how it was reached.

    Attributes:
        replicas: The recommended count (at least 1, at most the per-region maximum).
        for_vms: Replicas for the concurrent VMs.
        for_scale_sets: Replicas for the concurrent scale sets.
        capped: Whether the load asks for more than the per-region maximum.
        reasons: Each step of the reasoning, in words.

    Example:
        >>> from imagegallery.planning import recommend_replicas
        >>> rec = recommend_replicas(concurrent_vms=2000)
        >>> rec.replicas, rec.for_vms, rec.capped
        (50, 100, True)
    """

    replicas: int
    for_vms: int
    for_scale_sets: int
    capped: bool
    reasons: tuple[str, ...]


def recommend_replicas(
    *,
    concurrent_vms: int = 0,
    concurrent_scale_sets: int = 0,
    instances_per_scale_set: int = SCALE_SET_INSTANCES_PER_REPLICA,
    vms_per_replica: int = VMS_PER_REPLICA,
    production: bool = False,
    max_replicas: int = MAX_REPLICAS_PER_REGION,
) -> ReplicaRecommendation:
    """Recommend the replicas of an image version in one region for an expected load.

    VM and scale-set deployments that happen at the same time add up. The result is at least 1
    (a target region holds at least one replica), at least 3 with ``production=True``, and at
    most ``max_replicas`` (when the load asks for more, ``capped`` is set: split the load over
    regions or images).

    Args:
        concurrent_vms: Plain VMs created at the same time from the image in the region.
        concurrent_scale_sets: Scale sets created at the same time.
        instances_per_scale_set: Instances per scale set (1 to 1,000).
        vms_per_replica: VMs one replica serves (20 per the best practices; 50 per an older
            "Scaling" text).
        production: Apply the best practices' minimum of 3 replicas.
        max_replicas: The per-region maximum to cap at.

    Returns:
        The recommendation with its reasons.

    Raises:
        InvalidFieldError: A negative count, a count over 1,000,000 (the limit of every count
            planning takes), a scale set over 1,000 instances, or a ``vms_per_replica`` /
            ``max_replicas`` below 1.
        InvalidTypeError: A count that is not a whole number, or a ``production`` that is not a
            bool.

    Example:
        >>> from imagegallery.planning import recommend_replicas
        >>> rec = recommend_replicas(concurrent_vms=30, concurrent_scale_sets=2,
        ...                          instances_per_scale_set=1000, production=True)
        >>> rec.replicas, rec.for_vms, rec.for_scale_sets
        (6, 2, 4)
        >>> for reason in rec.reasons:
        ...     print(reason)
        30 VMs created at the same time, one replica per 20: 2 replicas
        2 scale sets x 1,000 instances at the same time, one per started 600 instances: 4 replicas
        VMs and scale sets together: 6 replicas
    """
    _check_count("concurrent_vms", concurrent_vms, 0)
    _check_count("concurrent_scale_sets", concurrent_scale_sets, 0)
    _check_count("instances_per_scale_set", instances_per_scale_set, 1, MAX_SCALE_SET_INSTANCES)
    _check_count("vms_per_replica", vms_per_replica, 1)
    _check_count("max_replicas", max_replicas, 1)
    if type(production) is not bool:
        raise InvalidTypeError("expected True or False", field="production", value=production)
    reasons: list[str] = []
    for_vms = -(-concurrent_vms // vms_per_replica)
    if concurrent_vms:
        reasons.append(
            f"{concurrent_vms:,} VMs created at the same time, one replica per"
            f" {vms_per_replica}: {for_vms} replica{'s' if for_vms != 1 else ''}"
        )
    per_set = -(-instances_per_scale_set // SCALE_SET_INSTANCES_PER_REPLICA)
    for_sets = concurrent_scale_sets * per_set
    if concurrent_scale_sets:
        rule = (
            "one replica per scale set"
            if per_set == 1
            else f"one per started {SCALE_SET_INSTANCES_PER_REPLICA} instances"
        )
        reasons.append(
            f"{concurrent_scale_sets:,} scale set{'s' if concurrent_scale_sets != 1 else ''} x"
            f" {instances_per_scale_set:,} instances at the same time, {rule}:"
            f" {for_sets} replica{'s' if for_sets != 1 else ''}"
        )
    total = for_vms + for_sets
    if for_vms and for_sets:
        reasons.append(f"VMs and scale sets together: {total} replicas")
    if total < 1:
        total = 1
        reasons.append("no concurrent deployments: the minimum of 1 replica")
    if production and total < PRODUCTION_MIN_REPLICAS:
        total = PRODUCTION_MIN_REPLICAS
        reasons.append(f"production: at least {PRODUCTION_MIN_REPLICAS} replicas")
    capped = total > max_replicas
    if capped:
        reasons.append(
            f"{total} exceeds the maximum of {max_replicas} replicas per region: capped;"
            " spread the load over more regions or images"
        )
        total = max_replicas
    return ReplicaRecommendation(
        replicas=total,
        for_vms=for_vms,
        for_scale_sets=for_sets,
        capped=capped,
        reasons=tuple(reasons),
    )


class ReplicaStatus(enum.StrEnum):
    """The verdict of :func:`check_replicas` on one version in one region.

    Example:
        >>> from imagegallery.planning import ReplicaStatus
        >>> ReplicaStatus("over") is ReplicaStatus.OVER
        True
    """

    UNDER = "under"
    """Fewer replicas than the expected load needs (or no version to deploy there)."""
    OK = "ok"
    """As many as the load needs."""
    OVER = "over"
    """More than the load needs: a saving is possible."""
    ABOVE_LIMIT = "above_limit"
    """More than a documented maximum."""


@attrs.frozen(kw_only=True)
class ReplicaFinding:
    """One result of :func:`check_replicas`.

    Attributes:
        version_id: The version checked (``None`` when no version can be deployed there).
        definition_id: Its image definition.
        region: The region (``None`` for a per-version limit).
        replicas: The replicas it has there (in all its regions, for a per-version limit).
        recommended: What the load needs (``None`` for a limit check).
        status: The verdict.
        reason: Why, in words.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import ExpectedLoad, check_replicas
        >>> image1 = next(sample_inventory().definitions())
        >>> finding = check_replicas(image1, {"eastus": ExpectedLoad(concurrent_vms=5)},
        ...                          at=datetime(2025, 3, 1, tzinfo=UTC))[0]
        >>> finding.version_id.version, finding.status.value, finding.reason[:41]
        ('1.0.9', 'ok', '1.0.9 has 1 replica in eastus, as many as')
    """

    version_id: ResourceId | None
    definition_id: ResourceId
    region: str | None
    replicas: int
    recommended: int | None
    status: ReplicaStatus
    reason: str


Load = ExpectedLoad | Mapping[str, ExpectedLoad]


def check_replicas(
    target: Inventory | Gallery | ImageDefinition,
    load: Load | None = None,
    *,
    versions: Literal["latest", "all"] = "latest",
    at: datetime | None = None,
    vms_per_replica: int = VMS_PER_REPLICA,
    production: bool = False,
    max_per_region: int = MAX_REPLICAS_PER_REGION,
    max_per_version: int = MAX_REPLICAS_PER_VERSION,
) -> tuple[ReplicaFinding, ...]:
    """Check replica counts against an expected load and the documented maximums.

    Limits are checked on every version: more than ``max_per_region`` replicas in a region, more
    than ``max_per_version`` in all regions together. With a ``load``, the version deployments
    get is checked in each loaded region (``versions="latest"``: what ``latest`` resolves to
    there, through :func:`imagegallery.resolve.resolve_latest` at ``at``), or every version
    there (``versions="all"``).

    Args:
        target: An inventory, gallery or image definition.
        load: One :class:`ExpectedLoad` for every region the definition is in, or a mapping of
            region to load (regions absent from the mapping are not load-checked).
        versions: Which versions the load applies to.
        at: The moment for resolving ``latest`` (defaults to now).
        vms_per_replica: See :func:`recommend_replicas`.
        production: See :func:`recommend_replicas`.
        max_per_region: The per-region maximum.
        max_per_version: The per-version maximum.

    Returns:
        The findings, ordered by definition, region and version; every ``OK`` included.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import ExpectedLoad, check_replicas
        >>> image1 = next(sample_inventory().definitions())
        >>> findings = check_replicas(image1, {"westeurope": ExpectedLoad(concurrent_vms=100)},
        ...                           at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> [(f.region, f.replicas, f.recommended, f.status.value) for f in findings]
        [('westeurope', 3, 5, 'under')]
    """
    if versions not in ("latest", "all"):
        raise InvalidFieldError(
            "versions must be 'latest' or 'all'", field="versions", value=versions
        )
    _check_count("max_per_region", max_per_region, 1)
    _check_count("max_per_version", max_per_version, 1)
    loads = _loads(load)
    findings: list[ReplicaFinding] = []
    for definition in _definitions(target):
        findings.extend(_limit_findings(definition, max_per_region, max_per_version))
        if loads is None:
            continue
        regions = (
            definition_regions(definition) if isinstance(loads, ExpectedLoad) else sorted(loads)
        )
        for region in regions:
            expected = loads if isinstance(loads, ExpectedLoad) else loads[region]
            rec = expected.recommend(vms_per_replica=vms_per_replica, production=production)
            findings.extend(_load_findings(definition, region, rec, versions, at))
    return tuple(findings)


def _loads(load: Load | None) -> ExpectedLoad | dict[str, ExpectedLoad] | None:
    if load is None or isinstance(load, ExpectedLoad):
        return load
    if not isinstance(load, Mapping):
        raise InvalidTypeError(
            "load must be an ExpectedLoad or a mapping of region to ExpectedLoad",
            field="load",
            value=load,
        )
    out: dict[str, ExpectedLoad] = {}
    for region, value in load.items():
        try:
            name = normalize_region(region)
        except InvalidFieldError as err:
            raise err.at("load") from None
        if not isinstance(value, ExpectedLoad):
            raise InvalidTypeError("expected an ExpectedLoad", field=f"load[{name}]", value=value)
        out[name] = value
    return out


def _definitions(target: object) -> Iterator[ImageDefinition]:
    if isinstance(target, ImageDefinition):
        yield target
    elif isinstance(target, Gallery):
        yield from target.definitions.values()
    elif isinstance(target, Inventory):
        yield from target.definitions()
    else:
        raise InvalidTypeError(
            "expected an Inventory, Gallery or ImageDefinition",
            field="target",
            value=type(target).__name__,
        )


def _replicas(version: ImageVersion, region: str) -> int:
    if not version.region_names:
        profile = version.publishing_profile
        return (profile.replica_count or 1) if region == version.location else 0
    return version.replicas_in(region)


def _limit_findings(
    definition: ImageDefinition, max_per_region: int, max_per_version: int
) -> Iterator[ReplicaFinding]:
    def above(version: ImageVersion, region: str | None, count: int, why: str) -> ReplicaFinding:
        return ReplicaFinding(
            version_id=version.id,
            definition_id=definition.id,
            region=region,
            replicas=count,
            recommended=None,
            status=ReplicaStatus.ABOVE_LIMIT,
            reason=why,
        )

    for version in definition.versions.values():
        total = 0
        for region in version.region_names or (version.location,):
            count = _replicas(version, region)
            total += count
            if count > max_per_region:
                yield above(
                    version,
                    region,
                    count,
                    f"{count} replicas in {region}: more than the {max_per_region} per region the"
                    " best practices allow",
                )
        if total > max_per_version:
            yield above(
                version,
                None,
                total,
                f"{total} replicas in all regions: more than the maximum of {max_per_version} per"
                " image version",
            )


def _load_findings(
    definition: ImageDefinition,
    region: str,
    rec: ReplicaRecommendation,
    versions: str,
    at: datetime | None,
) -> Iterator[ReplicaFinding]:
    if versions == "all":
        checked = [v for v in definition.versions.values() if _replicas(v, region)]
    else:
        try:
            checked = [resolve_latest(definition, region=region, at=at)]
        except NoEligibleVersionError:
            yield ReplicaFinding(
                version_id=None,
                definition_id=definition.id,
                region=region,
                replicas=0,
                recommended=rec.replicas,
                status=ReplicaStatus.UNDER,
                reason=f"no version of {definition.name} can be deployed in {region} (latest"
                f" resolves to nothing); the load needs {rec.replicas}",
            )
            return
    for version in checked:
        count = _replicas(version, region)
        if count < rec.replicas:
            status, verdict = ReplicaStatus.UNDER, "fewer than"
        elif count > rec.replicas:
            status, verdict = ReplicaStatus.OVER, "more than"
        else:
            status, verdict = ReplicaStatus.OK, "as many as"
        yield ReplicaFinding(
            version_id=version.id,
            definition_id=definition.id,
            region=region,
            replicas=count,
            recommended=rec.replicas,
            status=status,
            reason=f"{version.name} has {count} replica{'s' if count != 1 else ''} in {region},"
            f" {verdict} the {rec.replicas} recommended ({'; '.join(rec.reasons)})",
        )
