"""The command line's cost summary of an inventory."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from imagegallery.costs import CostTotal, PriceSheet, estimate_cost
from imagegallery.inventory import Inventory

__all__ = ["render_cost_report"]

_CENT: Final = Decimal("0.01")
_ROWS: Final = 5
_WIDTH: Final = 44


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}"


def _section(title: str, totals: dict[Any, CostTotal], label: Any) -> list[str]:
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1].monthly_storage, str(kv[0]).lower()))
    rows = [f"{title:<{_WIDTH}}{'monthly':>11}{'egress':>11}"]
    for key, total in ranked[:_ROWS]:
        name = label(key) + (" *" if total.estimated else "")
        rows.append(
            f"  {name:<{_WIDTH - 2}}{_money(total.monthly_storage):>11}"
            f"{_money(total.one_time_egress):>11}"
        )
    if len(ranked) > _ROWS:
        rows.append(f"  ... and {len(ranked) - _ROWS} more")
    return rows


def render_cost_report(inventory: Inventory) -> str:
    """The cost summary of ``inventory`` under the default price sheet, as text.

    Monthly snapshot storage and one-time egress of first copies, in total and by gallery,
    region and storage type (largest first, at most five rows each), then the first notes; at
    most 30 lines.
    Regions the default sheet does not price are estimated (fallback) and marked ``*``.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.cli._cost import render_cost_report
        >>> print(render_cost_report(sample_inventory()))  # doctest: +ELLIPSIS
        Gallery replica costs: 13 versions, 24 region lines (USD, prices as of 2026-07-14)
        Monthly snapshot storage:  39.91 USD
        One-time egress of first copies:  6.10 USD (egress rates unverified)
        <BLANKLINE>
        By gallery                                      monthly     egress
          myGallery (rg-images, 11111111)                 31.61       4.23
          sharedGallery (rg-shared, 22222222)              7.70       1.88
          communityGallery (rg-shared, 22222222)           0.60       0.00
        By region                                       monthly     egress
          westeurope                                      28.05       1.88
          eastus                                           9.74       3.38
          northeurope                                      1.70       0.68
          swedencentral                                    0.43       0.17
        By storage type                                 monthly     egress
          Premium_LRS                                     16.89       0.43
          Standard_LRS                                    16.15       4.70
          Standard_ZRS                                     6.88       0.98
        Notes:
          - 11 first copies are priced with unverified egress rates
          - 1 version(s) use shallow replication: no copy is made, priced at zero ...
    """
    prices = PriceSheet.default().with_fallback()
    report = estimate_cost(inventory, prices)
    versions = len(report.table.version_ids)
    if not versions:
        return "Gallery replica costs: no image versions, nothing to price."
    currency = report.currency
    unverified = any(not line.egress_verified and line.egress for line in report.lines)
    lines = [
        f"Gallery replica costs: {versions} versions, {len(report.table.rows)} region lines"
        f" ({currency}, prices as of {prices.as_of})",
        f"Monthly snapshot storage:  {_money(report.monthly_storage)} {currency}",
        f"One-time egress of first copies:  {_money(report.one_time_egress)} {currency}"
        + (" (egress rates unverified)" if unverified else ""),
        "",
    ]
    lines += _section(
        "By gallery",
        report.by_gallery(),
        lambda g: f"{g.gallery} ({g.resource_group}, {(g.subscription_id or '')[:8]})",
    )
    lines += _section("By region", report.by_region(), str)
    lines += _section("By storage type", report.by_storage_type(), str)
    if report.estimated:
        lines.append("* includes estimates (unmeasured used size or an unpriced region)")
    if report.warnings:
        lines.append("Notes:")
        lines += [f"  - {warning}" for warning in report.warnings[:3]]
        if len(report.warnings) > 3:
            lines.append(f"  - ... and {len(report.warnings) - 3} more")
    return "\n".join(lines)
