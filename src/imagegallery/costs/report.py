"""What :func:`~imagegallery.costs.estimate_cost` returns: cost lines and the report that sums them.

A line is one version in one region (and storage type): :class:`CostLine`. A report keeps its
lines in a compact :class:`LineTable` (one tuple of plain values per line), builds the
:class:`CostLine` views the first time :attr:`CostReport.lines` is read, and sums them into
:class:`CostTotal` by version, definition, gallery, subscription, region, source region or storage
type, each grouping the first time it is asked for. Every amount is computed in :data:`EXACT`.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> report = estimate_cost(sample_inventory())
    >>> len(report.lines), report.currency
    (24, 'USD')
    >>> line = report.lines[0]
    >>> line.version_id.version, line.region, line.storage_type, line.monthly
    ('1.0.0', 'westeurope', 'Standard_ZRS', Decimal('0.850'))
    >>> {kind: str(t.monthly_storage) for kind, t in report.by_storage_type().items()}
    {'Premium_LRS': '16.8890', 'Standard_LRS': '16.150', 'Standard_ZRS': '6.875'}
"""

from __future__ import annotations

import decimal
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cached_property
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from imagegallery.costs.sheet import PriceSheet
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.ids import ResourceId
from imagegallery.speed import paused_gc
from imagegallery.tables import (
    BitColumn,
    FieldColumn,
    PatternedRows,
    RepeatedColumn,
    column_dataframe,
    column_lists,
    column_records,
    html_block,
    html_fields,
    html_table,
)

if TYPE_CHECKING:
    import pandas

__all__ = [
    "GROUPINGS",
    "CostLine",
    "CostReport",
    "CostTotal",
    "LineKind",
    "LineTable",
    "SizeSource",
]

_ZERO: Final = Decimal(0)
EXACT: Final = decimal.Context(prec=64, traps=[decimal.InvalidOperation, decimal.DivisionByZero])
"""The arithmetic context of every amount: 64 significant digits, so that no product or sum of
prices, sizes and counts is ever rounded (the default context keeps 28)."""

# Bits of a row's flags.
ASSUMED: Final = 1
ESTIMATED: Final = 2
STORAGE_VERIFIED: Final = 4
EGRESS_VERIFIED: Final = 8


class SizeSource(enum.StrEnum):
    """Where the size a line is priced on came from.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> estimate_cost(sample_inventory()).lines[0].size_source.value
        'measured'
    """

    MEASURED = "measured"
    """Every disk's measured ``used_gb``."""
    GIVEN = "given"
    """The ``used_gb`` argument of :func:`~imagegallery.costs.estimate_cost`."""
    UPPER_BOUND = "upper_bound"
    """``size_basis="used"``, but some disk's used size is unknown: its provisioned size was used
    instead, so the amount is an upper bound."""
    PROVISIONED = "provisioned"
    """``size_basis="provisioned"``: provisioned sizes, on purpose."""


class LineKind(enum.StrEnum):
    """Why a line exists.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> {line.kind.value for line in estimate_cost(sample_inventory()).lines}
        {'target'}
    """

    TARGET = "target"
    """A target region of the version."""
    IMPLIED = "implied"
    """The source region of a version that lists no target regions."""
    ADDITIONAL = "additional"
    """An additional replica set (another storage type) in a target region."""


_KINDS: Final = {kind.value: kind for kind in LineKind}


class CostLine(NamedTuple):
    """The cost of one image version in one region (and storage type).

    Amounts are in the report's currency; ``monthly`` recurs every month, ``egress`` is paid once.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> line = estimate_cost(sample_inventory()).lines[1]
        >>> line.region, line.replicas, line.unit_price, line.monthly, line.egress
        ('northeurope', 1, Decimal('0.05'), Decimal('0.425'), Decimal('0.170'))
        >>> line.egress_verified, line.storage_verified
        (False, True)
        >>> line.definition_id.name, line.gallery_id.name, line.is_estimate
        ('myImage1', 'myGallery', False)
    """

    version_id: ResourceId
    """The image version."""
    region: str
    """The region the replicas are in (ARM form)."""
    source_region: str
    """The version's source region."""
    storage_type: str
    """The replicas' storage type (``Standard_LRS`` ...)."""
    replicas: int
    """Replicas in the region."""
    size_gb: Decimal
    """The size each replica is billed on (GiB, as Azure reports it; see ``size_source``)."""
    size_source: SizeSource
    """Measured, given, an upper bound, or provisioned."""
    unit_price: Decimal
    """Snapshot price per GB-month."""
    monthly: Decimal
    """Snapshot storage per month: size x replicas x unit price."""
    egress_gb: Decimal
    """GB transferred for the first copy into the region (0 in the source region)."""
    egress_unit_price: Decimal
    """Egress price per GB from the source region (0 when there is no first copy)."""
    egress: Decimal
    """One-time egress of the first copy."""
    storage_type_assumed: bool
    """The input did not state the storage type; ``Standard_LRS`` was assumed."""
    price_estimated: bool
    """A fallback estimate was used for the storage or the egress price."""
    storage_verified: bool
    """The storage price comes from a verified source."""
    egress_verified: bool
    """The egress price comes from a verified source (the default egress table does not)."""
    shallow: bool
    """Shallow replication: no copy is made, priced at zero."""
    kind: LineKind
    """A target region, the implied source region, or an additional replica set."""

    @property
    def definition_id(self) -> ResourceId:
        """The image definition of the version."""
        return _parent(self.version_id)

    @property
    def gallery_id(self) -> ResourceId:
        """The gallery of the version."""
        return _parent(_parent(self.version_id))

    @property
    def subscription_id(self) -> str:
        """The subscription of the version."""
        return self.version_id.subscription_id or ""

    @property
    def is_estimate(self) -> bool:
        """Whether the amounts rest on an estimate (an upper-bound size or a fallback price)."""
        return self.price_estimated or self.size_source is SizeSource.UPPER_BOUND


@attrs.frozen
class LineTable:
    """The compact form of a report's lines (internal; read :attr:`CostReport.lines`).

    Per version ``i``: ``version_ids[i]``, ``sources[i]``, ``sizes[i]``, ``size_sources[i]``,
    ``shallow[i]``. Per line: ``(i, region, storage type, replicas, unit price, monthly,
    egress GB, egress unit price, egress, flags, kind)``, with only plain values so that the
    garbage collector does not have to track them. The estimator gives its rows as
    :class:`~imagegallery.tables.PatternedRows`: the values after ``i`` are computed once per
    layout and size and shared, and the row tuples are built when read; tables packed from
    lines hold a tuple of row tuples. Both compare equal when their rows are equal.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> table = estimate_cost(sample_inventory()).table
        >>> len(table.version_ids), len(table.rows), table.rows[0][:4]
        (13, 24, (0, 'westeurope', 'Standard_ZRS', 2))
    """

    version_ids: tuple[ResourceId, ...]
    sources: tuple[str, ...]
    sizes: tuple[Decimal, ...]
    size_sources: tuple[SizeSource, ...]
    shallow: tuple[bool, ...]
    rows: Sequence[tuple[Any, ...]]

    @classmethod
    def from_lines(cls, lines: Iterable[CostLine]) -> LineTable:
        """Pack lines (the lines of one version must be adjacent to share its entry)."""
        ids: list[ResourceId] = []
        sources: list[str] = []
        sizes: list[Decimal] = []
        size_sources: list[SizeSource] = []
        shallow: list[bool] = []
        rows: list[tuple[Any, ...]] = []
        last: tuple[Any, ...] | None = None
        for index, line in enumerate(lines):
            if not isinstance(line, CostLine):
                raise InvalidTypeError("expected a CostLine", field=f"lines[{index}]", value=line)
            key = (
                line.version_id,
                line.source_region,
                line.size_gb,
                line.size_source,
                line.shallow,
            )
            if key != last:
                ids.append(line.version_id)
                sources.append(line.source_region)
                sizes.append(line.size_gb)
                size_sources.append(line.size_source)
                shallow.append(line.shallow)
                last = key
            flags = (
                (ASSUMED if line.storage_type_assumed else 0)
                | (ESTIMATED if line.price_estimated else 0)
                | (STORAGE_VERIFIED if line.storage_verified else 0)
                | (EGRESS_VERIFIED if line.egress_verified else 0)
            )
            rows.append(
                (
                    len(ids) - 1,
                    line.region,
                    line.storage_type,
                    line.replicas,
                    line.unit_price,
                    line.monthly,
                    line.egress_gb,
                    line.egress_unit_price,
                    line.egress,
                    flags,
                    line.kind.value,
                )
            )
        return cls(
            tuple(ids),
            tuple(sources),
            tuple(sizes),
            tuple(size_sources),
            tuple(shallow),
            tuple(rows),
        )

    def line(self, row: Sequence[Any]) -> CostLine:
        """The :class:`CostLine` view of one row."""
        i, region, kind, replicas, price, monthly, egress_gb, egress_price, egress, flags, what = (
            row
        )
        return CostLine(
            self.version_ids[i],
            region,
            self.sources[i],
            kind,
            replicas,
            self.sizes[i],
            self.size_sources[i],
            price,
            monthly,
            egress_gb,
            egress_price,
            egress,
            bool(flags & ASSUMED),
            bool(flags & ESTIMATED),
            bool(flags & STORAGE_VERIFIED),
            bool(flags & EGRESS_VERIFIED),
            self.shallow[i],
            _KINDS[what],
        )


def _parent(rid: ResourceId) -> ResourceId:
    parent = rid.parent
    if parent is None:  # pragma: no cover - version ids always have parents
        raise InvalidFieldError("the id has no parent", field="version_id", value=str(rid))
    return parent


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
        table: The lines in compact form (read :attr:`lines` for :class:`CostLine` views).

    Views derived from the table are the report's own and built on first use: :attr:`lines`
    once, and the totals of each grouping (:meth:`totals`) the first time that grouping is asked
    for. They depend only on the table, and :meth:`totals` hands out a new dict each time, so no
    answer depends on what was asked before.

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
    _totals: dict[str, dict[Any, CostTotal]] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    """The totals of each grouping asked for so far (see the class documentation)."""

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

    @cached_property
    def lines(self) -> tuple[CostLine, ...]:
        """One line per version x region (x storage type), in the order of the input."""
        make = self.table.line
        return tuple(make(row) for row in self.table.rows)

    @property
    def estimated(self) -> bool:
        """Whether any line rests on an estimate (upper-bound size or fallback price)."""
        upper = SizeSource.UPPER_BOUND
        table = self.table
        return any(s is upper for s in table.size_sources) or any(
            flags & ESTIMATED for flags in _row_field(table.rows, 9)
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
                f"not a grouping; use one of {', '.join(GROUPINGS)}", field="by", value=by
            )
        found = self._totals.get(by)
        if found is None:
            with decimal.localcontext(EXACT):
                found = self._totals[by] = _group(self.table, by)
        return dict(found)

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
        return column_records(_columns(self))

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
        return column_lists(_columns(self))

    def to_dataframe(self, *, exact: bool = False) -> pandas.DataFrame:
        """The lines as a typed ``pandas.DataFrame`` (needs the ``pandas`` extra).

        Amounts and sizes are ``float64`` (the nearest float to the exact amount), or the exact
        :class:`~decimal.Decimal` values with ``exact=True``; see
        :func:`imagegallery.frames.to_dataframe`.

        Raises:
            MissingExtraError: pandas is not installed.
        """
        return column_dataframe(_columns(self), exact=exact)

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
    # the per-version groupings, per row for region and storage type (strings hash fast), or
    # per distinct row for patterned rows. The fields are read as columns (for patterned rows,
    # without building the row tuples).
    index: dict[Any, int] = {}
    rows = table.rows
    if by in ("region", "storage_type") and isinstance(rows, PatternedRows):
        return _group_patterns(table, rows, 0 if by == "region" else 1)
    versions = _versions_of_rows(rows)
    if by in ("region", "storage_type"):
        column = 1 if by == "region" else 2
        slots = [index.setdefault(key, len(index)) for key in _row_field(rows, column)]
    else:
        per_version = [index.setdefault(k, len(index)) for k in _version_keys(table, by)]
        slots = list(map(per_version.__getitem__, versions))
    count = len(index)
    monthly = [_ZERO] * count
    egress = [_ZERO] * count
    replicas = [0] * count
    lines = [0] * count
    estimated = [False] * count
    upper = [s is SizeSource.UPPER_BOUND for s in table.size_sources]
    for slot, version, amount, copy, copies, flags in zip(
        slots,
        versions,
        _row_field(rows, 5),
        _row_field(rows, 8),
        _row_field(rows, 3),
        _row_field(rows, 9),
        strict=True,
    ):
        monthly[slot] += amount
        egress[slot] += copy
        replicas[slot] += copies
        lines[slot] += 1
        if flags & ESTIMATED or upper[version]:
            estimated[slot] = True
    return _totals(
        index,
        monthly=monthly,
        egress=egress,
        replicas=replicas,
        lines=lines,
        estimated=estimated,
    )


def _group_patterns(table: LineTable, rows: PatternedRows, field: int) -> dict[Any, CostTotal]:
    """:func:`_group` by a field of the shared row values (region or storage type): each
    distinct row's amounts count as many times as rows use them (exact, so the sums are the
    line-by-line sums, digit for digit). The groups are found in the order of the rows (the
    distinct values are numbered in the order rows first use them)."""
    index: dict[Any, int] = {}
    patterns = rows.patterns
    slot_of = [index.setdefault(pattern[field], len(index)) for pattern in patterns]
    count = len(index)
    monthly = [_ZERO] * count
    egress = [_ZERO] * count
    replicas = [0] * count
    lines = [0] * count
    estimated = [False] * count
    for position, uses in Counter(rows.positions).items():
        slot = slot_of[position]
        _, _, copies, _, amount, _, _, copy, flags, _ = patterns[position]
        monthly[slot] += amount * uses
        egress[slot] += copy * uses
        replicas[slot] += copies * uses
        lines[slot] += uses
        if flags & ESTIMATED:
            estimated[slot] = True
    upper = [s is SizeSource.UPPER_BOUND for s in table.size_sources]
    if any(upper):
        for version, position in zip(rows.heads, rows.positions, strict=True):
            if upper[version]:
                estimated[slot_of[position]] = True
    return _totals(
        index,
        monthly=monthly,
        egress=egress,
        replicas=replicas,
        lines=lines,
        estimated=estimated,
    )


def _totals(
    index: dict[Any, int],
    *,
    monthly: list[Decimal],
    egress: list[Decimal],
    replicas: list[int],
    lines: list[int],
    estimated: list[bool],
) -> dict[Any, CostTotal]:
    """The totals of the groups numbered by ``index``, sorted by key."""
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
    """The lines as columns, read from the compact table: per-version values stored once, and
    per-line values once per distinct row when the rows are patterned."""
    table = report.table
    rows = table.rows
    index = _versions_of_rows(rows)
    subs, groups, galleries, definitions, versions, ids = _id_columns(table.version_ids)
    upper = SizeSource.UPPER_BOUND
    (
        (region, kind, replicas, price, monthly, egress_gb, egress_price, egress, _, what),
        (assumed, estimated, storage_verified, egress_verified),
    ) = _row_columns(table)
    return {
        "subscription_id": RepeatedColumn(subs, index),
        "resource_group": RepeatedColumn(groups, index),
        "gallery": RepeatedColumn(galleries, index),
        "definition": RepeatedColumn(definitions, index),
        "version": RepeatedColumn(versions, index),
        "version_id": RepeatedColumn(ids, index),
        "region": region,
        "source_region": RepeatedColumn(table.sources, index),
        "storage_type": kind,
        "replicas": replicas,
        "size_gb": RepeatedColumn(table.sizes, index),
        "size_source": RepeatedColumn([s.value for s in table.size_sources], index),
        "unit_price": price,
        "monthly": monthly,
        "egress_gb": egress_gb,
        "egress_unit_price": egress_price,
        "egress": egress,
        "currency": RepeatedColumn((report.currency,), [0] * len(rows)),
        "storage_type_assumed": assumed,
        "price_estimated": estimated,
        "size_estimated": RepeatedColumn([s is upper for s in table.size_sources], index),
        "storage_verified": storage_verified,
        "egress_verified": egress_verified,
        "shallow": RepeatedColumn(table.shallow, index),
        "kind": what,
    }


_FLAGS: Final = (ASSUMED, ESTIMATED, STORAGE_VERIFIED, EGRESS_VERIFIED)
_ROW_FIELDS: Final = 10


def _row_columns(table: LineTable) -> tuple[list[Sequence[Any]], list[Sequence[Any]]]:
    """The row fields after the version index as columns, and the four flags of the flags field.

    For :class:`~imagegallery.tables.PatternedRows`, each column stores the values of the
    distinct rows once and reads them through the rows' positions (so a data frame converts
    each distinct amount once); otherwise the fields are read from the row tuples in place.
    """
    rows = table.rows
    if not isinstance(rows, PatternedRows):
        return (
            [FieldColumn(rows, k) for k in range(1, _ROW_FIELDS + 1)],
            [BitColumn(rows, 9, mask) for mask in _FLAGS],
        )
    at = rows.positions
    stored: list[Sequence[Any]] = list(zip(*rows.patterns, strict=True)) or [()] * _ROW_FIELDS
    flags = stored[8]
    return (
        [RepeatedColumn(values, at) for values in stored],
        [RepeatedColumn([bool(f & mask) for f in flags], at) for mask in _FLAGS],
    )


def _versions_of_rows(rows: Sequence[Sequence[Any]]) -> Sequence[int]:
    """The version index of each row (field 0)."""
    return rows.heads if isinstance(rows, PatternedRows) else FieldColumn(rows, 0)


def _row_field(rows: Sequence[Sequence[Any]], position: int) -> Iterable[Any]:
    """Field ``position`` (after the version index) of each row, without building the rows."""
    if isinstance(rows, PatternedRows):
        values = list(map(itemgetter(position - 1), rows.patterns))
        return map(values.__getitem__, rows.positions)
    return map(itemgetter(position), rows)


def _report_html(report: CostReport) -> str:
    currency = report.currency
    head = html_fields(
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
    by_region = html_table(
        ("region", "replicas", f"monthly ({currency})", f"egress ({currency})", "estimated"),
        (
            (region, t.replicas, t.monthly_storage, t.one_time_egress, t.estimated)
            for region, t in regions.items()
        ),
        caption="By region",
        total=len(regions),
    )
    kinds = report.by_storage_type()
    by_kind = html_table(
        ("storage type", "replicas", f"monthly ({currency})"),
        ((kind, t.replicas, t.monthly_storage) for kind, t in kinds.items()),
        caption="By storage type",
        total=len(kinds),
    )
    notes = html_table(("warning",), ((w,) for w in report.warnings)) if report.warnings else ""
    return html_block(head, by_region, by_kind, notes)
