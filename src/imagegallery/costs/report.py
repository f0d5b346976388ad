"""The cost report that :func:`~imagegallery.costs.estimate_cost` returns: lines and totals.

A report keeps its lines in a compact table (one tuple of plain values per line) and builds the
:class:`~imagegallery.costs.CostLine` views the first time :attr:`CostReport.lines` is read;
totals are computed from the table on first use and kept.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> report = estimate_cost(sample_inventory())
    >>> len(report.lines), report.currency
    (24, 'USD')
    >>> {kind: str(t.monthly_storage) for kind, t in report.by_storage_type().items()}
    {'Premium_LRS': '16.8890', 'Standard_LRS': '16.150', 'Standard_ZRS': '6.875'}
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from imagegallery.costs.line import (
    ESTIMATED,
    EXACT,
    CostLine,
    LineTable,
    SizeSource,
    _parent,
)
from imagegallery.costs.prices import PriceSheet
from imagegallery.errors import InvalidFieldError

__all__ = ["GROUPINGS", "CostReport", "CostTotal"]

GROUPINGS: Final = (
    "version",
    "definition",
    "gallery",
    "subscription",
    "region",
    "source_region",
    "storage_type",
)
"""What :meth:`CostReport.totals` can group by."""

_ZERO: Final = Decimal(0)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CostTotal:
    """Summed costs of a group of lines.

    Attributes:
        monthly_storage: Snapshot storage per month.
        one_time_egress: Egress of first copies, paid once.
        replicas: Replicas (snapshots) counted.
        lines: Lines summed.
        estimated: Whether any summed line is an estimate.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> total = estimate_cost(sample_inventory()).by_region()["northeurope"]
        >>> total.monthly_storage, total.one_time_egress, total.replicas, total.lines
        (Decimal('1.700'), Decimal('0.680'), 4, 4)
    """

    monthly_storage: Decimal
    one_time_egress: Decimal
    replicas: int
    lines: int
    estimated: bool


@attrs.frozen(kw_only=True)
class CostReport:
    """The cost of a set of image versions under one price sheet.

    Attributes:
        monthly_storage: Total snapshot storage per month.
        one_time_egress: Total egress of first copies (paid once, when replicating).
        currency: The currency of every amount.
        prices: The sheet used.
        size_basis: ``"used"`` or ``"provisioned"``.
        unit: ``"GiB"`` or ``"GB"``: what the sheet's per-GB prices were read as.
        warnings: What the reader should know (estimates, assumptions, unverified prices, parts
            that were not priced).

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> report = estimate_cost(sample_inventory())
        >>> for region, total in report.by_region().items():
        ...     print(region, total.monthly_storage, total.one_time_egress, total.replicas)
        eastus 9.7440 3.375 12
        northeurope 1.700 0.680 4
        swedencentral 0.425 0.170 1
        westeurope 28.0450 1.875 18
    """

    monthly_storage: Decimal
    one_time_egress: Decimal
    currency: str
    prices: PriceSheet = attrs.field(repr=False)
    size_basis: str
    unit: str
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_strings, repr=False)
    table: LineTable = attrs.field(repr=False)
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)

    @classmethod
    def from_lines(
        cls,
        lines: Iterable[CostLine],
        *,
        prices: PriceSheet,
        size_basis: str = "used",
        unit: str = "GiB",
        warnings: Iterable[str] = (),
    ) -> CostReport:
        """A report over given lines (for example a selection of another report's lines).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import CostReport, estimate_cost
            >>> full = estimate_cost(sample_inventory())
            >>> eu = CostReport.from_lines([l for l in full.lines if l.region == "westeurope"],
            ...                            prices=full.prices)
            >>> eu.monthly_storage == full.by_region()["westeurope"].monthly_storage
            True
        """
        table = LineTable.from_lines(lines)
        with decimal.localcontext(EXACT):
            monthly = sum((row[5] for row in table.rows), _ZERO)
            egress = sum((row[8] for row in table.rows), _ZERO)
        return cls(
            monthly_storage=monthly,
            one_time_egress=egress,
            currency=prices.currency,
            prices=prices,
            size_basis=size_basis,
            unit=unit,
            warnings=tuple(warnings),
            table=table,
        )

    @property
    def lines(self) -> tuple[CostLine, ...]:
        """One line per version x region (x storage type), in the order of the input."""
        cached = self._cache.get("lines")
        if cached is None:
            make = self.table.line
            cached = self._cache["lines"] = tuple(make(row) for row in self.table.rows)
        return cached

    @property
    def estimated(self) -> bool:
        """Whether any line rests on an estimate (upper-bound size or fallback price)."""
        upper = SizeSource.UPPER_BOUND
        table = self.table
        return any(s is upper for s in table.size_sources) or any(
            row[9] & ESTIMATED for row in table.rows
        )

    def totals(self, by: str) -> dict[Any, CostTotal]:
        """Sum the lines by ``version``, ``definition``, ``gallery``, ``subscription``,
        ``region``, ``source_region`` or ``storage_type``, sorted by key.

        Keys are :class:`~imagegallery.ids.ResourceId` for versions, definitions and galleries,
        strings otherwise.

        Raises:
            InvalidFieldError: ``by`` is not one of :data:`GROUPINGS`.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> totals = estimate_cost(sample_inventory()).totals("subscription")
            >>> {sub[:8]: str(t.monthly_storage) for sub, t in totals.items()}
            {'11111111': '31.6140', '22222222': '8.300'}
        """
        if by not in GROUPINGS:
            raise InvalidFieldError(
                f"cannot group by {by!r}; use one of {', '.join(GROUPINGS)}", field="by", value=by
            )
        cached = self._cache.get(by)
        if cached is None:
            with decimal.localcontext(EXACT):
                cached = self._cache[by] = _group(self.table, by)
        return dict(cached)

    def by_version(self) -> dict[Any, CostTotal]:
        """Totals per image version id (see :meth:`totals`).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> len(estimate_cost(sample_inventory()).by_version())
            13
        """
        return self.totals("version")

    def by_definition(self) -> dict[Any, CostTotal]:
        """Totals per image definition id (see :meth:`totals`).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> len(estimate_cost(sample_inventory()).by_definition())
            6
        """
        return self.totals("definition")

    def by_gallery(self) -> dict[Any, CostTotal]:
        """Totals per gallery id (see :meth:`totals`).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> len(estimate_cost(sample_inventory()).by_gallery())
            3
        """
        return self.totals("gallery")

    def by_subscription(self) -> dict[Any, CostTotal]:
        """Totals per subscription id (see :meth:`totals`).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> len(estimate_cost(sample_inventory()).by_subscription())
            2
        """
        return self.totals("subscription")

    def by_region(self) -> dict[Any, CostTotal]:
        """Totals per region the replicas are in (see :meth:`totals`).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> len(estimate_cost(sample_inventory()).by_region())
            4
        """
        return self.totals("region")

    def by_storage_type(self) -> dict[Any, CostTotal]:
        """Totals per storage type (see :meth:`totals`).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> len(estimate_cost(sample_inventory()).by_storage_type())
            3
        """
        return self.totals("storage_type")

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per line, for ``pandas.DataFrame(report.to_records())``.

        Ids are strings; amounts stay :class:`~decimal.Decimal` (convert with ``float`` only
        for plotting).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> row = estimate_cost(sample_inventory()).to_records()[0]
            >>> row["gallery"], row["definition"], row["version"], row["region"], row["monthly"]
            ('myGallery', 'myImage1', '1.0.0', 'westeurope', Decimal('0.850'))
        """
        return [_record(line, self.currency) for line in self.lines]

    def __repr__(self) -> str:
        return (
            f"CostReport(lines={len(self.table.rows)}, monthly_storage={self.monthly_storage},"
            f" one_time_egress={self.one_time_egress}, currency={self.currency!r})"
        )


def _version_keys(table: LineTable, by: str) -> list[Any]:
    ids = table.version_ids
    if by == "version":
        return list(ids)
    if by == "definition":
        return [_parent(v) for v in ids]
    if by == "gallery":
        return [_parent(_parent(v)) for v in ids]
    if by == "subscription":
        return [v.subscription_id or "" for v in ids]
    return list(table.sources)


def _group(table: LineTable, by: str) -> dict[Any, CostTotal]:
    # Each row's group is a small integer: per version (one hash per version, not per line) for
    # the per-version groupings, per row for region and storage type (strings hash fast).
    index: dict[Any, int] = {}
    rows = table.rows
    if by in ("region", "storage_type"):
        column = 1 if by == "region" else 2
        slots = [index.setdefault(row[column], len(index)) for row in rows]
    else:
        per_version = [index.setdefault(k, len(index)) for k in _version_keys(table, by)]
        slots = [per_version[row[0]] for row in rows]
    count = len(index)
    monthly = [_ZERO] * count
    egress = [_ZERO] * count
    replicas = [0] * count
    lines = [0] * count
    estimated = [False] * count
    upper = [s is SizeSource.UPPER_BOUND for s in table.size_sources]
    for slot, row in zip(slots, rows, strict=True):
        monthly[slot] += row[5]
        egress[slot] += row[8]
        replicas[slot] += row[3]
        lines[slot] += 1
        if row[9] & ESTIMATED or upper[row[0]]:
            estimated[slot] = True
    ordered = sorted(index.items(), key=lambda kv: str(kv[0]).lower())
    return {
        key: CostTotal(
            monthly_storage=monthly[i],
            one_time_egress=egress[i],
            replicas=replicas[i],
            lines=lines[i],
            estimated=estimated[i],
        )
        for key, i in ordered
    }


def _record(line: CostLine, currency: str) -> dict[str, Any]:
    rid = line.version_id
    return {
        "subscription_id": line.subscription_id,
        "resource_group": rid.resource_group,
        "gallery": rid.gallery,
        "definition": rid.image,
        "version": rid.version,
        "version_id": str(rid),
        "region": line.region,
        "source_region": line.source_region,
        "storage_type": line.storage_type,
        "replicas": line.replicas,
        "size_gb": line.size_gb,
        "size_source": line.size_source.value,
        "unit_price": line.unit_price,
        "monthly": line.monthly,
        "egress_gb": line.egress_gb,
        "egress_unit_price": line.egress_unit_price,
        "egress": line.egress,
        "currency": currency,
        "storage_type_assumed": line.storage_type_assumed,
        "price_estimated": line.price_estimated,
        "size_estimated": line.size_source is SizeSource.UPPER_BOUND,
        "storage_verified": line.storage_verified,
        "egress_verified": line.egress_verified,
        "shallow": line.shallow,
        "kind": line.kind.value,
    }
