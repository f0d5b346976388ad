"""The command line: ``python -m imagegallery`` (or ``imagegallery``).

Subcommands read an inventory (the embedded sample unless ``--input`` names ARM JSON files) and
print a report:

``report``     everything below, one section after another
``inventory``  galleries, definitions and versions, and quota findings
``latest``     which version "latest" gives in each region of each definition
``access``     the sharing matrix and who can deploy each definition's latest version
``cost``       monthly snapshot storage and one-time replication egress

Example:
    >>> from imagegallery.cli import main
    >>> main(["inventory"])  # doctest: +ELLIPSIS
    Inventory: 3 galleries, 6 image definitions, 13 image versions in 2 subscriptions
    ...
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from imagegallery.arm import load_arm
from imagegallery.errors import ImageGalleryError
from imagegallery.inventory import Inventory
from imagegallery.quotas import CURRENT_LIMITS, LEGACY_LIMITS, check_quotas
from imagegallery.sample import sample_inventory
from imagegallery.timestamps import parse_datetime

__all__ = ["main", "render_inventory_report"]


def render_inventory_report(inventory: Inventory, *, legacy_limits: bool = False) -> str:
    """Galleries, definitions and versions as a compact tree, then quota findings.

    Example:
        >>> from imagegallery import sample_inventory
        >>> print(render_inventory_report(sample_inventory()).splitlines()[2])
          myGallery  westeurope  Private  sub 11111111-1111-1111-1111-111111111111  rg-images
    """
    definitions = list(inventory.definitions())
    lines = [
        f"Inventory: {len(list(inventory.galleries()))} galleries, {len(definitions)} image"
        f" definitions, {len(inventory)} image versions in {len(inventory.subscriptions())}"
        " subscriptions",
        "",
    ]
    for gallery in inventory.galleries():
        implied = "  (implied by its children)" if gallery.implied else ""
        lines.append(
            f"  {gallery.name}  {gallery.location}  {gallery.sharing_permission.value}"
            f"  sub {gallery.subscription_id}  {gallery.id.resource_group}{implied}"
        )
        for definition in gallery.definitions.values():
            os_type = definition.os_type.value if definition.os_type else "?"
            os_state = definition.os_state.value if definition.os_state else "?"
            identifier = str(definition.identifier) if definition.identifier else "?"
            names = ", ".join(str(v.name) for v in definition.versions.values())
            lines.append(
                f"    {definition.name}  {identifier}  {os_type} {os_state}"
                f" {definition.hyper_v_generation.value} {definition.architecture.value}"
                f"  versions: {names or '-'}"
            )
    findings = check_quotas(inventory, LEGACY_LIMITS if legacy_limits else CURRENT_LIMITS)
    lines.append("")
    if findings:
        lines.append("Quota findings:")
        lines.extend(f"  {finding}" for finding in findings)
    else:
        limits = "legacy" if legacy_limits else "current"
        lines.append(f"Quotas: every subscription and region is within the {limits} limits.")
    return "\n".join(lines)


def _latest(inventory: Inventory, at: datetime) -> str:
    from imagegallery.cli._latest import render_latest_report  # noqa: PLC0415

    return render_latest_report(inventory, at=at)


def _access(inventory: Inventory, at: datetime) -> str:
    from imagegallery.cli._access import render_access_report  # noqa: PLC0415

    return render_access_report(inventory, at=at)


def _cost(inventory: Inventory, _at: datetime) -> str:
    from imagegallery.cli._cost import render_cost_report  # noqa: PLC0415

    return render_cost_report(inventory)


_SECTIONS: dict[str, tuple[str, Callable[[Inventory, datetime], str]]] = {
    "latest": ("Latest version per region", _latest),
    "access": ("Access", _access),
    "cost": ("Cost", _cost),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imagegallery",
        description="Reports on Azure Compute Gallery inventories (ARM JSON, az output, "
        "Resource Graph results). Without --input, the embedded sample inventory is used.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="report",
        choices=["report", "inventory", *_SECTIONS],
        help="what to print (default: report, which prints everything)",
    )
    parser.add_argument(
        "--input",
        "-i",
        action="append",
        metavar="FILE",
        help="an ARM JSON file to load (repeatable); '-' reads standard input",
    )
    parser.add_argument(
        "--at",
        metavar="ISO8601",
        help="the moment to evaluate end of life and time-bound access at (default: now, UTC)",
    )
    parser.add_argument(
        "--legacy-limits", action="store_true", help="check the older quotas (10/200/2,000)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input).

    Example:
        >>> main(["inventory", "--input", "/no/such/file.json"])
        2
    """
    args = _parser().parse_args(argv)
    try:
        at = parse_datetime(args.at) if args.at else datetime.now(UTC)
        if args.input:
            sources = [sys.stdin if path == "-" else path for path in args.input]
            inventory = load_arm(*sources)
        else:
            inventory = sample_inventory()
        parts: list[str] = []
        if args.command in ("report", "inventory"):
            parts.append(render_inventory_report(inventory, legacy_limits=args.legacy_limits))
        for name, (title, render) in _SECTIONS.items():
            if args.command in ("report", name):
                body = render(inventory, at)
                parts.append(
                    f"{title}\n{'=' * len(title)}\n{body}" if args.command == "report" else body
                )
    except ImageGalleryError as err:
        print(f"imagegallery: error: {err}", file=sys.stderr)
        return 2
    print("\n\n".join(parts))
    return 0
