"""The "latest" report of the command line: every definition, every region, one line each.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> report = render_latest_report(sample_inventory(), at=datetime(2025, 3, 1, tzinfo=UTC))
    >>> print(report.splitlines()[0])
    Latest image versions at 2025-03-01 (end of life: skip; replication required)
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Final

from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidTypeError
from imagegallery.inventory import Inventory
from imagegallery.resolve import (
    EndOfLifePolicy,
    ReasonKind,
    Verdict,
    explain_latest,
    latest_by_region,
)
from imagegallery.version import ImageVersion

__all__ = ["render_latest_report"]

_SHOWN: Final = 3


def _stamp(at: datetime) -> str:
    """The moment of the report: the date alone at midnight UTC, else the full date-time."""
    if at.utcoffset() == timedelta(0) and at.time() == time():
        return at.date().isoformat()
    return at.isoformat()


def _why_none(
    definition: ImageDefinition, region: str, at: datetime, policy: EndOfLifePolicy
) -> str:
    """Why no version is eligible.

    The versions that target the region come first, with their reasons; those that do not are
    only counted.
    """
    resolution = explain_latest(definition, region=region, at=at, end_of_life=policy)
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
        plural = "s" if elsewhere > 1 else ""
        items.append(f"{elsewhere} other version{plural} not replicated to {region}")
    return "none: " + "; ".join(items)


def _definition_lines(
    definition: ImageDefinition,
    answers: dict[str, ImageVersion | None],
    at: datetime,
    policy: EndOfLifePolicy,
) -> list[str]:
    title = f"  {definition.name}"
    if definition.identifier is not None:
        title += f"  {definition.identifier}"
    if not definition.versions:
        return [title, "    (no versions)"]
    lines = [title]
    width = max(len(r) for r in answers)
    for region, found in answers.items():
        answer = str(found.name) if found is not None else _why_none(definition, region, at, policy)
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
    answers = latest_by_region(inventory, at=at, end_of_life=end_of_life)
    lines = [
        f"Latest image versions at {_stamp(at.replace(microsecond=0))}"
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
            lines.extend(_definition_lines(definition, answers[definition.id], at, end_of_life))
    return "\n".join(lines)
