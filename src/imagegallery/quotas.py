"""Quota checks: galleries, image definitions and image versions per subscription and region.

Azure counts each resource type per subscription, per region (the resource's ``location``). The
current limits are 100 galleries, 1,000 image definitions and 10,000 image versions; older
documentation gave 10, 200 and 2,000. :func:`check_quotas` reports, it never raises.

Example:
    >>> from imagegallery import QuotaLimits, check_quotas, sample_inventory
    >>> check_quotas(sample_inventory())
    ()
    >>> tight = QuotaLimits(galleries=1, definitions=2, versions=5)
    >>> for finding in check_quotas(sample_inventory(), tight):
    ...     print(finding.subscription_id[:4], finding)
    1111 subscription 1111...-111111111111, westeurope: 3 image definitions, over the limit of 2
    1111 subscription 1111...-111111111111, westeurope: 8 image versions, over the limit of 5
    2222 subscription 2222...-222222222222, eastus: 2 galleries, over the limit of 1
    2222 subscription 2222...-222222222222, eastus: 3 image definitions, over the limit of 2
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar, Final, Literal

import attrs

from imagegallery import _validators as v
from imagegallery.inventory import Inventory

__all__ = ["CURRENT_LIMITS", "LEGACY_LIMITS", "QuotaFinding", "QuotaLimits", "check_quotas"]

ResourceCounted = Literal["galleries", "definitions", "versions"]
_LABELS: Final = {
    "galleries": "galleries",
    "definitions": "image definitions",
    "versions": "image versions",
}


@attrs.frozen(kw_only=True)
class QuotaLimits:
    """Per-subscription, per-region limits.

    Example:
        >>> QuotaLimits.current().versions, QuotaLimits.legacy().versions
        (10000, 2000)
    """

    galleries: int = attrs.field(default=100, validator=v.int_range(0))
    definitions: int = attrs.field(default=1000, validator=v.int_range(0))
    versions: int = attrs.field(default=10000, validator=v.int_range(0))
    warn_ratio: float = attrs.field(default=1.0)
    """Also report counts at or above this fraction of a limit (1.0: only counts over it)."""

    KINDS: ClassVar[tuple[ResourceCounted, ...]] = ("galleries", "definitions", "versions")

    @classmethod
    def current(cls) -> QuotaLimits:
        """The documented limits: 100 / 1,000 / 10,000."""
        return cls()

    @classmethod
    def legacy(cls) -> QuotaLimits:
        """The older limits: 10 / 200 / 2,000."""
        return cls(galleries=10, definitions=200, versions=2000)


CURRENT_LIMITS: Final = QuotaLimits.current()
LEGACY_LIMITS: Final = QuotaLimits.legacy()


@attrs.frozen(kw_only=True)
class QuotaFinding:
    """One count at or over its limit."""

    subscription_id: str
    region: str
    resource: ResourceCounted
    count: int
    limit: int

    @property
    def over(self) -> bool:
        """Whether the count exceeds the limit (else it is only near it)."""
        return self.count > self.limit

    def __str__(self) -> str:
        state = "over the limit of" if self.over else "near the limit of"
        return (
            f"subscription {self.subscription_id}, {self.region}:"
            f" {self.count} {_LABELS[self.resource]}, {state} {self.limit}"
        )


def check_quotas(
    inventory: Inventory, limits: QuotaLimits = CURRENT_LIMITS
) -> tuple[QuotaFinding, ...]:
    """Count resources per subscription and region and report those at or over ``limits``.

    Implied galleries and definitions (created by the loader for orphans) are not counted, nor
    are consumer views of shared and community galleries (they count against the publisher's
    subscription, which their proxy ids do not name).

    Args:
        inventory: What to check.
        limits: :data:`CURRENT_LIMITS` (default), :data:`LEGACY_LIMITS`, or your own.

    Returns:
        Findings ordered by subscription, region and resource type; empty when all is well.

    Example:
        >>> from imagegallery import LEGACY_LIMITS, sample_inventory
        >>> check_quotas(sample_inventory(), LEGACY_LIMITS)
        ()
    """
    counts: dict[ResourceCounted, Counter[tuple[str, str]]] = {
        kind: Counter() for kind in QuotaLimits.KINDS
    }
    for gallery in inventory.galleries():
        if gallery.id.kind.is_proxy:
            continue
        sub = gallery.subscription_id.lower()
        if not gallery.implied:
            counts["galleries"][sub, gallery.location] += 1
        for definition in gallery.definitions.values():
            if not definition.implied:
                counts["definitions"][sub, definition.location] += 1
            for version in definition.versions.values():
                counts["versions"][sub, version.location] += 1
    findings = []
    for kind in QuotaLimits.KINDS:
        limit = getattr(limits, kind)
        threshold = limit * limits.warn_ratio
        for (sub, region), count in counts[kind].items():
            if count > limit or (limits.warn_ratio < 1.0 and count >= threshold):
                findings.append(
                    QuotaFinding(
                        subscription_id=sub, region=region, resource=kind, count=count, limit=limit
                    )
                )
    order = {kind: i for i, kind in enumerate(QuotaLimits.KINDS)}
    return tuple(sorted(findings, key=lambda f: (f.subscription_id, f.region, order[f.resource])))
