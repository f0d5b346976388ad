"""Cost lines: one version in one region, as :class:`CostLine` views over a compact table.

A report keeps its lines in a :class:`LineTable` (one tuple of plain values per line) and builds the
:class:`CostLine` views the first time :attr:`~imagegallery.costs.CostReport.lines` is read.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> line = estimate_cost(sample_inventory()).lines[0]
    >>> line.version_id.version, line.region, line.storage_type, line.monthly
    ('1.0.0', 'westeurope', 'Standard_ZRS', Decimal('0.850'))
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, NamedTuple

import attrs

from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.ids import ResourceId

__all__ = ["CostLine", "LineKind", "LineTable", "SizeSource"]

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
    garbage collector does not have to track them.

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
    rows: tuple[tuple[Any, ...], ...]

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
