"""Hypothesis strategies for galleries, image definitions and image versions.

Every drawn value is valid by construction (built through the public constructors), so property
tests can start from realistic inventories: numeric version names that collide in string order
(``1.0.9`` and ``1.0.10``), several target regions with tri-state regional exclude flags,
replication states, published and end-of-life dates in several time zones, tags, data disks with
used sizes, shared and community galleries.

Arguments are keyword-only; where a knob steers what is drawn it takes a *strategy*, for example
``exclude_from_latest=st.just(False)`` for versions never excluded, or
``regions=st.sampled_from(["westeurope", "eastus"])``. Needs the ``hypothesis`` extra.

With the library installed, ``st.from_type(ImageVersion)`` (and the same for
:class:`~imagegallery.ImageVersionName`, :class:`~imagegallery.TargetRegion`,
:class:`~imagegallery.ImageDefinition`, :class:`~imagegallery.Gallery` and
:class:`~imagegallery.Inventory`) uses these strategies.

Example:
    >>> from hypothesis import given, settings, strategies as st
    >>> from imagegallery.resolve import resolve_latest
    >>> from imagegallery.strategies import image_definitions
    >>> @settings(max_examples=20)
    ... @given(image_definitions(min_versions=1, exclude_from_latest=st.just(False),
    ...                          regional_exclude_from_latest=st.none(),
    ...                          replication_states=st.none(), end_of_life_dates=st.none(),
    ...                          definition_end_of_life_dates=st.none()))
    ... def test_latest_is_the_highest(definition):
    ...     highest = max(v.name for v in definition.versions.values())
    ...     assert resolve_latest(definition).name == highest
    >>> test_latest_is_the_highest()
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from imagegallery.definition import (
    GalleryImageFeature,
    ImageDefinition,
    ImageIdentifier,
    RecommendedMachineConfiguration,
    ResourceRange,
)
from imagegallery.enums import (
    Architecture,
    FeatureName,
    HostCaching,
    HyperVGeneration,
    OsState,
    OsType,
    ReplicationState,
    SharingPermission,
    SharingProfileGroupType,
    StorageAccountType,
)
from imagegallery.gallery import (
    CommunityGalleryInfo,
    Gallery,
    GalleryIdentifier,
    SharingProfile,
    SharingProfileGroup,
)
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.publishing import PublishingProfile, TargetRegion
from imagegallery.safety import SafetyProfile
from imagegallery.status import RegionalReplicationStatus, ReplicationStatus
from imagegallery.storage import DataDiskImage, OsDiskImage, StorageProfile
from imagegallery.version import ImageVersion
from imagegallery.versions import MAX_VERSION_PART, ImageVersionName

__all__ = [
    "REGIONS",
    "galleries",
    "image_definitions",
    "image_versions",
    "inventories",
    "target_regions",
    "version_names",
]

_T = TypeVar("_T")

REGIONS: Final = (
    "westeurope",
    "northeurope",
    "eastus",
    "eastus2",
    "westus2",
    "swedencentral",
)
"""The regions drawn from by default (ARM form)."""

_ZONES: Final = (UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30)))
_TAG_TEXT: Final = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_ ", min_size=1, max_size=12)
_NAME_PART: Final = "[A-Za-z0-9_-]([A-Za-z0-9._-]{0,6}[A-Za-z0-9_-])?"


# -- argument checks ---------------------------------------------------------------------------


def _strategy(name: str, value: Any, default: st.SearchStrategy[_T]) -> st.SearchStrategy[_T]:
    if value is None:
        return default
    if not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(f"{name}={value!r} must be a strategy (for example st.just(...))")
    return value


def _size(name: str, value: Any, low: int = 0) -> int:
    if type(value) is not int or value < low:
        raise InvalidArgument(f"{name}={value!r} must be an int >= {low}")
    return value


def _sizes(prefix: str, min_size: Any, max_size: Any) -> tuple[int, int]:
    low = _size(f"min_{prefix}", min_size)
    high = _size(f"max_{prefix}", max_size)
    if high < low:
        raise InvalidArgument(f"max_{prefix}={high} must not be less than min_{prefix}={low}")
    return low, high


def _datetimes() -> st.SearchStrategy[datetime]:
    return st.datetimes(
        min_value=datetime(2015, 1, 1),
        max_value=datetime(2045, 12, 31),
        timezones=st.sampled_from(_ZONES),
    )


def _dates() -> st.SearchStrategy[datetime]:
    """Whole days at midnight UTC: few distinct values, so drawn versions share dates."""
    return st.integers(0, 365 * 12).map(
        lambda days: datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=days)
    )


def _moments() -> st.SearchStrategy[datetime | None]:
    return st.none() | _dates() | _datetimes()


def _tags() -> st.SearchStrategy[Mapping[str, str] | None]:
    return st.none() | st.dictionaries(_TAG_TEXT, _TAG_TEXT, max_size=3)


# -- values ------------------------------------------------------------------------------------


@st.composite
def version_names(draw: st.DrawFn, *, max_part: int = MAX_VERSION_PART) -> ImageVersionName:
    """Image version names ``major.minor.patch``, each part in ``0..max_part``.

    Small parts are drawn often, so that names like ``1.0.9`` and ``1.0.10`` meet; the
    32-bit limit ``2147483647`` is reachable.

    Args:
        max_part: The largest part (at most 2147483647).

    Example:
        >>> from hypothesis import find
        >>> str(find(version_names(), lambda n: n.patch >= 10))
        '0.0.10'
    """
    if type(max_part) is not int or not 0 <= max_part <= MAX_VERSION_PART:
        raise InvalidArgument(f"max_part={max_part!r} must be an int in 0..{MAX_VERSION_PART}")
    part = st.integers(0, min(12, max_part)) | st.integers(0, max_part)
    return ImageVersionName(draw(part), draw(part), draw(part))


@st.composite
def target_regions(
    draw: st.DrawFn,
    *,
    regions: st.SearchStrategy[str] | None = None,
    exclude_from_latest: st.SearchStrategy[bool | None] | None = None,
    replica_counts: st.SearchStrategy[int | None] | None = None,
) -> TargetRegion:
    """Target regions of an image version.

    Args:
        regions: Region names (default: :data:`REGIONS`).
        exclude_from_latest: The tri-state regional flag (default: ``None``, ``True`` or
            ``False``).
        replica_counts: Regional replica counts (default: ``None`` or 1-5).

    Example:
        >>> from hypothesis import find
        >>> find(target_regions(), lambda t: t.exclude_from_latest is False).name
        'westeurope'
    """
    return TargetRegion(
        name=draw(_strategy("regions", regions, st.sampled_from(REGIONS))),
        regional_replica_count=draw(
            _strategy("replica_counts", replica_counts, st.none() | st.integers(1, 5))
        ),
        storage_account_type=draw(st.none() | st.sampled_from(list(StorageAccountType))),
        exclude_from_latest=draw(
            _strategy("exclude_from_latest", exclude_from_latest, st.none() | st.booleans())
        ),
    )


# -- image versions ----------------------------------------------------------------------------


@attrs.frozen
class _VersionKnobs:
    regions: st.SearchStrategy[str]
    max_regions: int
    exclude_from_latest: st.SearchStrategy[bool]
    regional_exclude_from_latest: st.SearchStrategy[bool | None]
    replication_states: st.SearchStrategy[ReplicationState | None]
    published_dates: st.SearchStrategy[datetime | None]
    end_of_life_dates: st.SearchStrategy[datetime | None]


def _version_knobs(
    *,
    regions: Any,
    max_regions: Any,
    exclude_from_latest: Any,
    regional_exclude_from_latest: Any,
    replication_states: Any,
    published_dates: Any,
    end_of_life_dates: Any,
) -> _VersionKnobs:
    return _VersionKnobs(
        regions=_strategy("regions", regions, st.sampled_from(REGIONS)),
        max_regions=_size("max_regions", max_regions, 1),
        exclude_from_latest=_strategy("exclude_from_latest", exclude_from_latest, st.booleans()),
        regional_exclude_from_latest=_strategy(
            "regional_exclude_from_latest",
            regional_exclude_from_latest,
            st.none() | st.booleans(),
        ),
        replication_states=_strategy(
            "replication_states",
            replication_states,
            st.none() | st.sampled_from(list(ReplicationState)),
        ),
        published_dates=_strategy("published_dates", published_dates, _moments()),
        end_of_life_dates=_strategy("end_of_life_dates", end_of_life_dates, _moments()),
    )


@st.composite
def _disks(draw: st.DrawFn) -> StorageProfile:
    def used(size: int) -> st.SearchStrategy[float | None]:
        return st.none() | st.integers(0, size) | st.floats(0, size, allow_nan=False)

    os_size = draw(st.integers(1, 1024))
    os_disk = OsDiskImage(
        size_gb=os_size,
        used_gb=draw(used(os_size)),
        host_caching=draw(st.none() | st.sampled_from(list(HostCaching))),
    )
    data: list[DataDiskImage] = []
    for lun in draw(st.lists(st.integers(0, 63), unique=True, max_size=3)):
        size = draw(st.integers(1, 4096))
        data.append(DataDiskImage(lun=lun, size_gb=size, used_gb=draw(used(size))))
    return StorageProfile(os_disk_image=os_disk, data_disk_images=tuple(data) or None)


@st.composite
def _version(
    draw: st.DrawFn, definition_id: ResourceId, name: ImageVersionName, knobs: _VersionKnobs
) -> ImageVersion:
    names = draw(st.lists(knobs.regions, min_size=1, max_size=knobs.max_regions, unique=True))
    regions = [
        TargetRegion(
            name=region,
            regional_replica_count=draw(st.none() | st.integers(1, 5)),
            exclude_from_latest=draw(knobs.regional_exclude_from_latest),
        )
        for region in names
    ]
    states = {region: draw(knobs.replication_states) for region in names}
    summary = [
        RegionalReplicationStatus(
            region=region,
            state=state,
            progress=100 if state is ReplicationState.COMPLETED else draw(st.integers(0, 99)),
        )
        for region, state in states.items()
        if state is not None
    ]
    return ImageVersion(
        id=definition_id.child("versions", str(name)),
        location=draw(st.sampled_from(names)),
        tags=draw(_tags()),
        publishing_profile=PublishingProfile(
            target_regions=tuple(regions),
            replica_count=draw(st.none() | st.integers(1, 3)),
            exclude_from_latest=draw(knobs.exclude_from_latest),
            published_date=draw(knobs.published_dates),
            end_of_life_date=draw(knobs.end_of_life_dates),
            storage_account_type=draw(st.none() | st.sampled_from(list(StorageAccountType))),
        ),
        storage_profile=draw(_disks()),
        replication_status=ReplicationStatus(summary=tuple(summary)) if summary else None,
        safety_profile=draw(
            st.none()
            | st.builds(
                SafetyProfile,
                allow_deletion_of_replicated_locations=st.none() | st.booleans(),
                block_deletion_before_end_of_life=st.none() | st.booleans(),
            )
        ),
    )


def _subscriptions() -> st.SearchStrategy[str]:
    return st.uuids().map(str)


def _gallery_ids(
    subscriptions: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ResourceId]:
    return st.builds(
        ResourceId.for_gallery,
        subscriptions if subscriptions is not None else _subscriptions(),
        st.from_regex(r"rg-[a-z0-9]{1,8}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._]{0,10}[A-Za-z0-9])?", fullmatch=True),
    )


def _definition_ids(gallery_ids: st.SearchStrategy[ResourceId]) -> st.SearchStrategy[ResourceId]:
    return st.builds(
        lambda gallery, name: gallery.child("images", name),
        gallery_ids,
        st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?", fullmatch=True),
    )


@st.composite
def image_versions(
    draw: st.DrawFn,
    *,
    definition_ids: st.SearchStrategy[ResourceId] | None = None,
    names: st.SearchStrategy[ImageVersionName] | None = None,
    regions: st.SearchStrategy[str] | None = None,
    max_regions: int = 4,
    exclude_from_latest: st.SearchStrategy[bool] | None = None,
    regional_exclude_from_latest: st.SearchStrategy[bool | None] | None = None,
    replication_states: st.SearchStrategy[ReplicationState | None] | None = None,
    published_dates: st.SearchStrategy[datetime | None] | None = None,
    end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
) -> ImageVersion:
    """Image versions, with 1 to ``max_regions`` target regions (the source region among them).

    Args:
        definition_ids: Ids of the definitions the versions belong to (default: drawn).
        names: Version names (default: :func:`version_names`).
        regions: Region names to draw target regions from (default: :data:`REGIONS`).
        max_regions: The most target regions per version.
        exclude_from_latest: The version-level flag (default: either).
        regional_exclude_from_latest: Each region's tri-state flag (default: ``None`` or either).
        replication_states: Each region's replication state; ``None`` means not reported, and a
            version with no reported region has no replication status (default: any).
        published_dates: Published dates (default: ``None`` or aware datetimes in several
            zones).
        end_of_life_dates: End-of-life dates (default: like ``published_dates``).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(image_versions(max_regions=2))
        ... def check(version):
        ...     assert version.location in version.region_names
        ...     assert 1 <= len(version.region_names) <= 2
        >>> check()
    """
    knobs = _version_knobs(
        regions=regions,
        max_regions=max_regions,
        exclude_from_latest=exclude_from_latest,
        regional_exclude_from_latest=regional_exclude_from_latest,
        replication_states=replication_states,
        published_dates=published_dates,
        end_of_life_dates=end_of_life_dates,
    )
    ids = _strategy("definition_ids", definition_ids, _definition_ids(_gallery_ids()))
    name = draw(_strategy("names", names, version_names()))
    return draw(_version(draw(ids), name, knobs))


# -- image definitions -------------------------------------------------------------------------


@st.composite
def _definition(
    draw: st.DrawFn,
    definition_id: ResourceId,
    *,
    location: str | None,
    sizes: tuple[int, int],
    knobs: _VersionKnobs,
    end_of_life_dates: st.SearchStrategy[datetime | None],
) -> ImageDefinition:
    min_versions, max_versions = sizes
    names = draw(
        st.lists(version_names(), min_size=min_versions, max_size=max_versions, unique=True)
    )
    versions = [draw(_version(definition_id, name, knobs)) for name in names]
    low = draw(st.integers(1, 8))
    recommended = RecommendedMachineConfiguration(
        v_cpus=ResourceRange(min=low, max=low * draw(st.integers(1, 4))),
        memory=ResourceRange(min=low * 2, max=low * 8),
    )
    return ImageDefinition(
        id=definition_id,
        location=location if location is not None else draw(knobs.regions),
        tags=draw(_tags()),
        description=draw(st.none() | st.text(max_size=20)),
        os_type=draw(st.sampled_from(list(OsType))),
        os_state=draw(st.sampled_from(list(OsState))),
        hyper_v_generation=draw(st.sampled_from(list(HyperVGeneration))),
        architecture=draw(st.sampled_from(list(Architecture))),
        end_of_life_date=draw(end_of_life_dates),
        identifier=ImageIdentifier(
            publisher=draw(st.from_regex(_NAME_PART, fullmatch=True)),
            offer=draw(st.from_regex(_NAME_PART, fullmatch=True)),
            sku=draw(st.from_regex(_NAME_PART, fullmatch=True)),
        ),
        recommended=draw(st.none() | st.just(recommended)),
        features=draw(
            st.none()
            | st.just(
                (
                    GalleryImageFeature(
                        name=FeatureName.SECURITY_TYPE, value="TrustedLaunchSupported"
                    ),
                )
            )
        ),
        versions=versions,
    )


@st.composite
def image_definitions(
    draw: st.DrawFn,
    *,
    definition_ids: st.SearchStrategy[ResourceId] | None = None,
    min_versions: int = 0,
    max_versions: int = 6,
    regions: st.SearchStrategy[str] | None = None,
    max_regions: int = 4,
    exclude_from_latest: st.SearchStrategy[bool] | None = None,
    regional_exclude_from_latest: st.SearchStrategy[bool | None] | None = None,
    replication_states: st.SearchStrategy[ReplicationState | None] | None = None,
    published_dates: st.SearchStrategy[datetime | None] | None = None,
    end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
    definition_end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
) -> ImageDefinition:
    """Image definitions holding ``min_versions`` to ``max_versions`` versions.

    The version knobs are those of :func:`image_versions`;
    ``definition_end_of_life_dates`` draws the definition's own end of life (default: ``None``
    or a date).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(image_definitions(min_versions=2, max_versions=3))
        ... def check(definition):
        ...     assert 2 <= len(definition.versions) <= 3
        ...     assert all(v.definition_id == definition.id for v in definition.versions.values())
        >>> check()
    """
    low, high = _sizes("versions", min_versions, max_versions)
    knobs = _version_knobs(
        regions=regions,
        max_regions=max_regions,
        exclude_from_latest=exclude_from_latest,
        regional_exclude_from_latest=regional_exclude_from_latest,
        replication_states=replication_states,
        published_dates=published_dates,
        end_of_life_dates=end_of_life_dates,
    )
    ids = _strategy("definition_ids", definition_ids, _definition_ids(_gallery_ids()))
    eol = _strategy("definition_end_of_life_dates", definition_end_of_life_dates, _moments())
    return draw(
        _definition(draw(ids), location=None, sizes=(low, high), knobs=knobs, end_of_life_dates=eol)
    )


# -- galleries and inventories -----------------------------------------------------------------


def _unique_name(gallery_id: ResourceId) -> str:
    return f"{gallery_id.subscription_id}-{gallery_id.name.upper()}"


def _public_name(gallery_id: ResourceId) -> str:
    return f"Contoso-{uuid.uuid5(uuid.NAMESPACE_URL, str(gallery_id).lower())}"


@st.composite
def _sharing(draw: st.DrawFn, gallery_id: ResourceId) -> SharingProfile | None:
    permission = draw(st.none() | st.sampled_from(list(SharingPermission)))
    if permission is None:
        return None
    if permission is SharingPermission.GROUPS:
        groups = [
            SharingProfileGroup(
                type=SharingProfileGroupType.SUBSCRIPTIONS,
                ids=tuple(draw(st.lists(_subscriptions(), min_size=1, max_size=2))),
            )
        ]
        return SharingProfile(permissions=permission, groups=tuple(groups))
    if permission is SharingPermission.COMMUNITY:
        info = CommunityGalleryInfo(
            publisher_uri="https://contoso.example",
            publisher_contact="images@contoso.example",
            public_name_prefix="Contoso",
            community_gallery_enabled=True,
            public_names=(_public_name(gallery_id),),
        )
        return SharingProfile(permissions=permission, community_gallery_info=info)
    return SharingProfile(permissions=permission)


def _definition_name_key(definition: ImageDefinition) -> str:
    return definition.name.lower()


def _identifier_key(definition: ImageDefinition) -> tuple[str, str, str]:
    assert definition.identifier is not None
    return definition.identifier.key


@st.composite
def _gallery(
    draw: st.DrawFn,
    gallery_id: ResourceId,
    *,
    sizes: tuple[int, int],
    version_sizes: tuple[int, int],
    knobs: _VersionKnobs,
    end_of_life_dates: st.SearchStrategy[datetime | None],
) -> Gallery:
    location = draw(knobs.regions)
    definition = _definition_ids(st.just(gallery_id)).flatmap(
        lambda rid: _definition(
            rid,
            location=location,
            sizes=version_sizes,
            knobs=knobs,
            end_of_life_dates=end_of_life_dates,
        )
    )
    definitions = draw(
        st.lists(
            definition,
            min_size=sizes[0],
            max_size=sizes[1],
            unique_by=(_definition_name_key, _identifier_key),
        )
    )
    return Gallery(
        id=gallery_id,
        location=location,
        tags=draw(_tags()),
        description=draw(st.none() | st.text(max_size=20)),
        identifier=draw(
            st.none() | st.just(GalleryIdentifier(unique_name=_unique_name(gallery_id)))
        ),
        sharing_profile=draw(_sharing(gallery_id)),
        definitions=definitions,
    )


def _gallery_factory(
    *,
    min_definitions: Any,
    max_definitions: Any,
    min_versions: Any,
    max_versions: Any,
    knobs: _VersionKnobs,
    definition_end_of_life_dates: Any,
) -> Callable[[ResourceId], st.SearchStrategy[Gallery]]:
    sizes = _sizes("definitions", min_definitions, max_definitions)
    version_sizes = _sizes("versions", min_versions, max_versions)
    eol = _strategy("definition_end_of_life_dates", definition_end_of_life_dates, _moments())

    def build(gallery_id: ResourceId) -> st.SearchStrategy[Gallery]:
        return _gallery(
            gallery_id, sizes=sizes, version_sizes=version_sizes, knobs=knobs, end_of_life_dates=eol
        )

    return build


@st.composite
def galleries(
    draw: st.DrawFn,
    *,
    gallery_ids: st.SearchStrategy[ResourceId] | None = None,
    min_definitions: int = 0,
    max_definitions: int = 3,
    min_versions: int = 0,
    max_versions: int = 4,
    regions: st.SearchStrategy[str] | None = None,
    max_regions: int = 4,
    exclude_from_latest: st.SearchStrategy[bool] | None = None,
    regional_exclude_from_latest: st.SearchStrategy[bool | None] | None = None,
    replication_states: st.SearchStrategy[ReplicationState | None] | None = None,
    published_dates: st.SearchStrategy[datetime | None] | None = None,
    end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
    definition_end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
) -> Gallery:
    """Galleries (private, directly shared or community) with their definitions and versions.

    Definition names and identifier triples are unique in each gallery; the other knobs are
    those of :func:`image_definitions`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(galleries(min_definitions=2))
        ... def check(gallery):
        ...     assert len({d.identifier for d in gallery.definitions.values()}) >= 2
        >>> check()
    """
    build = _gallery_factory(
        min_definitions=min_definitions,
        max_definitions=max_definitions,
        min_versions=min_versions,
        max_versions=max_versions,
        knobs=_version_knobs(
            regions=regions,
            max_regions=max_regions,
            exclude_from_latest=exclude_from_latest,
            regional_exclude_from_latest=regional_exclude_from_latest,
            replication_states=replication_states,
            published_dates=published_dates,
            end_of_life_dates=end_of_life_dates,
        ),
        definition_end_of_life_dates=definition_end_of_life_dates,
    )
    return draw(build(draw(_strategy("gallery_ids", gallery_ids, _gallery_ids()))))


def _gallery_key(gallery: Gallery) -> tuple[str, str]:
    return (gallery.subscription_id.lower(), gallery.name.lower())


@st.composite
def _inventory(
    draw: st.DrawFn,
    subscriptions: st.SearchStrategy[str] | None,
    sizes: tuple[int, int],
    gallery: Callable[[ResourceId], st.SearchStrategy[Gallery]],
) -> Inventory:
    if subscriptions is None:
        pool = draw(st.lists(_subscriptions(), min_size=1, max_size=2, unique=True))
        subscriptions = st.sampled_from(pool)
    items = draw(
        st.lists(
            _gallery_ids(subscriptions).flatmap(gallery),
            min_size=sizes[0],
            max_size=sizes[1],
            unique_by=_gallery_key,
        )
    )
    return Inventory(items)


@st.composite
def inventories(
    draw: st.DrawFn,
    *,
    subscriptions: st.SearchStrategy[str] | None = None,
    min_galleries: int = 0,
    max_galleries: int = 3,
    min_definitions: int = 0,
    max_definitions: int = 3,
    min_versions: int = 0,
    max_versions: int = 4,
    regions: st.SearchStrategy[str] | None = None,
    max_regions: int = 4,
    exclude_from_latest: st.SearchStrategy[bool] | None = None,
    regional_exclude_from_latest: st.SearchStrategy[bool | None] | None = None,
    replication_states: st.SearchStrategy[ReplicationState | None] | None = None,
    published_dates: st.SearchStrategy[datetime | None] | None = None,
    end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
    definition_end_of_life_dates: st.SearchStrategy[datetime | None] | None = None,
) -> Inventory:
    """Inventories of galleries across subscriptions (gallery names unique per subscription).

    Args:
        subscriptions: Subscription ids (default: one or two drawn UUIDs, shared by the
            galleries).
        min_galleries: The fewest galleries.
        max_galleries: The most galleries.

    The other knobs are those of :func:`galleries`.

    Example:
        >>> from hypothesis import given, settings
        >>> from imagegallery import load_arm
        >>> @settings(max_examples=5)
        ... @given(inventories(min_galleries=1))
        ... def check(inventory):
        ...     assert load_arm(inventory.to_arm()) == inventory
        >>> check()
    """
    sizes = _sizes("galleries", min_galleries, max_galleries)
    gallery = _gallery_factory(
        min_definitions=min_definitions,
        max_definitions=max_definitions,
        min_versions=min_versions,
        max_versions=max_versions,
        knobs=_version_knobs(
            regions=regions,
            max_regions=max_regions,
            exclude_from_latest=exclude_from_latest,
            regional_exclude_from_latest=regional_exclude_from_latest,
            replication_states=replication_states,
            published_dates=published_dates,
            end_of_life_dates=end_of_life_dates,
        ),
        definition_end_of_life_dates=definition_end_of_life_dates,
    )
    subs = None if subscriptions is None else _strategy("subscriptions", subscriptions, st.just(""))
    return draw(_inventory(subs, sizes, gallery))
