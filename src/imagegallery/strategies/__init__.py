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

from datetime import datetime
from typing import Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.publishing import TargetRegion
from imagegallery.strategies._draw import (
    _DEFAULT_REGIONS,
    _MOMENTS,
    _OPTIONAL_BOOL,
    _PARTS,
    _REGIONAL_REPLICAS,
    _STORAGE_TYPES,
    _SUBSCRIPTION_POOLS,
    _SUBSCRIPTIONS,
    REGIONS,
    _counts,
    _draw_definition,
    _draw_definition_id,
    _draw_gallery,
    _draw_gallery_id,
    _draw_version,
    _GalleryKnobs,
    _sizes,
    _strategy,
    _VersionKnobs,
)
from imagegallery.version import ImageVersion
from imagegallery.version_name import MAX_VERSION_PART, ImageVersionName

__all__ = [
    "REGIONS",
    "galleries",
    "image_definitions",
    "image_versions",
    "inventories",
    "target_regions",
    "version_names",
]


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
    part = _PARTS if max_part == MAX_VERSION_PART else _counts(0, max_part)
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
        name=draw(_strategy("regions", regions, _DEFAULT_REGIONS)),
        regional_replica_count=draw(
            _strategy("replica_counts", replica_counts, _REGIONAL_REPLICAS)
        ),
        storage_account_type=draw(_STORAGE_TYPES),
        exclude_from_latest=draw(
            _strategy("exclude_from_latest", exclude_from_latest, _OPTIONAL_BOOL)
        ),
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
        published_dates: Published dates (default: ``None``, whole days, or date-times in
            several time zones).
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
    knobs = _VersionKnobs.pick(locals())
    if definition_ids is None:
        gallery_id = _draw_gallery_id(draw, draw(_SUBSCRIPTIONS))
        definition_id = _draw_definition_id(draw, gallery_id)
    else:
        definition_id = draw(_strategy("definition_ids", definition_ids, st.nothing()))
    name = draw(_strategy("names", names, _PARTS_NAMES))
    return _draw_version(draw, definition_id, name, knobs)


_PARTS_NAMES: Final = version_names()


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
    ``definition_end_of_life_dates`` draws the definition's own end of life (default: ``None``,
    a whole day, or a date-time, independently of ``end_of_life_dates``).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(image_definitions(min_versions=2, max_versions=3))
        ... def check(definition):
        ...     assert 2 <= len(definition.versions) <= 3
        ...     assert all(v.definition_id == definition.id for v in definition.versions.values())
        >>> check()
    """
    sizes = _sizes("versions", min_versions, max_versions)
    knobs = _VersionKnobs.pick(locals())
    eol = _strategy("definition_end_of_life_dates", definition_end_of_life_dates, _MOMENTS)
    if definition_ids is None:
        definition_id = _draw_definition_id(draw, _draw_gallery_id(draw, draw(_SUBSCRIPTIONS)))
    else:
        definition_id = draw(_strategy("definition_ids", definition_ids, st.nothing()))
    return _draw_definition(
        draw, definition_id, location=None, sizes=sizes, knobs=knobs, end_of_life_dates=eol
    )


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
    knobs = _GalleryKnobs.pick(locals())
    if gallery_ids is None:
        gallery_id = _draw_gallery_id(draw, draw(_SUBSCRIPTIONS))
    else:
        gallery_id = draw(_strategy("gallery_ids", gallery_ids, st.nothing()))
    return _draw_gallery(draw, gallery_id, knobs)


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
    knobs = _GalleryKnobs.pick(locals())
    if subscriptions is None:
        pool = draw(_SUBSCRIPTION_POOLS)
        subscription = st.sampled_from(pool)
    else:
        subscription = _strategy("subscriptions", subscriptions, st.nothing())
    items = []
    taken: dict[str, set[str]] = {}
    for _ in range(draw(_counts(*sizes))):
        # Gallery names are unique per subscription, as Azure requires.
        sub = draw(subscription)
        gallery_id = _draw_gallery_id(draw, sub, taken.setdefault(sub.lower(), set()))
        items.append(_draw_gallery(draw, gallery_id, knobs))
    return Inventory(items)
