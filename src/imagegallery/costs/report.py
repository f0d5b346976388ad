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
from collections.abc import Iterable, Sequence
from decimal import Decimal
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any, Final

import attrs

from imagegallery import _html
from imagegallery._speed import Bits, Field, Repeated, as_lists, paused_gc, records
from imagegallery.costs.line import (
    ASSUMED,
    EGRESS_VERIFIED,
    ESTIMATED,
    EXACT,
    STORAGE_VERIFIED,
    CostLine,
    LineTable,
    SizeSource,
    _parent,
)
from imagegallery.costs.prices import PriceSheet
from imagegallery.errors import InvalidFieldError
from imagegallery.ids import ResourceId

if TYPE_CHECKING:
    import pandas

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
        return records(_columns(self))

    def __repr__(self) -> str:
        return (
            f"CostReport(lines={len(self.table.rows)}, monthly_storage={self.monthly_storage},"
            f" one_time_egress={self.one_time_egress}, currency={self.currency!r})"
        )

    def to_columns(self) -> dict[str, list[Any]]:
        """The lines as columns: name → list (the keys of :meth:`to_records`, in order).

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.costs import estimate_cost
            >>> columns = estimate_cost(sample_inventory()).to_columns()
            >>> columns["region"][:2], columns["monthly"][:2]
            (['westeurope', 'northeurope'], [Decimal('0.850'), Decimal('0.425')])
        """
        return as_lists(_columns(self))

    def to_dataframe(self, *, exact: bool = False) -> pandas.DataFrame:
        """The lines as a typed ``pandas.DataFrame`` (needs the ``pandas`` extra).

        Amounts and sizes are ``float64`` (the nearest float to the exact amount), or the exact
        :class:`~decimal.Decimal` values with ``exact=True``; see
        :func:`imagegallery.frames.to_dataframe`.

        Raises:
            MissingDependencyError: pandas is not installed.
        """
        from imagegallery.frames import to_dataframe  # noqa: PLC0415 - frames is a layer above

        return to_dataframe(_columns(self), exact=exact)

    def _repr_html_(self) -> str:
        return _report_html(self)


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


def _id_columns(ids: Sequence[ResourceId]) -> list[list[str]]:
    """Subscription, resource group, gallery, definition, version and id text per version id.

    The names of a definition are read once (from the first of its versions); versions are
    matched to it by the text of their id up to the version name.
    """
    with paused_gc():  # 100,000s of small tuples, none in a cycle
        texts = list(map(str, ids))
        parts = list(map(methodcaller("rpartition", "/"), texts))
    heads = list(map(itemgetter(0), parts))
    first: dict[str, ResourceId] = {}
    for head, rid in zip(heads, ids, strict=True):
        if head not in first:
            first[head] = rid
    names = {
        head: (
            rid.subscription_id or "",
            rid.resource_group or "",
            rid.gallery or "",
            rid.image or "",
        )
        for head, rid in first.items()
    }
    slot = {head: i for i, head in enumerate(names)}
    per_version = list(map(slot.__getitem__, heads))
    table = list(names.values())
    columns = ([n[k] for n in table] for k in range(4))
    return [
        *(list(map(column.__getitem__, per_version)) for column in columns),
        list(map(itemgetter(2), parts)),
        texts,
    ]


def _columns(report: CostReport) -> dict[str, Sequence[Any]]:
    """The lines as columns, read from the compact table: per-version values stored once."""
    table = report.table
    rows = table.rows
    index = Field(rows, 0)
    subs, groups, galleries, definitions, versions, ids = _id_columns(table.version_ids)
    upper = SizeSource.UPPER_BOUND
    return {
        "subscription_id": Repeated(subs, index),
        "resource_group": Repeated(groups, index),
        "gallery": Repeated(galleries, index),
        "definition": Repeated(definitions, index),
        "version": Repeated(versions, index),
        "version_id": Repeated(ids, index),
        "region": Field(rows, 1),
        "source_region": Repeated(table.sources, index),
        "storage_type": Field(rows, 2),
        "replicas": Field(rows, 3),
        "size_gb": Repeated(table.sizes, index),
        "size_source": Repeated([s.value for s in table.size_sources], index),
        "unit_price": Field(rows, 4),
        "monthly": Field(rows, 5),
        "egress_gb": Field(rows, 6),
        "egress_unit_price": Field(rows, 7),
        "egress": Field(rows, 8),
        "currency": Repeated((report.currency,), [0] * len(rows)),
        "storage_type_assumed": Bits(rows, 9, ASSUMED),
        "price_estimated": Bits(rows, 9, ESTIMATED),
        "size_estimated": Repeated([s is upper for s in table.size_sources], index),
        "storage_verified": Bits(rows, 9, STORAGE_VERIFIED),
        "egress_verified": Bits(rows, 9, EGRESS_VERIFIED),
        "shallow": Repeated(table.shallow, index),
        "kind": Field(rows, 10),
    }


def _report_html(report: CostReport) -> str:
    currency = report.currency
    head = _html.fields(
        [
            (f"monthly storage ({currency})", report.monthly_storage),
            (f"one-time egress ({currency})", report.one_time_egress),
            ("lines", f"{len(report.table.rows):,}"),
            ("size basis", report.size_basis),
            ("prices as of", report.prices.as_of),
            ("estimated", report.estimated),
        ],
        caption="Cost report",
    )
    regions = report.by_region()
    by_region = _html.table(
        ("region", "replicas", f"monthly ({currency})", f"egress ({currency})", "estimated"),
        (
            (region, t.replicas, t.monthly_storage, t.one_time_egress, t.estimated)
            for region, t in regions.items()
        ),
        caption="By region",
        total=len(regions),
    )
    kinds = report.by_storage_type()
    by_kind = _html.table(
        ("storage type", "replicas", f"monthly ({currency})"),
        ((kind, t.replicas, t.monthly_storage) for kind, t in kinds.items()),
        caption="By storage type",
        total=len(kinds),
    )
    notes = _html.table(("warning",), ((w,) for w in report.warnings)) if report.warnings else ""
    return _html.block(head, by_region, by_kind, notes)
