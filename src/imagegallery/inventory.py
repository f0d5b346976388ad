"""The inventory: galleries across subscriptions, the unit loaders return and reports take.

Example:
    >>> from imagegallery import sample_inventory
    >>> inv = sample_inventory()
    >>> len(inv), len(list(inv.galleries())), inv.subscriptions()
    (13, 3, ('11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'))
    >>> gid = next(inv.galleries()).id
    >>> inv[str(gid).upper()].name
    'myGallery'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from imagegallery import _frames, _html
from imagegallery._schema import ObjectCodec
from imagegallery._shapes import az_from_arm, consumer_from_arm
from imagegallery._speed import Repeated, as_lists, paused_gc, records
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ConstraintViolationError,
    DuplicateResourceError,
    InvalidFieldError,
    InvalidResourceIdError,
    ResourceNotFoundError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.version import ImageVersion

if TYPE_CHECKING:
    import pandas

__all__ = ["ArmShape", "Entity", "Inventory"]

_Level = Literal["regions", "versions", "definitions", "galleries"]
"""The rows of an inventory table: target regions of versions, versions, definitions, galleries."""

Entity = Gallery | ImageDefinition | ImageVersion
"""Any of the three resource types."""

_CODECS: Final[Mapping[type, ObjectCodec]] = {
    cls: ObjectCodec(cls) for cls in (Gallery, ImageDefinition, ImageVersion)
}
"""How each resource type is read from and written to ARM JSON."""
_ANNOTATION_PREFIX: Final = "x-imagegallery-"
_DEPTH: Final = {
    ResourceKind.GALLERY: 0,
    ResourceKind.IMAGE_DEFINITION: 1,
    ResourceKind.IMAGE_VERSION: 2,
    ResourceKind.SHARED_GALLERY: 0,
    ResourceKind.SHARED_IMAGE: 1,
    ResourceKind.SHARED_VERSION: 2,
    ResourceKind.COMMUNITY_GALLERY: 0,
    ResourceKind.COMMUNITY_IMAGE: 1,
    ResourceKind.COMMUNITY_VERSION: 2,
}
"""How far below its gallery each kind of id is (publisher ids and consumer proxy ids)."""
ArmShape = Literal["arm", "az"]
"""The shape :meth:`Inventory.to_arm` writes."""


def _galleries(value: Iterable[Gallery] | Mapping[Any, Gallery]) -> Mapping[ResourceId, Gallery]:
    values = value.values() if isinstance(value, Mapping) else value
    out: dict[ResourceId, Gallery] = {}
    for gallery in values:
        if not isinstance(gallery, Gallery):
            raise ConstraintViolationError("expected a Gallery", field="galleries", value=gallery)
        if gallery.id in out:
            raise DuplicateResourceError(
                "gallery listed twice", field="galleries", value=str(gallery.id)
            )
        out[gallery.id] = gallery
    return _FrozenGalleries(sorted(out.items()))


class _FrozenGalleries(dict[ResourceId, Gallery]):
    """A hashable dict that the inventory never mutates after construction."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


@attrs.frozen(cache_hash=True)
class Inventory:
    """Galleries across subscriptions, with their definitions and versions.

    Look-ups take an id string or :class:`ResourceId` in any casing. Iteration helpers yield in a
    stable order: galleries by id, definitions by name, versions by version number.

    Args:
        galleries: The galleries (an iterable, or a mapping whose values are galleries).

    Example:
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> small = Inventory(g for g in inv.galleries() if g.name == "myGallery")
        >>> len(small), [d.name for d in small.definitions()]
        (8, ['myImage1', 'myImage2', 'myImage3'])
        >>> small.get("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/x")
    """

    _galleries: Mapping[ResourceId, Gallery] = attrs.field(
        factory=dict, converter=_galleries, alias="galleries"
    )

    # -- look-ups ----------------------------------------------------------------------------------

    def __getitem__(self, rid: str | ResourceId) -> Entity:
        found = self.get(rid)
        if found is None:
            raise ResourceNotFoundError(str(rid))
        return found

    def get(self, rid: str | ResourceId) -> Entity | None:
        """The gallery, definition or version with id ``rid``, or ``None``.

        Raises:
            InvalidResourceIdError: ``rid`` is not a well-formed id.
        """
        rid = ResourceId.parse(rid)
        depth = _DEPTH.get(rid.kind)
        if depth is None:
            return None
        gallery_id = rid
        for _ in range(depth):
            parent = gallery_id.parent
            assert parent is not None
            gallery_id = parent
        gallery = self._galleries.get(gallery_id)
        if gallery is None or depth == 0:
            return gallery
        definition = gallery.definitions.get(rid.image or "")
        if definition is None or depth == 1:
            return definition
        return definition.versions.get(rid.version or "")

    def __contains__(self, rid: object) -> bool:
        if not isinstance(rid, str | ResourceId):
            return False
        try:
            return self.get(rid) is not None
        except InvalidResourceIdError:
            return False

    def __len__(self) -> int:
        """The number of image versions."""
        return sum(len(d.versions) for d in self.definitions())

    def galleries(self) -> Iterator[Gallery]:
        """The galleries, ordered by id."""
        return iter(self._galleries.values())

    def definitions(self) -> Iterator[ImageDefinition]:
        """Every image definition, gallery by gallery."""
        for gallery in self._galleries.values():
            yield from gallery.definitions.values()

    def versions(self) -> Iterator[ImageVersion]:
        """Every image version, definition by definition, in version order."""
        for gallery in self._galleries.values():
            for definition in gallery.definitions.values():
                yield from definition.versions.values()

    def subscriptions(self) -> tuple[str, ...]:
        """The subscription ids the inventory spans, sorted (consumer views have none)."""
        return tuple(
            sorted(
                {
                    g.subscription_id.lower(): g.subscription_id
                    for g in self.galleries()
                    if g.subscription_id
                }.values()
            )
        )

    def __repr__(self) -> str:
        return (
            f"Inventory(galleries={len(self._galleries)},"
            f" definitions={sum(1 for _ in self.definitions())}, versions={len(self)})"
        )

    # -- changes -------------------------------------------------------------------------------

    def with_gallery(self, gallery: Gallery) -> Inventory:
        """A new inventory with ``gallery`` added, or replacing the gallery with its id."""
        galleries = dict(self._galleries)
        galleries[gallery.id] = gallery
        return Inventory(galleries)

    def without_gallery(self, rid: str | ResourceId) -> Inventory:
        """A new inventory without the gallery ``rid``.

        Raises:
            ResourceNotFoundError: No such gallery.
        """
        rid = ResourceId.parse(rid)
        if rid not in self._galleries:
            raise ResourceNotFoundError(str(rid))
        return Inventory(g for key, g in self._galleries.items() if key != rid)

    # -- I/O -----------------------------------------------------------------------------------

    def _written(self) -> Iterator[Entity]:
        """The entities :meth:`to_arm` writes, in its order (implied parents are not)."""
        for gallery in self._galleries.values():
            if not gallery.implied:
                yield gallery
            for definition in gallery.definitions.values():
                if not definition.implied:
                    yield definition
                yield from definition.versions.values()

    def to_arm(self, *, annotations: bool = True, shape: ArmShape = "arm") -> list[dict[str, Any]]:
        """Write the inventory as a list of resource dicts: galleries, definitions, versions.

        Implied galleries and definitions (created by the loader to hold orphans) are not
        written. Consumer views (proxy ids) are written as the shared and community gallery APIs
        give them. :func:`imagegallery.arm.dump_arm` does the same.

        Args:
            annotations: Keep the library's own annotations (``x-imagegallery-*`` keys, such
                as measured used sizes). Pass ``False`` for bodies meant for Azure.
            shape: ``"arm"`` (``properties`` nested, as ARM returns them) or ``"az"`` (what the
                ``az`` CLI prints: ``properties`` flattened, ``resourceGroup`` added).

        Example:
            >>> from imagegallery import sample_inventory
            >>> [r["type"] for r in sample_inventory().to_arm()[:2]]
            ['Microsoft.Compute/galleries', 'Microsoft.Compute/galleries/images']
            >>> sorted(sample_inventory().to_arm(shape="az")[0])[:6]
            ['description', 'id', 'identifier', 'location', 'name', 'provisioningState']
        """
        if shape not in ("arm", "az"):
            raise InvalidFieldError("must be 'arm' or 'az'", field="shape", value=shape)
        with paused_gc():  # acyclic dicts and lists only (see imagegallery._speed)
            out = [_write(entity) for entity in self._written()]
        if not annotations:
            out = [_strip_annotations(r) for r in out]
        if shape == "az":
            try:
                out = [az_from_arm(r) for r in out]
            except ValueError as err:
                raise InvalidFieldError(str(err), field="shape", value=shape) from None
        return out

    # -- tables and display ----------------------------------------------------------------------

    def to_columns(self, level: _Level = "regions") -> dict[str, list[Any]]:
        """The inventory as a table, column by column: name → list of plain values.

        The columns of each ``level`` are listed in :doc:`/notebooks`. Pass the result to
        ``polars.DataFrame`` or ``pyarrow.table`` as it is.

        Args:
            level: ``"regions"``: one row per target region of each version (a version that
                lists no target region has one row with no region); ``"versions"``,
                ``"definitions"`` or ``"galleries"``: one row per resource.

        Raises:
            InvalidFieldError: ``level`` is not one of those.

        Example:
            >>> from imagegallery import sample_inventory
            >>> columns = sample_inventory().to_columns("definitions")
            >>> columns["definition"][:3], columns["versions"][:3]
            (['myImage1', 'myImage2', 'myImage3'], [4, 2, 2])
        """
        return as_lists(_columns(self, level))

    def to_records(self, level: _Level = "regions") -> list[dict[str, Any]]:
        """The inventory as a table, one dict per row (see :meth:`to_columns` for ``level``).

        Example:
            >>> from imagegallery import sample_inventory
            >>> row = sample_inventory().to_records()[0]
            >>> row["definition"], row["version"], row["region"], row["replicas"]
            ('myImage1', '1.0.0', 'westeurope', 2)
            >>> row["storage_type"], row["excluded_from_latest"], row["published_date"].year
            ('Standard_ZRS', False, 2024)
        """
        return records(_columns(self, level))

    def to_dataframe(self, level: _Level = "regions", *, exact: bool = False) -> pandas.DataFrame:
        """The inventory as a typed ``pandas.DataFrame`` (needs the ``pandas`` extra).

        See :meth:`to_columns` for ``level`` and :func:`imagegallery.frames.to_dataframe` for
        the column types and ``exact``.

        Raises:
            MissingExtraError: pandas is not installed.
        """
        return _frames.dataframe(_columns(self, level), exact=exact)

    def _repr_html_(self) -> str:
        return _inventory_html(self)


def _write(entity: Entity) -> dict[str, Any]:
    """An entity as JSON: ARM shape, or a consumer view's shape for a proxy id."""
    written = _CODECS[type(entity)].write(entity)
    if entity.id.kind.is_proxy:
        return consumer_from_arm(written, isinstance(entity, ImageVersion))
    return written


def _strip_annotations(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip_annotations(v)
            for k, v in value.items()
            if not k.startswith(_ANNOTATION_PREFIX)
        }
    if isinstance(value, list):
        return [_strip_annotations(v) for v in value]
    return value


_LEVELS: Final = ("regions", "versions", "definitions", "galleries")


def _columns(inventory: Inventory, level: str) -> dict[str, Sequence[Any]]:
    """The columns of ``inventory`` at ``level`` (values shared by many rows stored once)."""
    if level == "regions":
        return _region_columns(inventory)
    if level == "versions":
        return _version_columns(inventory)
    if level == "definitions":
        return _definition_columns(inventory)
    if level == "galleries":
        return _gallery_columns(inventory)
    raise InvalidFieldError(
        f"unknown level; use one of {', '.join(_LEVELS)}", field="level", value=level
    )


def _names(rid: ResourceId) -> tuple[str, str, str, str]:
    """Subscription, resource group, gallery and image names of a gallery or definition id."""
    return (rid.subscription_id or "", rid.resource_group or "", rid.gallery or "", rid.image or "")


def _owners(
    definitions: Sequence[ImageDefinition], index: Sequence[int]
) -> dict[str, Sequence[Any]]:
    """The subscription, resource group, gallery and definition columns (one value each per
    definition, ``index`` giving the definition of each row)."""
    names = [_names(d.id) for d in definitions]
    return {
        "subscription_id": Repeated([n[0] for n in names], index),
        "resource_group": Repeated([n[1] for n in names], index),
        "gallery": Repeated([n[2] for n in names], index),
        "definition": Repeated([n[3] for n in names], index),
    }


def _version_facts(versions: Sequence[ImageVersion], index: Sequence[int]) -> dict[str, Any]:
    """The per-version columns shared by the ``regions`` and ``versions`` levels."""
    return {
        "published_date": Repeated([v.published_date for v in versions], index),
        "end_of_life_date": Repeated([v.end_of_life_date for v in versions], index),
        "exclude_from_latest": Repeated([v.exclude_from_latest for v in versions], index),
        "replication_mode": Repeated(
            [_value(v.publishing_profile.replication_mode) for v in versions], index
        ),
        "provisioned_gb": Repeated([v.storage_profile.provisioned_gb for v in versions], index),
        "used_gb": Repeated([v.storage_profile.used_gb for v in versions], index),
    }


def _value(member: Any) -> Any:
    return None if member is None else member.value


def _region_columns(inventory: Inventory) -> dict[str, Sequence[Any]]:
    definitions: list[ImageDefinition] = []
    versions: list[ImageVersion] = []
    by_definition: list[int] = []
    by_version: list[int] = []
    region: list[str | None] = []
    replicas: list[int] = []
    storage: list[str | None] = []
    excluded: list[bool] = []
    state: list[str | None] = []
    for definition in inventory.definitions():
        d = len(definitions)
        definitions.append(definition)
        for version in definition.versions.values():
            i = len(versions)
            versions.append(version)
            names = version.region_names or (None,)
            by_definition.extend([d] * len(names))
            by_version.extend([i] * len(names))
            for name in names:
                region.append(name)
                if name is None:
                    replicas.append(0)
                    storage.append(_value(version.publishing_profile.storage_account_type))
                    excluded.append(version.exclude_from_latest)
                    state.append(None)
                    continue
                replicas.append(version.replicas_in(name))
                storage.append(_value(version.storage_account_type_in(name)))
                excluded.append(version.excluded_from_latest_in(name))
                state.append(_value(version.replication_state_in(name)))
    facts = _version_facts(versions, by_version)
    return {
        **_owners(definitions, by_definition),
        "version": Repeated([str(v.name) for v in versions], by_version),
        "version_id": Repeated([str(v.id) for v in versions], by_version),
        "region": region,
        "source_region": Repeated([v.location for v in versions], by_version),
        "replicas": replicas,
        "storage_type": storage,
        "excluded_from_latest": excluded,
        "exclude_from_latest": facts["exclude_from_latest"],
        "replication_state": state,
        "replication_mode": facts["replication_mode"],
        "published_date": facts["published_date"],
        "end_of_life_date": facts["end_of_life_date"],
        "provisioned_gb": facts["provisioned_gb"],
        "used_gb": facts["used_gb"],
    }


def _version_columns(inventory: Inventory) -> dict[str, Sequence[Any]]:
    definitions: list[ImageDefinition] = []
    versions: list[ImageVersion] = []
    by_definition: list[int] = []
    for definition in inventory.definitions():
        by_definition.extend([len(definitions)] * len(definition.versions))
        definitions.append(definition)
        versions.extend(definition.versions.values())
    rows = range(len(versions))
    facts = _version_facts(versions, rows)
    status = [v.replication_status for v in versions]
    return {
        **_owners(definitions, by_definition),
        "version": [str(v.name) for v in versions],
        "version_id": [str(v.id) for v in versions],
        "source_region": [v.location for v in versions],
        "target_regions": [", ".join(v.region_names) for v in versions],
        "region_count": [len(v.region_names) for v in versions],
        "replicas": [sum(v.replicas_in(r) for r in v.region_names) for v in versions],
        "default_storage_type": [
            _value(v.publishing_profile.storage_account_type) for v in versions
        ],
        "exclude_from_latest": facts["exclude_from_latest"],
        "aggregated_replication_state": [
            None if s is None else _value(s.aggregated_state) for s in status
        ],
        "replication_mode": facts["replication_mode"],
        "published_date": facts["published_date"],
        "end_of_life_date": facts["end_of_life_date"],
        "provisioned_gb": facts["provisioned_gb"],
        "used_gb": facts["used_gb"],
        "data_disks": [len(v.storage_profile.data_disk_images or ()) for v in versions],
    }


def _replicas(definition: ImageDefinition) -> int:
    return sum(v.replicas_in(r) for v in definition.versions.values() for r in v.region_names)


def _definition_columns(inventory: Inventory) -> dict[str, Sequence[Any]]:
    definitions = list(inventory.definitions())
    owners = _owners(definitions, range(len(definitions)))
    ident = [d.identifier for d in definitions]
    highest = [next(iter(list(d.versions.values())[-1:]), None) for d in definitions]
    return {
        **owners,
        "definition_id": [str(d.id) for d in definitions],
        "location": [d.location for d in definitions],
        "publisher": [None if i is None else i.publisher for i in ident],
        "offer": [None if i is None else i.offer for i in ident],
        "sku": [None if i is None else i.sku for i in ident],
        "os_type": [_value(d.os_type) for d in definitions],
        "os_state": [_value(d.os_state) for d in definitions],
        "hyper_v_generation": [_value(d.hyper_v_generation) for d in definitions],
        "architecture": [_value(d.architecture) for d in definitions],
        "security_type": [_value(d.security_type) for d in definitions],
        "end_of_life_date": [d.end_of_life_date for d in definitions],
        "versions": [len(d.versions) for d in definitions],
        "highest_version": [None if v is None else str(v.name) for v in highest],
        "replicas": [_replicas(d) for d in definitions],
        "description": [d.description for d in definitions],
    }


def _gallery_columns(inventory: Inventory) -> dict[str, Sequence[Any]]:
    galleries = list(inventory.galleries())
    names = [_names(g.id) for g in galleries]
    return {
        "subscription_id": [n[0] for n in names],
        "resource_group": [n[1] for n in names],
        "gallery": [n[2] for n in names],
        "gallery_id": [str(g.id) for g in galleries],
        "location": [g.location for g in galleries],
        "sharing": [g.sharing_permission.value for g in galleries],
        "soft_delete": [g.soft_delete_enabled for g in galleries],
        "definitions": [len(g.definitions) for g in galleries],
        "versions": [sum(len(d.versions) for d in g.definitions.values()) for g in galleries],
        "replicas": [sum(_replicas(d) for d in g.definitions.values()) for g in galleries],
        "description": [g.description for g in galleries],
    }


def _inventory_html(inventory: Inventory) -> str:
    galleries = list(inventory.galleries())
    definitions = sum(len(g.definitions) for g in galleries)
    subscriptions = len(inventory.subscriptions())
    caption = (
        f"Inventory: {_html.count(len(galleries), 'gallery', 'galleries')},"
        f" {_html.count(definitions, 'image definition')},"
        f" {_html.count(len(inventory), 'image version')}"
        f" in {_html.count(subscriptions, 'subscription')}"
    )
    rows = (
        (
            g.name,
            g.subscription_id,
            g.id.resource_group,
            g.location,
            g.sharing_permission,
            len(g.definitions),
            sum(len(d.versions) for d in g.definitions.values()),
        )
        for g in galleries
    )
    header = ("gallery", "subscription", "resource group", "location", "sharing")
    return _html.table(
        (*header, "definitions", "versions"), rows, caption=caption, total=len(galleries)
    )
