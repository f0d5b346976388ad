"""What a what-if reports: the change to each version and to its replicas in each region, the
(definition, region) pairs whose ``latest`` changes, and the :class:`WhatIf` result that sums them
up. :func:`~imagegallery.planning.what_if` computes them.
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from imagegallery import _html
from imagegallery._speed import as_lists, records
from imagegallery.costs import CostReport
from imagegallery.costs.line import EXACT
from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidFieldError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.version_name import ImageVersionName

if TYPE_CHECKING:
    import pandas

__all__ = ["ChangeKind", "LatestChange", "ReplicaChange", "VersionChange", "WhatIf"]

_ZERO: Final = Decimal(0)

_Table = Literal["changes", "latest"]


class ChangeKind(enum.StrEnum):
    """What a policy does to one version.

    Example:
        >>> from imagegallery.planning import ChangeKind
        >>> [kind.value for kind in ChangeKind]
        ['deleted', 'regions_changed', 'blocked']
    """

    DELETED = "deleted"
    REGIONS_CHANGED = "regions_changed"
    BLOCKED = "blocked"
    """The policy's change is not allowed by the version's safety profile; nothing changes."""


@attrs.frozen(kw_only=True)
class ReplicaChange:
    """The replicas of one version in one region (and storage type), before and after.

    Attributes:
        region: The region.
        storage_type: The replicas' storage type.
        replicas_before: Replicas before (0 if the region is new).
        replicas_after: Replicas after (0 if the region is dropped).
        monthly_before: Monthly storage before.
        monthly_after: Monthly storage after.
        new_copy_egress: Egress of the first copy into a region the version was not in.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import ReplicateLatest, what_if
        >>> result = what_if(sample_inventory(), ReplicateLatest(keep=1, regions=["japaneast"]),
        ...                  at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> added = [r for c in result.changes for r in c.replicas][0]
        >>> added.region, added.replicas_before, added.replicas_after, added.new_copy_egress
        ('japaneast', 0, 1, Decimal('0.425'))
    """

    region: str
    storage_type: str
    replicas_before: int
    replicas_after: int
    monthly_before: Decimal
    monthly_after: Decimal
    new_copy_egress: Decimal


@attrs.frozen(kw_only=True)
class VersionChange:
    """What the policy does to one version.

    Attributes:
        version_id: The version.
        kind: Deleted, regions changed, or blocked.
        replicas: The per-region changes (empty when blocked).
        reason: Why a change is blocked, or which safety flag a change made with
            ``respect_safety=False`` needs (empty otherwise).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import KeepLatest, what_if
        >>> change = what_if(sample_inventory(), KeepLatest(3),
        ...                  at=datetime(2025, 3, 1, tzinfo=UTC)).changes[0]
        >>> change.version_id.version, change.kind.value, change.monthly_saving
        ('1.0.0', 'deleted', Decimal('1.275'))
    """

    version_id: ResourceId
    kind: ChangeKind
    replicas: tuple[ReplicaChange, ...] = ()
    reason: str = ""

    @property
    def monthly_saving(self) -> Decimal:
        """Monthly storage saved (negative when the change adds replicas)."""
        with decimal.localcontext(EXACT):
            return sum((r.monthly_before - r.monthly_after for r in self.replicas), _ZERO)

    @property
    def new_copy_egress(self) -> Decimal:
        """Egress of the new copies."""
        return sum((r.new_copy_egress for r in self.replicas), _ZERO)


@attrs.frozen(kw_only=True)
class LatestChange:
    """A definition whose ``latest`` gives another version in a region after the policy.

    Attributes:
        definition_id: The image definition.
        region: The region.
        before: What ``latest`` gave before (``None``: nothing eligible).
        after: What it gives after (``None``: nothing eligible — deployments there would fail).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import KeepLatest, what_if
        >>> change = what_if(sample_inventory(), KeepLatest(2),
        ...                  at=datetime(2025, 3, 1, tzinfo=UTC)).latest_changes[0]
        >>> change.definition_id.name, change.region, str(change.before), change.after
        ('myImage1', 'eastus', '1.0.9', None)
    """

    definition_id: ResourceId
    region: str
    before: ImageVersionName | None
    after: ImageVersionName | None


@attrs.frozen(kw_only=True)
class WhatIf:
    """The result of :func:`what_if`.

    Attributes:
        policy: The policy, in words.
        at: The moment the policy and the resolution were evaluated at.
        result: The inventory (gallery, definition) after the policy.
        before: The cost report before.
        after: The cost report after.
        changes: Per changed (or blocked) version, in inventory order.
        latest_changes: The resolution impact, by definition and region.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import DeleteEndOfLife, what_if
        >>> result = what_if(sample_inventory(), DeleteEndOfLife(),
        ...                  at=datetime(2025, 7, 1, tzinfo=UTC))
        >>> result.monthly_saving, result.replicas_removed, result.flagged_definitions
        (Decimal('1.2750'), 3, ())
    """

    policy: str
    at: datetime
    result: Inventory | Gallery | ImageDefinition = attrs.field(repr=False)
    before: CostReport = attrs.field(repr=False)
    after: CostReport = attrs.field(repr=False)
    changes: tuple[VersionChange, ...] = attrs.field(repr=False)
    latest_changes: tuple[LatestChange, ...] = attrs.field(repr=False)

    @property
    def monthly_saving(self) -> Decimal:
        """Monthly storage before minus after (negative when the policy adds replicas)."""
        with decimal.localcontext(EXACT):
            return self.before.monthly_storage - self.after.monthly_storage

    @property
    def new_copy_egress(self) -> Decimal:
        """One-time egress of the copies the policy adds."""
        with decimal.localcontext(EXACT):
            return sum((c.new_copy_egress for c in self.changes), _ZERO)

    @property
    def replicas_removed(self) -> int:
        """Replicas the policy removes (deleted versions included)."""
        return sum(
            max(r.replicas_before - r.replicas_after, 0) for c in self.changes for r in c.replicas
        )

    @property
    def replicas_added(self) -> int:
        """Replicas the policy adds."""
        return sum(
            max(r.replicas_after - r.replicas_before, 0) for c in self.changes for r in c.replicas
        )

    @property
    def flagged_definitions(self) -> tuple[ResourceId, ...]:
        """Definitions whose ``latest`` would change in some region."""
        return tuple(dict.fromkeys(c.definition_id for c in self.latest_changes))

    def summary(self) -> str:
        """The what-if in a few lines of text.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.planning import KeepLatest, what_if
            >>> print(what_if(sample_inventory(), KeepLatest(1),
            ...               at=datetime(2025, 3, 1, tzinfo=UTC)).summary())
            policy: keep the latest version of each image definition, delete older ones
            versions: 7 deleted, 0 changed, 0 blocked; replicas: 22 removed, 0 added
            monthly storage: 39.91 -> 18.04 USD (saves 21.88 USD)
            egress of new copies: 0.00 USD (once)
            latest changes in 3 (definition, region) pairs:
              myImage1 in eastus: 1.0.9 -> none
              myImage1 in westeurope: 1.0.10 -> none
              myImage2 in eastus: 2.0.0 -> none
        """
        currency = self.before.currency
        counts = {kind: sum(1 for c in self.changes if c.kind is kind) for kind in ChangeKind}
        lines = [
            f"policy: {self.policy}",
            f"versions: {counts[ChangeKind.DELETED]} deleted,"
            f" {counts[ChangeKind.REGIONS_CHANGED]} changed, {counts[ChangeKind.BLOCKED]} blocked;"
            f" replicas: {self.replicas_removed} removed, {self.replicas_added} added",
            f"monthly storage: {_money(self.before.monthly_storage)} ->"
            f" {_money(self.after.monthly_storage)} {currency}"
            f" (saves {_money(self.monthly_saving)} {currency})",
            f"egress of new copies: {_money(self.new_copy_egress)} {currency} (once)",
        ]
        if not self.latest_changes:
            lines.append("latest changes: none")
        else:
            lines.append(
                f"latest changes in {len(self.latest_changes)} (definition, region) pairs:"
            )
            for change in self.latest_changes:
                before = str(change.before) if change.before is not None else "none"
                after = str(change.after) if change.after is not None else "none"
                lines.append(
                    f"  {change.definition_id.name} in {change.region}: {before} -> {after}"
                )
        return "\n".join(lines)

    def to_columns(self, table: _Table = "changes") -> dict[str, list[Any]]:
        """A table of the what-if, column by column: name → list of plain values.

        Args:
            table: ``"changes"``: one row per version and region whose replicas change (a
                blocked version has one row with no region); ``"latest"``: one row per
                (definition, region) whose ``latest`` changes. The columns are listed in
                :doc:`/notebooks`.

        Raises:
            InvalidFieldError: ``table`` is not one of those.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.planning import KeepLatest, what_if
            >>> result = what_if(sample_inventory(), KeepLatest(2),
            ...                  at=datetime(2025, 3, 1, tzinfo=UTC))
            >>> columns = result.to_columns()
            >>> columns["version"][:2], columns["change"][:2], columns["region"][:2]
            (['1.0.0', '1.0.0'], ['deleted', 'deleted'], ['westeurope', 'northeurope'])
            >>> result.to_columns("latest")["latest_before"]
            ['1.0.9']
        """
        return as_lists(_columns(self, table))

    def to_records(self, table: _Table = "changes") -> list[dict[str, Any]]:
        """The rows of :meth:`to_columns` as dicts.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.planning import KeepLatest, what_if
            >>> row = what_if(sample_inventory(), KeepLatest(3),
            ...               at=datetime(2025, 3, 1, tzinfo=UTC)).to_records()[0]
            >>> row["region"], row["replicas_before"], row["replicas_after"], row["monthly_before"]
            ('westeurope', 2, 0, Decimal('0.850'))
        """
        return records(_columns(self, table))

    def to_dataframe(self, table: _Table = "changes", *, exact: bool = False) -> pandas.DataFrame:
        """The rows of :meth:`to_columns` as a typed ``pandas.DataFrame`` (``pandas`` extra).

        Raises:
            MissingDependencyError: pandas is not installed.
        """
        from imagegallery.frames import to_dataframe  # noqa: PLC0415 - frames is a layer above

        return to_dataframe(_columns(self, table), exact=exact)

    def _repr_html_(self) -> str:
        return _whatif_html(self)


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):,}"


def _owner(rid: ResourceId) -> tuple[str, str, str, str]:
    return (rid.subscription_id or "", rid.resource_group or "", rid.gallery or "", rid.image or "")


_CHANGE_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "definition",
    "version",
    "version_id",
    "change",
    "reason",
    "region",
    "storage_type",
    "replicas_before",
    "replicas_after",
    "monthly_before",
    "monthly_after",
    "new_copy_egress",
    "currency",
)
_LATEST_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "definition",
    "definition_id",
    "region",
    "latest_before",
    "latest_after",
)


def _change_rows(result: WhatIf) -> list[tuple[Any, ...]]:
    currency = result.before.currency
    rows: list[tuple[Any, ...]] = []
    for change in result.changes:
        head = (
            *_owner(change.version_id),
            change.version_id.version,
            str(change.version_id),
            change.kind.value,
            change.reason or None,
        )
        if not change.replicas:
            rows.append((*head, None, None, 0, 0, _ZERO, _ZERO, _ZERO, currency))
        rows.extend(
            (
                *head,
                r.region,
                r.storage_type,
                r.replicas_before,
                r.replicas_after,
                r.monthly_before,
                r.monthly_after,
                r.new_copy_egress,
                currency,
            )
            for r in change.replicas
        )
    return rows


def _latest_rows(result: WhatIf) -> list[tuple[Any, ...]]:
    return [
        (
            *_owner(c.definition_id),
            str(c.definition_id),
            c.region,
            None if c.before is None else str(c.before),
            None if c.after is None else str(c.after),
        )
        for c in result.latest_changes
    ]


def _columns(result: WhatIf, table: str) -> dict[str, Sequence[Any]]:
    names: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    if table == "changes":
        names, rows = _CHANGE_COLUMNS, _change_rows(result)
    elif table == "latest":
        names, rows = _LATEST_COLUMNS, _latest_rows(result)
    else:
        raise InvalidFieldError(
            "unknown table; use 'changes' or 'latest'", field="table", value=table
        )
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def _whatif_html(result: WhatIf) -> str:
    currency = result.before.currency
    counts = {kind: sum(1 for c in result.changes if c.kind is kind) for kind in ChangeKind}
    head = _html.fields(
        [
            ("policy", result.policy),
            ("at", result.at),
            (
                "versions",
                f"{counts[ChangeKind.DELETED]} deleted, {counts[ChangeKind.REGIONS_CHANGED]}"
                f" changed, {counts[ChangeKind.BLOCKED]} blocked",
            ),
            ("replicas", f"{result.replicas_removed} removed, {result.replicas_added} added"),
            (
                f"monthly storage ({currency})",
                f"{_money(result.before.monthly_storage)} → {_money(result.after.monthly_storage)}"
                f" (saves {_money(result.monthly_saving)})",
            ),
            (f"egress of new copies ({currency}, once)", _money(result.new_copy_egress)),
        ],
        caption="What-if",
    )
    latest = _html.table(
        ("definition", "region", "latest before", "latest after"),
        (
            (c.definition_id.name, c.region, c.before or "none", c.after or "none")
            for c in result.latest_changes
        ),
        caption=f"Latest changes in {len(result.latest_changes)} (definition, region) pairs",
        total=len(result.latest_changes),
    )
    changes = _html.table(
        ("definition", "version", "change", "regions", f"monthly saving ({currency})", "reason"),
        (
            (
                c.version_id.image,
                c.version_id.version,
                c.kind,
                ", ".join(f"{r.region} {r.replicas_before}→{r.replicas_after}" for r in c.replicas),
                c.monthly_saving,
                c.reason,
            )
            for c in result.changes
        ),
        caption=f"{_html.count(len(result.changes), 'version')} changed or blocked",
        total=len(result.changes),
    )
    return _html.block(head, latest, changes)
