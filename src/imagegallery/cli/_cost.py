"""``imagegallery cost``: monthly snapshot storage and one-time egress, by any grouping.

Prices come from the embedded sheet (:meth:`imagegallery.costs.PriceSheet.default`), or from
Azure Retail Prices API pages given with ``--prices`` layered over it; regions the sheet does
not price are estimated and flagged (``*``). Sizes are the disks' used sizes where the export
has them, or those given with ``--used-sizes``; otherwise the provisioned size, flagged as an
upper bound.

Example:
    >>> from imagegallery.cli import main
    >>> main(["cost", "--by", "storage-type"])  # doctest: +NORMALIZE_WHITESPACE
    Gallery replica costs: 13 versions, 24 region lines (USD, prices as of 2026-07-14)
    Monthly snapshot storage:  39.91 USD
    One-time egress of first copies:  6.10 USD (egress rates unverified)
    <BLANKLINE>
    BY STORAGE TYPE  MONTHLY  EGRESS  REPLICAS
    Premium_LRS        16.89    0.43         6
    Standard_LRS       16.15    4.70        18
    Standard_ZRS        6.88    0.98        11
    <BLANKLINE>
    Notes:
      - 11 first copies are priced with unverified egress rates
      - 1 version(s) use shallow replication: no copy is made, priced at zero (the source disk
        is billed outside the gallery; unverified)
    0
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from imagegallery.cli._common import (
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_input_arguments,
    add_output_arguments,
    json_value,
    load_inventory,
    money,
    read_json,
    table,
)
from imagegallery.costs import CostReport, CostTotal, PriceSheet, estimate_cost
from imagegallery.errors import ImageGalleryError
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.version import ImageVersion

__all__ = [
    "BY",
    "COMMAND",
    "cost_document",
    "cost_records",
    "cost_text",
    "read_prices",
    "read_used_sizes",
]

BY: Final = {
    "version": "version",
    "definition": "definition",
    "gallery": "gallery",
    "subscription": "subscription",
    "region": "region",
    "source-region": "source_region",
    "storage-type": "storage_type",
}
"""``--by`` choices → the groupings of :meth:`imagegallery.costs.CostReport.totals`."""

_DEFAULT_BY: Final = ("gallery", "region", "storage-type")


def read_prices(paths: Sequence[str], ctx: Context) -> PriceSheet:
    """The default sheet with each file's Retail Prices API pages layered over it, in order;
    prices it still lacks are estimated (and flagged)."""
    sheet = PriceSheet.default()
    for path in paths:
        name = "<stdin>" if path == "-" else path
        with ctx.progress.step(f"reading prices from {name}"):
            pages = read_json(path, stdin=ctx.stdin, parse_float=Decimal)
            try:
                sheet = PriceSheet.from_retail_prices(pages, base=sheet)
            except ImageGalleryError as err:
                raise InputError(name, str(err)) from None
    return sheet.with_fallback()


def _size(value: object, name: str, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InputError(name, f"{key}: a used size is a number of GB (got {value!r})")
    try:
        size = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(name, f"{key}: a used size is a number of GB (got {value!r})") from None
    if not size.is_finite() or size < 0:
        raise InputError(name, f"{key}: a used size is a finite, non-negative number of GB")
    return size


def _used_size_items(path: str, ctx: Context) -> Iterator[tuple[str, str, object]]:
    """``(field path, version id, size)`` from a JSON mapping or list, or a CSV file."""
    name = "<stdin>" if path == "-" else path
    if path.lower().endswith(".csv"):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as err:
            raise InputError(name, f"cannot read the file: {err.strerror or err}") from None
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or not {"version_id", "used_gb"} <= set(reader.fieldnames):
            raise InputError(name, "expected the CSV columns version_id and used_gb")
        for line, row in enumerate(reader, start=2):
            yield f"line {line}", row["version_id"] or "", row["used_gb"]
        return
    data = read_json(path, stdin=ctx.stdin, parse_float=Decimal)
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield str(key), str(key), value
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if not isinstance(item, Mapping):
                raise InputError(name, f"[{index}]: expected an object with id and used_gb")
            rid = item.get("version_id", item.get("id"))
            yield f"[{index}]", str(rid or ""), item.get("used_gb")
    else:
        raise InputError(
            name, "expected {version id: used GB}, a list of {id, used_gb}, or a CSV file"
        )


def read_used_sizes(
    path: str, inventory: Inventory, ctx: Context
) -> dict[str | ResourceId, float | int | Decimal]:
    """Used sizes in GB per image version id, checked against the inventory."""
    name = "<stdin>" if path == "-" else path
    out: dict[str | ResourceId, float | int | Decimal] = {}
    for field, rid, value in _used_size_items(path, ctx):
        try:
            found = inventory.get(rid) if rid.startswith("/") else None
        except ImageGalleryError:
            found = None
        if not isinstance(found, ImageVersion):
            raise InputError(
                name, f"{field}: not an image version of the inventory (got {rid[:120]!r})"
            )
        out[str(found.id)] = _size(value, name, field)
    return out


# -- rendering -------------------------------------------------------------------------------------


def _label(by: str, key: Any) -> str:
    if by == "gallery" and isinstance(key, ResourceId):
        return f"{key.gallery} ({key.resource_group}, {(key.subscription_id or '')[:8]})"
    if by == "definition" and isinstance(key, ResourceId):
        return f"{key.gallery}/{key.image}"
    if by == "version" and isinstance(key, ResourceId):
        return f"{key.gallery}/{key.image}/{key.version}"
    return str(key)


def _ranked(totals: Mapping[Any, CostTotal]) -> list[tuple[Any, CostTotal]]:
    return sorted(totals.items(), key=lambda kv: (-kv[1].monthly_storage, str(kv[0]).lower()))


def _summary(report: CostReport, versions: int, lines: int) -> list[str]:
    currency = report.currency
    unverified = not report.prices.egress_verified and report.one_time_egress > 0
    return [
        f"Gallery replica costs: {versions} versions, {lines} region lines"
        f" ({currency}, prices as of {report.prices.as_of})",
        f"Monthly snapshot storage:  {money(report.monthly_storage)} {currency}",
        f"One-time egress of first copies:  {money(report.one_time_egress)} {currency}"
        + (" (egress rates unverified)" if unverified else ""),
    ]


def _counts(report: CostReport, versions: int) -> tuple[int, int]:
    lines = sum(total.lines for total in report.by_region().values())
    return versions, lines


def cost_text(
    report: CostReport, groupings: Sequence[str], *, versions: int, top: int | None = None
) -> str:
    """The totals, then one table per grouping (largest first; ``top`` rows each if given),
    then every note. ``versions`` is the number of versions priced."""
    if not versions:
        return "Gallery replica costs: no image versions, nothing to price."
    lines = _summary(report, *_counts(report, versions))
    estimated = False
    for by in groupings:
        ranked = _ranked(report.totals(BY[by]))
        shown = ranked if top is None else ranked[:top]
        rows = []
        for key, total in shown:
            estimated = estimated or total.estimated
            rows.append(
                [
                    _label(BY[by], key) + (" *" if total.estimated else ""),
                    money(total.monthly_storage),
                    money(total.one_time_egress),
                    str(total.replicas),
                ]
            )
        headers = [f"BY {by.replace('-', ' ').upper()}", "MONTHLY", "EGRESS", "REPLICAS"]
        lines += ["", *table(headers, rows, right={1, 2, 3})]
        if len(shown) < len(ranked):
            lines.append(f"  ... and {len(ranked) - len(shown)} more (--top)")
    if estimated:
        lines += ["", "* includes estimates (unmeasured used size or an unpriced region)"]
    if report.warnings:
        lines += ["", "Notes:", *(f"  - {warning}" for warning in report.warnings)]
    if report.prices.notes:
        lines += ["", "Prices:", *(f"  - {note}" for note in report.prices.notes)]
    return "\n".join(lines)


def _group_records(report: CostReport, by: str) -> list[dict[str, Any]]:
    return [
        {
            "key": str(key),
            "label": _label(BY[by], key),
            "monthly_storage": json_value(total.monthly_storage),
            "one_time_egress": json_value(total.one_time_egress),
            "replicas": total.replicas,
            "lines": total.lines,
            "estimated": total.estimated,
        }
        for key, total in _ranked(report.totals(BY[by]))
    ]


def cost_document(report: CostReport, groupings: Sequence[str], *, versions: int) -> dict[str, Any]:
    """The ``imagegallery.cost/1`` document (without its ``schema`` key)."""
    versions, lines = _counts(report, versions)
    return {
        "currency": report.currency,
        "prices_as_of": json_value(report.prices.as_of),
        "size_basis": report.size_basis,
        "unit": report.unit,
        "versions": versions,
        "lines": lines,
        "monthly_storage": json_value(report.monthly_storage),
        "one_time_egress": json_value(report.one_time_egress),
        "estimated": report.estimated,
        "egress_verified": report.prices.egress_verified,
        "groupings": {by: _group_records(report, by) for by in groupings},
        "warnings": list(report.warnings),
        "price_notes": list(report.prices.notes),
    }


_COLUMNS: Final = (
    "by",
    "key",
    "label",
    "monthly_storage",
    "one_time_egress",
    "replicas",
    "lines",
    "estimated",
    "currency",
)


def cost_records(report: CostReport, groupings: Sequence[str]) -> Iterator[dict[str, Any]]:
    """CSV rows: one per group of each grouping, with the grouping in ``by``."""
    for by in groupings:
        for record in _group_records(report, by):
            yield {"by": by, **record, "currency": report.currency}


# -- the command -----------------------------------------------------------------------------------


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--prices",
        action="extend",
        nargs="+",
        metavar="FILE",
        help="Azure Retail Prices API pages (or recorded responses) to layer over the embedded"
        " price sheet, in order",
    )
    parser.add_argument(
        "--used-sizes",
        metavar="FILE",
        help="measured used sizes: JSON {version id: GB} or [{id, used_gb}], or CSV with"
        " version_id,used_gb",
    )
    parser.add_argument(
        "--by",
        action="append",
        choices=tuple(BY),
        help="group totals by this (repeatable; default: gallery, region, storage-type)",
    )
    parser.add_argument(
        "--size-basis",
        choices=("used", "provisioned"),
        default="used",
        help="price the used size (what Azure bills; default) or the provisioned size",
    )
    parser.add_argument(
        "--top",
        type=int,
        metavar="N",
        help="in text output, show only the N largest groups of each grouping",
    )
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    groupings = tuple(dict.fromkeys(args.by or _DEFAULT_BY))
    if args.top is not None and args.top < 1:
        raise InputError("--top", f"must be at least 1 (got {args.top})")
    prices = read_prices(args.prices or (), ctx)
    inventory = load_inventory(ctx)
    used = read_used_sizes(args.used_sizes, inventory, ctx) if args.used_sizes else None
    if used is not None and args.size_basis != "used":
        raise InputError("--used-sizes", "applies only with --size-basis used")
    with ctx.progress.step("pricing"):
        report = estimate_cost(inventory, prices, size_basis=args.size_basis, used_gb=used)
    versions = len(inventory)
    return Answer(
        command="cost",
        text=lambda: cost_text(report, groupings, versions=versions, top=args.top),
        document=lambda: cost_document(report, groupings, versions=versions),
        columns=_COLUMNS,
        rows=lambda: cost_records(report, groupings),
        status=EXIT_OK,
    )


COMMAND: Final = Command(
    name="cost",
    help="monthly snapshot storage and one-time egress, by any grouping",
    description="What the replicas cost: monthly snapshot storage (per replica, per region, on"
    " the used size) and the one-time egress of each first copy to another region, in total and"
    " grouped. Nothing is cut from the machine formats.",
    examples="""\
  imagegallery cost                                         # the sample inventory
  imagegallery cost -i export.json --by region --by definition
  imagegallery cost -i export.json --prices westeurope-prices.json eastus-prices.json
  imagegallery cost -i export.json --used-sizes used.csv --by version --format csv -o cost.csv""",
    arguments=_arguments,
    run=_run,
)
