"""What every lint rule looks at, computed once per :func:`~imagegallery.review.lint` call."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

import attrs

from imagegallery.definition import ImageDefinition
from imagegallery.errors import NoEligibleVersionError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.quotas import QuotaFinding, check_quotas
from imagegallery.resolve import resolve_latest
from imagegallery.review.config import LintConfig
from imagegallery.version import ImageVersion

__all__ = ["Context", "Hit"]


class Hit(NamedTuple):
    """One finding as a rule reports it (the rule adds its id, severity, source and hint)."""

    resource_id: ResourceId
    region: str | None
    message: str


class Context:
    """The inventory, the moment, the configuration, and memos of what several rules ask.

    Lives for one :func:`~imagegallery.review.lint` call; nothing is kept afterwards.
    """

    def __init__(
        self, inventory: Inventory, at: datetime, config: LintConfig, access: Any | None
    ) -> None:
        self.inventory = inventory
        self.at = at
        self.config = config
        self.access = access
        self._pairs = [(g, d) for g in inventory.galleries() for d in g.definitions.values()]
        self._latest: dict[tuple[ResourceId, str | None], ImageVersion | None] = {}
        self._regions: dict[ResourceId, list[str]] = {}
        self._production: dict[ResourceId, bool] = {}
        self._quotas: tuple[QuotaFinding, ...] | None = None

    def definitions(self) -> list[tuple[Gallery, ImageDefinition]]:
        """Every (gallery, definition) pair, in inventory order."""
        return self._pairs

    def versions(self) -> Iterator[tuple[Gallery, ImageDefinition, ImageVersion]]:
        """Every version with its gallery and definition."""
        for gallery, definition in self._pairs:
            for version in definition.versions.values():
                yield gallery, definition, version

    def regions(self, definition: ImageDefinition) -> list[str]:
        """The regions any version of ``definition`` targets, sorted."""
        found = self._regions.get(definition.id)
        if found is None:
            names = {
                r for v in definition.versions.values() for r in (v.region_names or (v.location,))
            }
            found = self._regions[definition.id] = sorted(names)
        return found

    def latest(self, definition: ImageDefinition, region: str | None) -> ImageVersion | None:
        """What "latest" gives in ``region`` (or anywhere) at the lint's moment, or ``None``."""
        key = (definition.id, region)
        if key in self._latest:
            return self._latest[key]
        try:
            found: ImageVersion | None = resolve_latest(definition, region=region, at=self.at)
        except NoEligibleVersionError:
            found = None
        self._latest[key] = found
        return found

    def serving(self, definition: ImageDefinition) -> dict[str, ImageVersion]:
        """Region → the version "latest" gives there (regions with no answer left out)."""
        out: dict[str, ImageVersion] = {}
        for region in self.regions(definition):
            version = self.latest(definition, region)
            if version is not None:
                out[region] = version
        return out

    def production(self, gallery: Gallery, definition: ImageDefinition) -> bool:
        """Whether ``definition`` is a production image (see :class:`LintConfig`)."""
        found = self._production.get(definition.id)
        if found is None:
            found = self._production[definition.id] = self.config.is_production(definition, gallery)
        return found

    def quotas(self) -> tuple[QuotaFinding, ...]:
        """The quota findings at the configured limits and threshold."""
        if self._quotas is None:
            limits = attrs.evolve(
                self.config.quota_limits, warn_ratio=float(self.config.quota_threshold)
            )
            self._quotas = check_quotas(self.inventory, limits)
        return self._quotas
