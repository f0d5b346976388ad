"""The lint rules: what the product documents recommend, each rule with its source.

Every rule has an id, a default severity, the document it comes from and a fix hint; :data:`RULES`
lists them in the order reports use. Where a rule needs to know what the documents cannot
(production images, expected load ...) it reads :class:`~imagegallery.review.LintConfig`.
Rules reuse the library's capabilities: "latest" comes from
:func:`~imagegallery.resolve.resolve_latest`, replica counts from
:func:`~imagegallery.planning.check_replicas`, quotas from :func:`~imagegallery.check_quotas`.

Sources are cited as the product documents this project started from (the *Shared Image
Galleries* overview and FAQ, 2019-2021) and the reference notes (``azure-gallery.md``, whose
labels D1-D13 name Microsoft Learn pages).

Example:
    >>> from imagegallery.review import RULES, rule
    >>> len(RULES), rule("no-eligible-latest").severity.value
    (18, 'error')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

import attrs

from imagegallery.enums import ReplicationMode, ReplicationState, StorageAccountType
from imagegallery.errors import InvalidFieldError, NoEligibleVersionError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.planning import (
    PRODUCTION_MIN_REPLICAS,
    ExpectedLoad,
    ReplicaStatus,
    check_replicas,
)
from imagegallery.resolve import ReasonKind, explain_latest, resolve_latest
from imagegallery.review._context import Context, Hit
from imagegallery.review.config import RULE_OPTIONS
from imagegallery.review.findings import Severity
from imagegallery.version import ImageVersion

__all__ = ["RULES", "LintRule", "rule"]

_SHOWN: Final = 3
"""Reasons shown in one message before "and N more"."""


@attrs.frozen(kw_only=True)
class LintRule:
    """One lint rule.

    Attributes:
        id: The rule's id (select, ignore and configure rules by it).
        severity: The severity of its findings unless configured otherwise.
        title: What the rule checks, in a few words.
        source: Where the practice is documented.
        hint: How to fix a finding.
        needs: What the rule needs beyond the inventory (``"access"``: access data;
            ``"expected_load"``: ``LintConfig.expected_load``); without it the rule is skipped.
        check: The function that finds the rule's findings.

    Example:
        >>> from imagegallery.review import rule
        >>> r = rule("replicas-for-load")
        >>> r.needs, r.options
        ('expected_load', ('severity', 'vms_per_replica', 'expected_load'))
    """

    id: str
    severity: Severity
    title: str
    source: str
    hint: str
    needs: str | None = None
    check: Callable[[Context], Iterable[Hit]] = attrs.field(repr=False, eq=False)

    @property
    def options(self) -> tuple[str, ...]:
        """The options ``LintConfig.from_mapping`` takes under ``rules.<id>``."""
        return ("severity", *RULE_OPTIONS.get(self.id, {}))

    def to_record(self) -> dict[str, Any]:
        """Keys: ``id``, ``severity``, ``title``, ``source``, ``hint``, ``needs``, ``options``
        (comma-separated)."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "title": self.title,
            "source": self.source,
            "hint": self.hint,
            "needs": self.needs,
            "options": ",".join(self.options),
        }


def _date(moment: Any) -> str:
    return f"{moment:%Y-%m-%d}"


def _more(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOWN])
    return shown + (f"; and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


# -- replicas ----------------------------------------------------------------------------------


def _production_min_replicas(ctx: Context) -> Iterator[Hit]:
    for gallery, definition in ctx.definitions():
        if not definition.versions or not ctx.production(gallery, definition):
            continue
        for f in check_replicas(definition, ExpectedLoad(), production=True, at=ctx.at):
            if f.status is ReplicaStatus.UNDER and f.version_id is not None:
                yield Hit(
                    f.version_id,
                    f.region,
                    f"{f.version_id.version} is what latest gives in {f.region} and has"
                    f" {f.replicas} replica{'s' if f.replicas != 1 else ''} there; production"
                    f" images need at least {PRODUCTION_MIN_REPLICAS}",
                )


def _replicas_for_load(ctx: Context) -> Iterator[Hit]:
    load = ctx.config.expected_load
    if load is None:
        return
    for _gallery, definition in ctx.definitions():
        if not definition.versions:
            continue
        findings = check_replicas(
            definition, load, vms_per_replica=ctx.config.vms_per_replica, at=ctx.at
        )
        for f in findings:
            if f.status is ReplicaStatus.UNDER and f.version_id is not None:
                yield Hit(f.version_id, f.region, f.reason)


def _replica_limits(ctx: Context) -> Iterator[Hit]:
    for _gallery, definition in ctx.definitions():
        for f in check_replicas(definition):
            if f.status is ReplicaStatus.ABOVE_LIMIT and f.version_id is not None:
                yield Hit(f.version_id, f.region, f"{f.version_id.version}: {f.reason}")


def _production_zone_redundant(ctx: Context) -> Iterator[Hit]:
    zonal = ctx.config.zone_redundant_regions
    for gallery, definition in ctx.definitions():
        if not definition.versions or not ctx.production(gallery, definition):
            continue
        for region, version in ctx.serving(definition).items():
            if region not in zonal:
                continue
            kind = version.storage_account_type_in(region)
            if kind is StorageAccountType.STANDARD_ZRS:
                continue
            stated = kind.value if kind is not None else "unstated (Standard_LRS by default)"
            yield Hit(
                version.id,
                region,
                f"{version.name} is what latest gives in {region}, on {stated} replicas;"
                f" {region} has availability zones, where Standard_ZRS keeps the image"
                " available through a zone failure",
            )


def _production_deletion_protection(ctx: Context) -> Iterator[Hit]:
    for gallery, definition in ctx.definitions():
        if not definition.versions or not ctx.production(gallery, definition):
            continue
        seen: set[ResourceId] = set()
        for version in ctx.serving(definition).values():
            if version.id in seen:
                continue
            seen.add(version.id)
            safety = version.safety_profile
            allowed = None if safety is None else safety.allow_deletion_of_replicated_locations
            if allowed is False:
                continue
            state = (
                "allows removing its replicated regions (allowDeletionOfReplicatedLocations is"
                " true)"
                if allowed
                else "does not say whether its replicated regions may be removed"
                " (allowDeletionOfReplicatedLocations is not set)"
            )
            yield Hit(version.id, None, f"{version.name}, a production version in use, {state}")


# -- end of life -------------------------------------------------------------------------------


def _definition_past_end_of_life(ctx: Context) -> Iterator[Hit]:
    for _gallery, definition in ctx.definitions():
        eol = definition.end_of_life_date
        if eol is not None and eol <= ctx.at:
            count = len(definition.versions)
            yield Hit(
                definition.id,
                None,
                f"{definition.name} reached its end of life on {_date(eol)} and still holds"
                f" {count} version{'s' if count != 1 else ''}",
            )


def _latest_past_end_of_life(ctx: Context) -> Iterator[Hit]:
    at = ctx.at
    for _gallery, definition in ctx.definitions():
        if not any(
            v.end_of_life_date is not None and v.end_of_life_date <= at
            for v in definition.versions.values()
        ):
            continue
        regions: dict[ResourceId, tuple[ImageVersion, list[str]]] = {}
        for region in ctx.regions(definition):
            try:
                found = resolve_latest(definition, region=region, at=at, end_of_life="allow")
            except NoEligibleVersionError:
                continue
            eol = found.end_of_life_date
            if eol is not None and eol <= at:
                regions.setdefault(found.id, (found, []))[1].append(region)
        for version, names in regions.values():
            assert version.end_of_life_date is not None
            yield Hit(
                version.id,
                None,
                f"{version.name} reached its end of life on {_date(version.end_of_life_date)}"
                f" but is still what latest gives in {', '.join(names)} (Azure treats the date"
                " as informational)",
            )


def _end_of_life_missing(ctx: Context) -> Iterator[Hit]:
    for _gallery, definition in ctx.definitions():
        if definition.implied:
            continue
        if definition.end_of_life_date is None:
            yield Hit(definition.id, None, f"{definition.name} has no end-of-life date")
        latest = ctx.latest(definition, None)
        if latest is not None and latest.end_of_life_date is None:
            yield Hit(
                latest.id,
                None,
                f"{latest.name}, the latest version of {definition.name}, has no end-of-life date",
            )


# -- latest ------------------------------------------------------------------------------------


def _no_eligible_latest(ctx: Context) -> Iterator[Hit]:
    for _gallery, definition in ctx.definitions():
        for region in ctx.regions(definition):
            if ctx.latest(definition, region) is not None:
                continue
            resolution = explain_latest(definition, region=region, at=ctx.at)
            why = [
                f"{c.name}: {c.remarks}"
                for c in resolution.candidates
                if not any(r.kind is ReasonKind.NOT_IN_REGION for r in c.reasons)
            ]
            yield Hit(
                definition.id,
                region,
                f"no version of {definition.name} is eligible for latest in {region}"
                + (f" ({_more(why)})" if why else ""),
            )


def _latest_in_one_region(ctx: Context) -> Iterator[Hit]:
    for _gallery, _definition, version in ctx.versions():
        regions = version.region_names
        if len(regions) < 3:  # with two regions, excluding one is a plain regional exclusion
            continue
        included = [r for r in regions if not version.excluded_from_latest_in(r)]
        if len(included) == 1:
            others = [r for r in regions if r != included[0]]
            yield Hit(
                version.id,
                included[0],
                f"{version.name} is excluded from latest in every target region but"
                f" {included[0]} ({', '.join(others)})",
            )


# -- replication -------------------------------------------------------------------------------


def _replication(ctx: Context, failed: bool) -> Iterator[Hit]:
    grace = ctx.config.replication_grace
    for _gallery, _definition, version in ctx.versions():
        status = version.replication_status
        if status is None or not status.summary:
            continue
        for entry in status.summary:
            state, region = entry.state, entry.region
            if state is ReplicationState.FAILED:
                if failed:
                    details = f": {entry.details}" if entry.details else ""
                    yield Hit(
                        version.id,
                        region,
                        f"replication of {version.name} to {region} failed{details}",
                    )
                continue
            if failed or state is ReplicationState.COMPLETED:
                continue
            published = version.published_date
            if published is None or ctx.at - published <= grace:
                continue
            hours = (ctx.at - published).total_seconds() / 3600
            age = f"{hours / 24:,.0f} days" if hours >= 48 else f"{hours:,.0f} hours"
            progress = f", {entry.progress}% done" if entry.progress is not None else ""
            shown = state.value if state is not None else "not reported"
            yield Hit(
                version.id,
                region,
                f"replication of {version.name} to {region} is {shown}{progress},"
                f" {age} after publishing",
            )


def _replication_failed(ctx: Context) -> Iterator[Hit]:
    return _replication(ctx, failed=True)


def _replication_slow(ctx: Context) -> Iterator[Hit]:
    return _replication(ctx, failed=False)


# -- sharing and quotas ------------------------------------------------------------------------


def _version_level_sharing(ctx: Context) -> Iterator[Hit]:
    model = ctx.access
    if model is None:
        return
    names = {role.id: role.name for role in model.role_definitions}
    for assignment in model.role_assignments:
        scope = assignment.scope
        if scope.kind is not ResourceKind.IMAGE_VERSION or scope not in ctx.inventory:
            continue
        role = names.get(assignment.role_definition_id, assignment.role_definition_id)
        yield Hit(
            scope,
            None,
            f"{role} is assigned to {assignment.principal_id} on the image version"
            f" {scope.version} itself",
        )


def _quota(ctx: Context, over: bool) -> Iterator[Hit]:
    for finding in ctx.quotas():
        if finding.over is over:
            yield Hit(
                ResourceId.parse(f"/subscriptions/{finding.subscription_id}"),
                finding.region,
                str(finding),
            )


def _quota_exceeded(ctx: Context) -> Iterator[Hit]:
    return _quota(ctx, over=True)


def _quota_near_limit(ctx: Context) -> Iterator[Hit]:
    return _quota(ctx, over=False)


# -- publishing --------------------------------------------------------------------------------


def _shallow_replication(ctx: Context) -> Iterator[Hit]:
    for gallery, definition in ctx.definitions():
        if ctx.config.is_test(definition, gallery):
            continue
        for version in definition.versions.values():
            if version.publishing_profile.replication_mode is ReplicationMode.SHALLOW:
                yield Hit(
                    version.id,
                    None,
                    f"{version.name} uses shallow replication, which is meant for test images;"
                    f" {definition.name} is not marked as a test image",
                )


def _source_region_unusual(ctx: Context) -> Iterator[Hit]:
    for _gallery, definition in ctx.definitions():
        versions = list(definition.versions.values())
        if len(versions) < 2:
            continue
        counts = Counter(v.location for v in versions)
        usual = {definition.location} | {r for r, n in counts.items() if 2 * n >= len(versions)}
        for version in versions:
            if version.location not in usual:
                yield Hit(
                    version.id,
                    version.location,
                    f"{version.name} was published from {version.location}; the versions of"
                    f" {definition.name} are published from {', '.join(sorted(usual))}",
                )


def _location_mismatch(ctx: Context) -> Iterator[Hit]:
    for gallery, definition in ctx.definitions():
        if gallery.implied or definition.implied:
            continue
        if definition.location != gallery.location:
            yield Hit(
                definition.id,
                definition.location,
                f"{definition.name} is in {definition.location}, its gallery {gallery.name} in"
                f" {gallery.location}",
            )


# -- the table ---------------------------------------------------------------------------------

_OVERVIEW: Final = "product documents, Shared Image Galleries overview (2020)"
_FAQ: Final = "product documents, Shared Image Galleries FAQ (2019-2020)"

RULES: Final[tuple[LintRule, ...]] = (
    LintRule(
        id="no-eligible-latest",
        severity=Severity.ERROR,
        title="a target region where no version is eligible for latest",
        source="Troubleshoot images in an Azure Compute Gallery: a definition id fails with"
        " 'There is no latest image version exists' or 'is not available in [region] region'"
        " when no version is included in latest in the region (azure-gallery.md §3, D3)",
        hint="Publish or replicate a version to the region, or clear an exclude-from-latest"
        " flag; deployments asking for latest fail there.",
        check=_no_eligible_latest,
    ),
    LintRule(
        id="replication-failed",
        severity=Severity.ERROR,
        title="replication to a region failed",
        source=f"{_OVERVIEW}, Replication: a version can be deployed in a region once its"
        " replication there has completed (azure-gallery.md §3, D2)",
        hint="Replicate again (update the target regions) or drop the region; nothing can be"
        " deployed from the version there.",
        check=_replication_failed,
    ),
    LintRule(
        id="replica-limits",
        severity=Severity.ERROR,
        title="more replicas than a documented maximum",
        source="Azure Compute Gallery best practices: at most 50 replicas per region; limits:"
        " 100 replicas per image version since January 2023 (azure-gallery.md §6, D2, D8)",
        hint="Lower the replica count, or spread the load over more regions or images.",
        check=_replica_limits,
    ),
    LintRule(
        id="quota-exceeded",
        severity=Severity.ERROR,
        title="more galleries, definitions or versions than the quota",
        source=f"{_OVERVIEW}, Limits: 100 galleries, 1,000 image definitions and 10,000 image"
        " versions per subscription and region (azure-gallery.md §6, D2)",
        hint="Delete unused versions or definitions, or ask for a higher quota; creating more"
        " fails.",
        check=_quota_exceeded,
    ),
    LintRule(
        id="production-min-replicas",
        severity=Severity.WARNING,
        title="a production image with fewer than 3 replicas where latest is deployed",
        source="Azure Compute Gallery best practices: keep at least 3 replicas of production"
        " images (azure-gallery.md §6, D2)",
        hint="Set regionalReplicaCount to at least 3 in the region (updatable after creation).",
        check=_production_min_replicas,
    ),
    LintRule(
        id="replicas-for-load",
        severity=Severity.WARNING,
        title="fewer replicas than the expected concurrent load needs",
        source=f"{_OVERVIEW}, Scaling: one replica per 20 VMs created at the same time, one per"
        " scale set of up to 600 instances; the older Scaling text says one per 50 VMs"
        " (azure-gallery.md §6, D2)",
        hint="Raise the region's replica count to the recommended number, or spread the load"
        " over more regions.",
        needs="expected_load",
        check=_replicas_for_load,
    ),
    LintRule(
        id="production-zone-redundant",
        severity=Severity.WARNING,
        title="a production image on locally redundant replicas in a region with zones",
        source=f"{_OVERVIEW}, Make your images highly available: store images on"
        " zone-redundant storage (Standard_ZRS) in regions with availability zones; regions:"
        " Azure regions with availability zone support (Microsoft Learn, 2024-11-20)",
        hint="Publish the next version with storageAccountType Standard_ZRS in the region (the"
        " storage type of an existing version cannot change).",
        check=_production_zone_redundant,
    ),
    LintRule(
        id="production-deletion-protection",
        severity=Severity.WARNING,
        title="a production version in use whose replicated regions may be removed",
        source="Azure Compute Gallery best practices: set allowDeletionOfReplicatedLocations to"
        " false so that replicated regions are not removed by accident (azure-gallery.md §2,"
        " D2)",
        hint="Set safetyProfile.allowDeletionOfReplicatedLocations to false (updatable); consider"
        " blockDeletionBeforeEndOfLife as well.",
        check=_production_deletion_protection,
    ),
    LintRule(
        id="definition-past-end-of-life",
        severity=Severity.WARNING,
        title="an image definition past its end of life",
        source=f"{_OVERVIEW}, Image definitions: the end-of-life date lets automation delete"
        " old image definitions",
        hint="Delete the definition's versions and the definition, or move the end-of-life"
        " date if the image is still meant to be used.",
        check=_definition_past_end_of_life,
    ),
    LintRule(
        id="latest-past-end-of-life",
        severity=Severity.WARNING,
        title="a version past its end of life that latest still gives",
        source=f"{_OVERVIEW}, Image versions: the end-of-life date is when VMs can no longer be"
        " created from the version; Azure treats it as informational, so latest still gives"
        " the version (azure-gallery.md §3, D1)",
        hint="Exclude the version from latest, or publish a newer one: deployments asking for"
        " latest still get this version.",
        check=_latest_past_end_of_life,
    ),
    LintRule(
        id="replication-slow",
        severity=Severity.WARNING,
        title="replication still running long after publishing",
        source=f"{_OVERVIEW}, Replication: replication can take a few hours; troubleshooting:"
        " wait up to 6 hours (azure-gallery.md §6, D3)",
        hint="Check the replication status (az sig image-version show --expand"
        " ReplicationStatus); keep images small and source and target regions close.",
        check=_replication_slow,
    ),
    LintRule(
        id="version-level-sharing",
        severity=Severity.WARNING,
        title="access granted on an individual image version",
        source=f"{_OVERVIEW}, Access: share at the gallery level; sharing individual image"
        " versions is not recommended (azure-gallery.md §8, D9)",
        hint="Grant the role at the gallery (or definition) scope instead, and remove the"
        " version-level assignment.",
        needs="access",
        check=_version_level_sharing,
    ),
    LintRule(
        id="quota-near-limit",
        severity=Severity.WARNING,
        title="galleries, definitions or versions near the quota",
        source=f"{_OVERVIEW}, Limits: 100 galleries, 1,000 image definitions and 10,000 image"
        " versions per subscription and region (azure-gallery.md §6, D2)",
        hint="Plan retention (imagegallery.planning.KeepLatest, DeleteEndOfLife) before the"
        " limit is reached.",
        check=_quota_near_limit,
    ),
    LintRule(
        id="shallow-replication",
        severity=Severity.WARNING,
        title="shallow replication outside test images",
        source="Azure Compute Gallery: shallow replication is for test images, not for"
        " large-scale deployment (azure-gallery.md §6, D1, D2, D8)",
        hint="Publish with full replication, or mark the definition as a test image (test tags"
        " or test definitions in the configuration).",
        check=_shallow_replication,
    ),
    LintRule(
        id="end-of-life-missing",
        severity=Severity.INFO,
        title="a definition, or its latest version, without an end-of-life date",
        source=f"{_OVERVIEW}, Image definitions and Image versions: the end-of-life date lets"
        " automation retire old images",
        hint="Set endOfLifeDate (updatable after creation).",
        check=_end_of_life_missing,
    ),
    LintRule(
        id="latest-in-one-region",
        severity=Severity.INFO,
        title="a version in 3 or more regions excluded from latest in all of them but one",
        source="Azure Compute Gallery: a regional exclude-from-latest flag takes precedence over"
        " the version's flag (azure-gallery.md §3, D2)",
        hint="If the version is a canary, ignore this rule for it; otherwise align its"
        " regional exclude flags.",
        check=_latest_in_one_region,
    ),
    LintRule(
        id="source-region-unusual",
        severity=Severity.INFO,
        title="a version published from a region its definition's versions do not use",
        source=f"{_FAQ}: keep the source region close to the target regions, and the resource"
        " group, gallery, definition and version in the same location",
        hint="Publish from the definition's usual source region, close to its target regions.",
        check=_source_region_unusual,
    ),
    LintRule(
        id="location-mismatch",
        severity=Severity.INFO,
        title="an image definition in another region than its gallery",
        source=f"{_FAQ}: as a best practice, keep the resource group, gallery, image definition"
        " and image version in the same location",
        hint="Create definitions in their gallery's region.",
        check=_location_mismatch,
    ),
)
"""Every rule, errors first (the order of reports)."""

_BY_ID: Final = {r.id: r for r in RULES}


def rule(rule_id: str) -> LintRule:
    """The rule with id ``rule_id``.

    Raises:
        InvalidFieldError: No such rule.

    Example:
        >>> from imagegallery.review import rule
        >>> rule("shallow-replication").severity.value
        'warning'
    """
    found = _BY_ID.get(rule_id) if isinstance(rule_id, str) else None  # type: ignore[redundant-expr]
    if found is None:
        raise InvalidFieldError(
            f"unknown lint rule; use one of {', '.join(_BY_ID)}", field="rule", value=rule_id
        )
    return found
