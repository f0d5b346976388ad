"""The "latest" report of the command line: every definition, every region, one line each.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> report = render_latest_report(sample_inventory(), at=datetime(2025, 3, 1, tzinfo=UTC))
    >>> print(report.splitlines()[0])
    Latest image versions at 2025-03-01 (end of life: skip; replication required)
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidTypeError
from imagegallery.inventory import Inventory
from imagegallery.resolve._index import first_eligible
from imagegallery.resolve._query import (
    EndOfLifePolicy,
    Query,
    ReasonKind,
    format_datetime,
    make_query,
    target_region_names,
)
from imagegallery.resolve.latest import Verdict, _explain

__all__ = ["render_latest_report"]

_SHOWN: Final = 3


def definition_regions(definition: ImageDefinition) -> list[str]:
    """The union of the target regions of a definition's versions, sorted.

    Example:
        >>> from imagegallery import sample_inventory
        >>> definition_regions(next(sample_inventory().definitions()))
        ['eastus', 'northeurope', 'swedencentral', 'westeurope']
    """
    regions: set[str] = set()
    for version in definition.versions.values():
        regions.update(target_region_names(version))
    return sorted(regions)


def _why_none(definition: ImageDefinition, query: Query) -> str:
    """Why no version is eligible.

    The versions that target the region come first, with their reasons; those that do not are
    only counted.
    """
    resolution = _explain(definition, query)
    targeting = []
    elsewhere = 0
    for candidate in resolution.candidates:
        if candidate.verdict is not Verdict.REJECTED:
            continue
        if any(reason.kind is ReasonKind.NOT_IN_REGION for reason in candidate.reasons):
            elsewhere += 1
        else:
            why = ", ".join(str(reason) for reason in candidate.reasons)
            targeting.append(f"{candidate.name} {why}")
    items = targeting[:_SHOWN]
    if len(targeting) > len(items):
        items.append(f"+{len(targeting) - len(items)} more")
    if elsewhere:
        where = f"to {query.region}" if query.region else "anywhere"
        plural = "s" if elsewhere > 1 else ""
        items.append(f"{elsewhere} other version{plural} not replicated {where}")
    return "none: " + "; ".join(items)


def _definition_lines(
    definition: ImageDefinition, at: datetime, policy: EndOfLifePolicy
) -> list[str]:
    title = f"  {definition.name}"
    if definition.identifier is not None:
        title += f"  {definition.identifier}"
    if not definition.versions:
        return [title, "    (no versions)"]
    lines = [title]
    regions = definition_regions(definition)
    width = max(len(r) for r in regions)
    for region in regions:
        query = make_query(
            region=region, at=at, spec=None, end_of_life=policy, require_replicated=True
        )
        found = first_eligible(definition, query)
        answer = str(found.name) if found is not None else _why_none(definition, query)
        lines.append(f"    {region:<{width}}  {answer}")
    return lines


def render_latest_report(
    inventory: Inventory, *, at: datetime, end_of_life: EndOfLifePolicy = "skip"
) -> str:
    """For each definition, the latest version in each of its regions, or why there is none.

    A definition's regions are the union of its versions' target regions. Galleries come in
    the inventory's order, definitions by name, regions alphabetically, so the text depends only
    on the inventory and ``at``.

    Args:
        inventory: The galleries to report on.
        at: The moment of the question (timezone-aware).
        end_of_life: ``"skip"`` (default) or ``"allow"``, as for
            :func:`~imagegallery.resolve.resolve_latest`.

    Returns:
        The report, lines separated by ``"\\n"``, without a trailing newline.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> print(render_latest_report(sample_inventory(), at=datetime(2025, 3, 1, tzinfo=UTC)))
        Latest image versions at 2025-03-01 (end of life: skip; replication required)
        <BLANKLINE>
        myGallery  (11111111-1111-1111-1111-111111111111/rg-images)
          myImage1  Contoso/Finance/Backend
            eastus         1.0.9
            northeurope    1.1.0
            swedencentral  none: 1.1.0 excluded from latest in swedencentral (version flag);
                           3 other versions not replicated to swedencentral
            westeurope     1.0.10
          myImage2  Contoso/Finance/Frontend
            eastus      2.0.0
            westeurope  2.1.0
          myImage3  Testing/Finance/Frontend
            westeurope  0.2.0
        communityGallery  (22222222-2222-2222-2222-222222222222/rg-shared)
          devTools  Contoso/Tools/DevBox
            eastus  3.2.0
        sharedGallery  (22222222-2222-2222-2222-222222222222/rg-shared)
          linuxBase  Contoso/Base/Ubuntu2404
            eastus  24.4.2
          winBase  Contoso/Base/WindowsServer2022
            eastus      2025.1.0
            westeurope  2025.1.0
    """
    if not isinstance(inventory, Inventory):
        raise InvalidTypeError("expected an Inventory", field="inventory", value=inventory)
    if at is None:
        raise InvalidTypeError("expected a timezone-aware datetime", field="at", value=at)
    query = make_query(
        region=None, at=at, spec=None, end_of_life=end_of_life, require_replicated=True
    )
    lines = [
        f"Latest image versions at {format_datetime(query.at.replace(microsecond=0))}"
        f" (end of life: {end_of_life}; replication required)",
        "",
    ]
    if not any(True for _ in inventory.galleries()):
        lines.append("(no galleries)")
    for gallery in inventory.galleries():
        lines.append(f"{gallery.name}  ({gallery.subscription_id}/{gallery.id.resource_group})")
        if not gallery.definitions:
            lines.append("  (no image definitions)")
        for definition in gallery.definitions.values():
            lines.extend(_definition_lines(definition, query.at, end_of_life))
    return "\n".join(lines)
