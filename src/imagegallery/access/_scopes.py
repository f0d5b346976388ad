"""The scope hierarchy: ``/`` → management groups → subscription → resource group → gallery →
definition → version, with management-group membership supplied as input (ids do not carry it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from imagegallery.errors import InvalidAccessRecordError, InvalidResourceIdError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory

__all__ = ["GALLERY_KINDS", "ScopeTree", "management_group_id", "scope_id"]

GALLERY_KINDS: Final = frozenset(
    {ResourceKind.GALLERY, ResourceKind.IMAGE_DEFINITION, ResourceKind.IMAGE_VERSION}
)
_GUID: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_MG_PREFIX: Final = "/providers/Microsoft.Management/managementGroups/"


def management_group_id(value: str, *, field: str = "management_groups") -> ResourceId:
    """A management group id from its name or id.

    Example:
        >>> str(management_group_id("mg-plat"))
        '/providers/Microsoft.Management/managementGroups/mg-plat'
    """
    rid = scope_id(value if value.startswith("/") else _MG_PREFIX + value, field=field)
    if rid.kind is not ResourceKind.MANAGEMENT_GROUP:
        raise InvalidAccessRecordError("expected a management group", field=field, value=value)
    return rid


def scope_id(value: object, *, field: str, subscriptions: Iterable[str] = ()) -> ResourceId:
    """A subscription or management group id from an id or a bare name.

    A bare name is a subscription when it is GUID-shaped or one of ``subscriptions``, else a
    management group name. Full ids are never ambiguous.
    """
    if type(value) is not str or not value:
        raise InvalidAccessRecordError("expected a scope id or name", field=field, value=value)
    text = value
    if not value.startswith("/"):
        known = {s.lower() for s in subscriptions}
        if _GUID.fullmatch(value) or value.lower() in known:
            text = f"/subscriptions/{value}"
        else:
            text = _MG_PREFIX + value
    try:
        return ResourceId.parse(text)
    except InvalidResourceIdError as err:
        raise InvalidAccessRecordError(err.reason, field=field, value=value) from None


class ScopeTree:
    """Ancestor chains and subtrees over ids, the management-group tree and an inventory."""

    __slots__ = ("_chains", "_inventory", "_mg_parent", "_order", "_spans", "_under")

    def __init__(self, inventory: Inventory, mg_parent: Mapping[ResourceId, ResourceId]) -> None:
        self._inventory = inventory
        self._mg_parent = dict(mg_parent)
        for start in self._mg_parent:
            seen = {start}
            node = self._mg_parent.get(start)
            while node is not None:
                if node in seen:
                    raise InvalidAccessRecordError(
                        "the management-group hierarchy has a cycle",
                        field="management_groups",
                        value=str(start),
                    )
                seen.add(node)
                node = self._mg_parent.get(node)
        self._chains: dict[ResourceId, tuple[ResourceId, ...]] = {}
        self._under: dict[ResourceId, tuple[ResourceId, ...]] = {}
        self._order: tuple[ResourceId, ...] | None = None
        self._spans: dict[ResourceId, tuple[int, int]] = {}

    @property
    def management_groups(self) -> Mapping[ResourceId, ResourceId]:
        """Child (subscription or management group) → parent management group."""
        return self._mg_parent

    def parent(self, rid: ResourceId) -> ResourceId | None:
        """The enclosing scope, with management groups inserted above subscriptions."""
        if rid.kind in (ResourceKind.SUBSCRIPTION, ResourceKind.MANAGEMENT_GROUP):
            found = self._mg_parent.get(rid)
            return found if found is not None else ResourceId.root()
        return rid.parent

    def chain(self, rid: ResourceId) -> tuple[ResourceId, ...]:
        """``rid`` and its ancestors, nearest first, ending with ``/`` (proxies: themselves)."""
        found = self._chains.get(rid)
        if found is None:
            out = [rid]
            node = self.parent(rid)
            while node is not None:
                out.append(node)
                node = self.parent(node)
            found = tuple(out)
            if len(self._chains) > 200_000:
                self._chains.clear()
            self._chains[rid] = found
        return found

    def in_inventory(self, rid: ResourceId) -> bool:
        """Whether ``rid`` is a gallery, definition or version present in the inventory."""
        if rid.kind not in GALLERY_KINDS:
            return False
        self.resources()
        return rid in self._spans

    def is_missing(self, rid: ResourceId) -> bool:
        """Whether ``rid`` is a gallery-hierarchy id that the inventory does not hold."""
        return rid.kind in GALLERY_KINDS and not self.in_inventory(rid)

    # -- subtrees over the inventory -------------------------------------------------------------

    def resources(self) -> tuple[ResourceId, ...]:
        """Every gallery, definition and version id of the inventory, in inventory order
        (each gallery, then each of its definitions followed by its versions)."""
        if self._order is None:
            order: list[ResourceId] = []
            spans: dict[ResourceId, tuple[int, int]] = {}
            for gallery in self._inventory.galleries():
                g_start = len(order)
                order.append(gallery.id)
                for definition in gallery.definitions.values():
                    d_start = len(order)
                    order.append(definition.id)
                    for version in definition.versions.values():
                        spans[version.id] = (len(order), len(order) + 1)
                        order.append(version.id)
                    spans[definition.id] = (d_start, len(order))
                spans[gallery.id] = (g_start, len(order))
            self._order = tuple(order)
            self._spans = spans
        return self._order

    def under(self, scope: ResourceId) -> tuple[ResourceId, ...]:
        """The inventory resources at ``scope`` or below it, in inventory order."""
        found = self._under.get(scope)
        if found is None:
            found = tuple(self._collect(scope))
            if scope.kind not in GALLERY_KINDS:
                self._under[scope] = found
        return found

    def _collect(self, scope: ResourceId) -> Iterator[ResourceId]:
        order = self.resources()
        kind = scope.kind
        if kind is ResourceKind.ROOT:
            yield from order
        elif kind is ResourceKind.MANAGEMENT_GROUP:
            for sub in self._inventory.subscriptions():
                sid = ResourceId.parse(f"/subscriptions/{sub}")
                if scope in self.chain(sid):
                    yield from self.under(sid)
        elif kind in (ResourceKind.SUBSCRIPTION, ResourceKind.RESOURCE_GROUP):
            for gallery in self._inventory.galleries():
                if scope.is_ancestor_of(gallery.id):
                    start, end = self._spans[gallery.id]
                    yield from order[start:end]
        elif kind in GALLERY_KINDS:
            span = self._spans.get(scope)
            if span is not None:
                yield from order[span[0] : span[1]]
