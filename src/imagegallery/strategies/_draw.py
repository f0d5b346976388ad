"""How the strategies of :mod:`imagegallery.strategies` draw values.

Strategies are built once, at import: building one costs far more than drawing from it. The
``_draw_*`` helpers take Hypothesis's ``draw`` and build entities through the public constructors,
so every value is valid; uniqueness rules (version names in a definition, definition names and
identifiers in a gallery, gallery names in a subscription) hold by construction.
"""

from __future__ import annotations

import string
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
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
from imagegallery.publishing import PublishingProfile, TargetRegion
from imagegallery.safety import SafetyProfile
from imagegallery.status import RegionalReplicationStatus, ReplicationStatus
from imagegallery.storage import DataDiskImage, OsDiskImage, StorageProfile
from imagegallery.version import ImageVersion
from imagegallery.version_name import MAX_VERSION_PART, ImageVersionName

__all__ = ["REGIONS"]

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

_ALNUM: Final = string.ascii_letters + string.digits
_ZONES: Final = (UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30)))
_PARTS: Final = st.integers(0, 12) | st.integers(0, MAX_VERSION_PART)
_VERSION_NAMES: Final = st.builds(ImageVersionName, _PARTS, _PARTS, _PARTS)
_INDEX: Final = st.integers(0, 63)
_BOOLS: Final = st.booleans()
_OPTIONAL_BOOL: Final = st.none() | _BOOLS
_REGIONAL_REPLICAS: Final = st.none() | st.integers(1, 5)
_DEFAULT_REPLICAS: Final = st.none() | st.integers(1, 3)
_STORAGE_TYPES: Final = st.none() | st.sampled_from(list(StorageAccountType))
_HOST_CACHING: Final = st.none() | st.sampled_from(list(HostCaching))
_STATES: Final = st.none() | st.sampled_from(list(ReplicationState))
_PROGRESS: Final = st.integers(0, 99)
_DISK_SIZES: Final = st.integers(1, 4096)
_LUNS: Final = st.lists(st.integers(0, 63), unique=True, max_size=3)
_USED_SHARE: Final = st.none() | st.integers(0, 100) | st.floats(0, 1)
_DATES: Final = st.integers(0, 365 * 12).map(
    lambda days: datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=days)
)
_DATETIMES: Final = st.datetimes(
    min_value=datetime(2015, 1, 1),
    max_value=datetime(2045, 12, 31),
    timezones=st.sampled_from(_ZONES),
)
_MOMENTS: Final = st.none() | _DATES | _DATETIMES
_TAG_TEXT: Final = st.text(string.ascii_lowercase + string.digits + "-_ ", min_size=1, max_size=8)
_TAGS: Final = st.none() | st.dictionaries(
    st.sampled_from(("env", "owner", "build", "Cost Center")) | _TAG_TEXT,
    st.sampled_from(("prod", "platform-team", "", "2024.10.1")) | _TAG_TEXT,
    max_size=3,
)
_TEXT: Final = st.none() | st.text(max_size=12)
_SAFETY: Final = st.none() | st.builds(
    SafetyProfile,
    allow_deletion_of_replicated_locations=_OPTIONAL_BOOL,
    block_deletion_before_end_of_life=_OPTIONAL_BOOL,
)
_OS_TYPES: Final = st.sampled_from(list(OsType))
_OS_STATES: Final = st.sampled_from(list(OsState))
_GENERATIONS: Final = st.sampled_from(list(HyperVGeneration))
_ARCHITECTURES: Final = st.sampled_from(list(Architecture))
_FEATURES: Final = st.none() | st.just(
    (GalleryImageFeature(name=FeatureName.SECURITY_TYPE, value="TrustedLaunchSupported"),)
)
_SMALL: Final = st.integers(1, 8)
_FACTOR: Final = st.integers(1, 4)
_PERMISSIONS: Final = st.none() | st.sampled_from(list(SharingPermission))
_SUBSCRIPTIONS: Final = st.uuids().map(str)
_SHARED_WITH: Final = st.lists(_SUBSCRIPTIONS, min_size=1, max_size=2, unique=True)
_SUBSCRIPTION_POOLS: Final = st.lists(_SUBSCRIPTIONS, min_size=1, max_size=2, unique=True)
_RESOURCE_GROUPS: Final = st.sampled_from(("rg-images", "rg-shared", "RG-Prod"))


def _names(inner: str) -> st.SearchStrategy[str]:
    """Names that start and end with a letter or digit, with ``inner`` characters between."""
    edge = st.sampled_from(_ALNUM)
    rest = st.none() | st.tuples(st.text(inner, max_size=6), edge)
    return st.builds(lambda head, tail: head if tail is None else head + "".join(tail), edge, rest)


_GALLERY_NAMES: Final = _names(_ALNUM + "._")
_DEFINITION_NAMES: Final = _names(_ALNUM + "._-")
_IDENTIFIER_PARTS: Final = st.builds(
    str.__add__, st.text(_ALNUM + "._-", max_size=6), st.sampled_from(_ALNUM + "_-")
)


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


@lru_cache(maxsize=64)
def _counts(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@lru_cache(maxsize=64)
def _name_lists(low: int, high: int) -> st.SearchStrategy[list[ImageVersionName]]:
    return st.lists(_VERSION_NAMES, min_size=low, max_size=high, unique=True)


# -- values ------------------------------------------------------------------------------------


# -- image versions ----------------------------------------------------------------------------


_DEFAULT_REGIONS: Final = st.sampled_from(REGIONS)


@attrs.frozen
class _VersionKnobs:
    """The one definition of what callers steer about drawn versions.

    :func:`~imagegallery.strategies.image_versions`, ``image_definitions``, ``galleries`` and
    ``inventories`` each take these knobs as keyword arguments (so their signatures show them);
    :meth:`pick` reads them from a strategy's arguments, checks them and fills in the defaults.
    Each field's metadata holds its default strategy.
    """

    regions: st.SearchStrategy[str] = attrs.field(metadata={"default": _DEFAULT_REGIONS})
    max_regions: int = attrs.field(metadata={"least": 1})
    exclude_from_latest: st.SearchStrategy[bool] = attrs.field(metadata={"default": _BOOLS})
    regional_exclude_from_latest: st.SearchStrategy[bool | None] = attrs.field(
        metadata={"default": _OPTIONAL_BOOL}
    )
    replication_states: st.SearchStrategy[ReplicationState | None] = attrs.field(
        metadata={"default": _STATES}
    )
    published_dates: st.SearchStrategy[datetime | None] = attrs.field(
        metadata={"default": _MOMENTS}
    )
    end_of_life_dates: st.SearchStrategy[datetime | None] = attrs.field(
        metadata={"default": _MOMENTS}
    )

    @classmethod
    def pick(cls, arguments: Mapping[str, Any]) -> _VersionKnobs:
        """The knobs among ``arguments`` (a strategy's ``locals()``), checked, defaults filled."""
        return cls(**_picked(cls, arguments))

    @property
    def region_lists(self) -> st.SearchStrategy[list[str]]:
        """Lists of 1 to ``max_regions`` distinct regions."""
        return _region_lists(self.regions, self.max_regions)


def _picked(cls: type, arguments: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if "default" in field.metadata:
            given = arguments[field.name]
            values[field.name] = _strategy(field.name, given, field.metadata["default"])
        elif "least" in field.metadata:
            values[field.name] = _size(field.name, arguments[field.name], field.metadata["least"])
    return values


@lru_cache(maxsize=256)
def _region_lists(regions: st.SearchStrategy[str], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(regions, min_size=1, max_size=most, unique=True)


def _used(draw: st.DrawFn, size: int) -> float | None:
    share = draw(_USED_SHARE)
    if share is None:
        return None
    if isinstance(share, int):
        return size * share // 100
    return size * share


def _draw_storage(draw: st.DrawFn) -> StorageProfile:
    os_size = draw(_DISK_SIZES)
    os_disk = OsDiskImage(
        size_gb=os_size, used_gb=_used(draw, os_size), host_caching=draw(_HOST_CACHING)
    )
    data = []
    for lun in draw(_LUNS):
        size = draw(_DISK_SIZES)
        data.append(DataDiskImage(lun=lun, size_gb=size, used_gb=_used(draw, size)))
    return StorageProfile(os_disk_image=os_disk, data_disk_images=tuple(data) or None)


def _draw_version(
    draw: st.DrawFn, definition_id: ResourceId, name: ImageVersionName, knobs: _VersionKnobs
) -> ImageVersion:
    names = draw(knobs.region_lists)
    regions = tuple(
        TargetRegion(
            name=region,
            regional_replica_count=draw(_REGIONAL_REPLICAS),
            exclude_from_latest=draw(knobs.regional_exclude_from_latest),
        )
        for region in names
    )
    summary = []
    for region in names:
        state = draw(knobs.replication_states)
        if state is not None:
            progress = 100 if state is ReplicationState.COMPLETED else draw(_PROGRESS)
            summary.append(RegionalReplicationStatus(region=region, state=state, progress=progress))
    return ImageVersion(
        id=definition_id.child("versions", str(name)),
        location=names[draw(_INDEX) % len(names)],
        tags=draw(_TAGS),
        publishing_profile=PublishingProfile(
            target_regions=regions,
            replica_count=draw(_DEFAULT_REPLICAS),
            exclude_from_latest=draw(knobs.exclude_from_latest),
            published_date=draw(knobs.published_dates),
            end_of_life_date=draw(knobs.end_of_life_dates),
            storage_account_type=draw(_STORAGE_TYPES),
        ),
        storage_profile=_draw_storage(draw),
        replication_status=ReplicationStatus(summary=tuple(summary)) if summary else None,
        safety_profile=draw(_SAFETY),
    )


def _fresh(name: str, taken: set[str] | None) -> str:
    """``name``, with digits appended until no taken name equals it (ignoring case).

    With ``taken`` (updated here), the name is unique among those drawn before; without, it is
    ``name``.
    """
    if taken is None:
        return name
    number = 1
    candidate = name
    while candidate.lower() in taken:
        number += 1
        candidate = f"{name}{number}"
    taken.add(candidate.lower())
    return candidate


def _draw_gallery_id(
    draw: st.DrawFn, subscription: str, taken: set[str] | None = None
) -> ResourceId:
    name = _fresh(draw(_GALLERY_NAMES), taken)
    return ResourceId.for_gallery(subscription, draw(_RESOURCE_GROUPS), name)


def _draw_definition_id(
    draw: st.DrawFn, gallery_id: ResourceId, taken: set[str] | None = None
) -> ResourceId:
    return gallery_id.child("images", _fresh(draw(_DEFINITION_NAMES), taken))


# -- image definitions -------------------------------------------------------------------------


def _draw_identifier(draw: st.DrawFn, taken: set[str] | None) -> ImageIdentifier:
    publisher, offer, sku = (
        draw(_IDENTIFIER_PARTS),
        draw(_IDENTIFIER_PARTS),
        draw(_IDENTIFIER_PARTS),
    )
    # Publisher and offer never hold "/"; a fresh text for the triple gives a fresh SKU.
    sku = _fresh(f"{publisher}/{offer}/{sku}", taken).rsplit("/", 1)[1]
    return ImageIdentifier(publisher=publisher, offer=offer, sku=sku)


def _draw_definition(
    draw: st.DrawFn,
    definition_id: ResourceId,
    *,
    location: str | None,
    sizes: tuple[int, int],
    knobs: _VersionKnobs,
    end_of_life_dates: st.SearchStrategy[datetime | None],
    taken_identifiers: set[str] | None = None,
) -> ImageDefinition:
    names = draw(_name_lists(*sizes))
    versions = [_draw_version(draw, definition_id, name, knobs) for name in names]
    recommended = None
    if draw(_BOOLS):
        low = draw(_SMALL)
        recommended = RecommendedMachineConfiguration(
            v_cpus=ResourceRange(min=low, max=low * draw(_FACTOR)),
            memory=ResourceRange(min=low * 2, max=low * 8),
        )
    return ImageDefinition(
        id=definition_id,
        location=location if location is not None else draw(knobs.regions),
        tags=draw(_TAGS),
        description=draw(_TEXT),
        os_type=draw(_OS_TYPES),
        os_state=draw(_OS_STATES),
        hyper_v_generation=draw(_GENERATIONS),
        architecture=draw(_ARCHITECTURES),
        end_of_life_date=draw(end_of_life_dates),
        identifier=_draw_identifier(draw, taken_identifiers),
        recommended=recommended,
        features=draw(_FEATURES),
        versions=versions,
    )


# -- galleries and inventories -----------------------------------------------------------------


@attrs.frozen
class _GalleryKnobs:
    """The knobs of ``galleries`` and ``inventories``: sizes, and the version knobs."""

    min_definitions: int = attrs.field(metadata={"least": 0})
    max_definitions: int = attrs.field(metadata={"least": 0})
    min_versions: int = attrs.field(metadata={"least": 0})
    max_versions: int = attrs.field(metadata={"least": 0})
    definition_end_of_life_dates: st.SearchStrategy[datetime | None] = attrs.field(
        metadata={"default": _MOMENTS}
    )
    knobs: _VersionKnobs = attrs.field()

    @classmethod
    def pick(cls, arguments: Mapping[str, Any]) -> _GalleryKnobs:
        """The knobs among ``arguments`` (a strategy's ``locals()``), checked, defaults filled."""
        values = _picked(cls, arguments)
        _sizes("definitions", values["min_definitions"], values["max_definitions"])
        _sizes("versions", values["min_versions"], values["max_versions"])
        return cls(**values, knobs=_VersionKnobs.pick(arguments))

    @property
    def definitions(self) -> tuple[int, int]:
        """The fewest and most definitions per gallery."""
        return self.min_definitions, self.max_definitions

    @property
    def versions(self) -> tuple[int, int]:
        """The fewest and most versions per definition."""
        return self.min_versions, self.max_versions


def _draw_sharing(draw: st.DrawFn, gallery_id: ResourceId) -> SharingProfile | None:
    permission = draw(_PERMISSIONS)
    if permission is None:
        return None
    if permission is SharingPermission.GROUPS:
        group = SharingProfileGroup(
            type=SharingProfileGroupType.SUBSCRIPTIONS, ids=tuple(draw(_SHARED_WITH))
        )
        return SharingProfile(permissions=permission, groups=(group,))
    if permission is SharingPermission.COMMUNITY:
        public_name = f"Contoso-{uuid.uuid5(uuid.NAMESPACE_URL, str(gallery_id).lower())}"
        info = CommunityGalleryInfo(
            publisher_uri="https://contoso.example",
            publisher_contact="images@contoso.example",
            public_name_prefix="Contoso",
            community_gallery_enabled=True,
            public_names=(public_name,),
        )
        return SharingProfile(permissions=permission, community_gallery_info=info)
    return SharingProfile(permissions=permission)


def _draw_gallery(draw: st.DrawFn, gallery_id: ResourceId, knobs: _GalleryKnobs) -> Gallery:
    location = draw(knobs.knobs.regions)
    definitions = []
    names: set[str] = set()
    identifiers: set[str] = set()
    for _ in range(draw(_counts(*knobs.definitions))):
        definitions.append(
            _draw_definition(
                draw,
                _draw_definition_id(draw, gallery_id, names),
                location=location,
                sizes=knobs.versions,
                knobs=knobs.knobs,
                end_of_life_dates=knobs.definition_end_of_life_dates,
                taken_identifiers=identifiers,
            )
        )
    unique_name = f"{gallery_id.subscription_id}-{gallery_id.name.upper()}"
    return Gallery(
        id=gallery_id,
        location=location,
        tags=draw(_TAGS),
        description=draw(_TEXT),
        identifier=GalleryIdentifier(unique_name=unique_name) if draw(_BOOLS) else None,
        sharing_profile=_draw_sharing(draw, gallery_id),
        definitions=definitions,
    )
