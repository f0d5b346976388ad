"""Image references as a VM or scale set gives them, resolved against an inventory.

A reference is what goes into a VM's ``storageProfile.imageReference``:

* an image **definition** id (Azure's way to ask for "latest" in a private gallery);
* a **pinned** version id (``.../versions/1.0.9``);
* a direct-shared or community **proxy** id,
  ``/SharedGalleries/{uniqueName}/Images/{image}/Versions/{version or latest}`` or
  ``/CommunityGalleries/{publicName}/Images/{image}/Versions/{version or latest}``, matched to the
  publisher's gallery by its ``identifier.uniqueName`` or one of its community ``publicNames``;
* or the ``imageReference`` dict itself, with exactly one of ``id``, ``sharedGalleryImageId`` or
  ``communityGalleryImageId``.

"latest" (a definition id, or a ``Versions/latest`` segment) is resolved with
:func:`~imagegallery.resolve.resolve_latest` in the deployment's region, with the full rules,
also through a proxy: the service resolves a proxy against the publisher's gallery, where the
regional exclude flags and replication states apply, even though consumers' proxy views show
only the version-level flag. A pinned version must exist, target the region, have completed
replication there and (under the ``"skip"`` policy) not be past its end of life; its
exclude-from-latest flags do not matter, they only concern "latest".

:func:`scale_out_image` answers the scale-set question of the product documents: with "latest",
scale-out uses the newest available version; with a pinned version that was removed (or never
replicated to the region), scale-out is blocked.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.resolve import resolve_reference
    >>> inv = sample_inventory()
    >>> image1 = ("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images"
    ...           "/providers/Microsoft.Compute/galleries/myGallery/images/myImage1")
    >>> at = datetime(2025, 3, 1, tzinfo=UTC)
    >>> str(resolve_reference(inv, {"id": image1}, region="eastus", at=at).name)
    '1.0.9'
    >>> resolve_reference(inv, image1 + "/versions/1.0.10", region="eastus", at=at)
    Traceback (most recent call last):
    ...
    imagegallery.errors.VersionNotReplicatedError: ... replication there is Replicating
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.errors import (
    ImageGalleryError,
    ImageVersionNotFoundError,
    ImageVersionUnavailableError,
    InvalidFieldError,
    InvalidImageReferenceError,
    InvalidTypeError,
    NoEligibleVersionError,
    ResourceNotFoundError,
    VersionEndOfLifeError,
    VersionNotInRegionError,
    VersionNotReplicatedError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

from ._index import IdentityMemo
from .latest import (
    EndOfLifePolicy,
    Query,
    _clip,
    format_datetime,
    latest_or_raise,
    make_query,
    target_region_names,
)

__all__ = ["ImageReference", "ScaleOutImage", "resolve_reference", "scale_out_image"]

ImageReference = str | ResourceId | Mapping[str, Any]
"""An image id (text or :class:`ResourceId`) or an ARM ``imageReference`` dict."""

_KEYS: Final = {
    "id": (ResourceKind.IMAGE_DEFINITION, ResourceKind.IMAGE_VERSION),
    "sharedGalleryImageId": (ResourceKind.SHARED_VERSION,),
    "communityGalleryImageId": (ResourceKind.COMMUNITY_VERSION,),
}
_MARKETPLACE_KEYS: Final = ("publisher", "offer", "sku")
_SHARED: Final = "shared"
_MAX_VERSION_TEXT: Final = 64
"""The longest version segment of a pinned reference (three parts of at most 10 digits each,
with room for leading zeros)."""
_COMMUNITY: Final = "community"


@attrs.frozen
class _Reference:
    text: str
    rid: ResourceId

    @property
    def floating(self) -> bool:
        version = self.rid.version
        return version is None or version.lower() == "latest"


def _check_kind(rid: ResourceId, field: str | None) -> ResourceId:
    kind = rid.kind
    if kind in (ResourceKind.SHARED_IMAGE, ResourceKind.COMMUNITY_IMAGE):
        raise InvalidImageReferenceError(
            "a shared or community gallery image reference names a version:"
            " append /Versions/latest (or /Versions/{version})",
            field=field,
            value=str(rid),
        )
    if kind not in (
        ResourceKind.IMAGE_DEFINITION,
        ResourceKind.IMAGE_VERSION,
        ResourceKind.SHARED_VERSION,
        ResourceKind.COMMUNITY_VERSION,
    ):
        raise InvalidImageReferenceError(
            "not a gallery image reference: expected an image definition id, an image version id,"
            " or a /SharedGalleries/... or /CommunityGalleries/... version id",
            field=field,
            value=str(rid),
        )
    return rid


def _parse_id(text: object, field: str | None) -> ResourceId:
    try:
        return ResourceId.parse(text)  # type: ignore[arg-type]
    except InvalidFieldError as err:
        raise (err.at(field) if field else err) from None


def _parse_mapping(reference: Mapping[str, Any]) -> _Reference:
    given = {key: reference[key] for key in _KEYS if reference.get(key) is not None}
    if not given:
        if any(key in reference for key in _MARKETPLACE_KEYS):
            raise InvalidImageReferenceError(
                "a Marketplace image reference (publisher, offer, sku, version) names no gallery"
                " image",
                field="imageReference",
                value=dict(reference),
            )
        raise InvalidImageReferenceError(
            "expected one of id, sharedGalleryImageId or communityGalleryImageId",
            field="imageReference",
            value=dict(reference),
        )
    if len(given) > 1:
        raise InvalidImageReferenceError(
            "give only one of id, sharedGalleryImageId and communityGalleryImageId",
            field="imageReference",
            value=dict(given),
        )
    ((key, text),) = given.items()
    field = f"imageReference.{key}"
    rid = _check_kind(_parse_id(text, field), field)
    if rid.kind not in _KEYS[key]:
        proper = next(k for k, kinds in _KEYS.items() if rid.kind in kinds)
        raise InvalidImageReferenceError(
            f"this kind of id belongs in imageReference.{proper}", field=field, value=str(rid)
        )
    return _Reference(str(rid), rid)


def _parse(reference: object) -> _Reference:
    if isinstance(reference, Mapping):
        return _parse_mapping(reference)
    if isinstance(reference, str | ResourceId):
        rid = _check_kind(_parse_id(reference, None), None)
        return _Reference(str(rid), rid)
    raise InvalidTypeError(
        "expected an image id or an imageReference dict", field="image_reference", value=reference
    )


def _build_proxy_map(inventory: Inventory) -> dict[tuple[str, str], Gallery]:
    """The galleries reachable through proxies: (family, lower-case unique or public name)."""
    found: dict[tuple[str, str], Gallery] = {}
    for gallery in inventory.galleries():
        if gallery.unique_name:
            found.setdefault((_SHARED, gallery.unique_name.lower()), gallery)
        profile = gallery.sharing_profile
        info = profile.community_gallery_info if profile is not None else None
        for name in (info.public_names or ()) if info is not None else ():
            found.setdefault((_COMMUNITY, name.lower()), gallery)
    return found


_proxy_galleries: Final = IdentityMemo(_build_proxy_map).get
"""The proxy map of each inventory, built once and kept while the inventory lives."""


def _find_definition(inventory: Inventory, rid: ResourceId) -> ImageDefinition | None:
    if rid.kind.is_proxy:
        view = inventory.get(rid.parent) if rid.parent is not None else None
        if isinstance(view, ImageDefinition):
            return view  # a consumer view loaded under its proxy id
        family = _SHARED if rid.kind is ResourceKind.SHARED_VERSION else _COMMUNITY
        gallery = _proxy_galleries(inventory).get((family, (rid.gallery or "").lower()))
        if gallery is None:
            return None
        return gallery.definitions.get(rid.image or "")
    definition_id = rid if rid.kind is ResourceKind.IMAGE_DEFINITION else rid.parent
    assert definition_id is not None
    found = inventory.get(definition_id)
    return found if isinstance(found, ImageDefinition) else None


def _where(inventory: Inventory, rid: ResourceId) -> str:
    """Where a proxy reference was looked for, for the not-found message."""
    if not rid.kind.is_proxy:
        return "the inventory"
    shared = rid.kind is ResourceKind.SHARED_VERSION
    family, what = (_SHARED, "unique name") if shared else (_COMMUNITY, "community public name")
    if (family, (rid.gallery or "").lower()) in _proxy_galleries(inventory):
        return f"the inventory (its gallery has no image definition {_clip(rid.image or '')!r})"
    return f"the inventory (no gallery has the {what} {_clip(rid.gallery or '')!r})"


def _required_region(region: object) -> str:
    if not isinstance(region, str):
        raise InvalidTypeError(
            "expected the region of the deployment", field="region", value=region
        )
    return region


def _check_inventory(inventory: object) -> Inventory:
    if not isinstance(inventory, Inventory):
        raise InvalidTypeError("expected an Inventory", field="inventory", value=inventory)
    return inventory


def _pinned(
    definition: ImageDefinition | None, reference: _Reference, query: Query
) -> ImageVersion:
    region = query.region
    assert region is not None
    segment = reference.rid.version or ""
    if len(segment) > _MAX_VERSION_TEXT:
        raise InvalidImageReferenceError(
            f"a version name has at most {_MAX_VERSION_TEXT} characters",
            field="image_reference",
            value=reference.text,
        )
    ImageVersionName.parse(segment)
    version = definition.versions.get(segment) if definition is not None else None
    if version is None:
        raise ImageVersionNotFoundError(
            reference.text,
            region=region,
            reason=f"The gallery image version {reference.text} does not exist"
            + ("" if definition is not None else " (nor does its image definition)"),
        )
    if region not in target_region_names(version):
        raise VersionNotInRegionError(
            reference.text,
            region=region,
            reason=f"The gallery image {reference.text} is not available in {region} region."
            " Please contact image owner to replicate to this region, or change your requested"
            " region.",
        )
    state = version.replication_state_in(region)
    if query.require_replicated and state is not None and state is not ReplicationState.COMPLETED:
        raise VersionNotReplicatedError(
            reference.text,
            region=region,
            reason=f"The gallery image {reference.text} is not yet available in {region} region:"
            f" replication there is {state.value}",
            state=state,
        )
    if query.skip_end_of_life:
        for what, eol in (
            ("image definition", definition.end_of_life_date if definition else None),
            ("image version", version.end_of_life_date),
        ):
            if eol is not None and eol <= query.at:
                raise VersionEndOfLifeError(
                    reference.text,
                    region=region,
                    reason=f"The gallery image {reference.text} cannot be used: its {what}"
                    f" reached end of life on {format_datetime(eol)}",
                    end_of_life_date=eol,
                )
    return version


def _resolve(inventory: Inventory, reference: _Reference, query: Query) -> ImageVersion:
    definition = _find_definition(inventory, reference.rid)
    if not reference.floating:
        return _pinned(definition, reference, query)
    if definition is None:
        raise ResourceNotFoundError(reference.text, where=_where(inventory, reference.rid))
    return latest_or_raise(definition, query)


def resolve_reference(
    inventory: Inventory,
    image_reference: ImageReference,
    *,
    region: str,
    at: datetime | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> ImageVersion:
    """The image version a deployment in ``region`` gets for ``image_reference``.

    Args:
        inventory: Where to look (for proxies: the publisher's galleries).
        image_reference: A definition id, a version id (pinned or ``latest``), a proxy id, or an
            ``imageReference`` dict.
        region: The region of the deployment.
        at: The moment of the deployment (timezone-aware); defaults to now.
        end_of_life: ``"skip"`` or ``"allow"``, as for
            :func:`~imagegallery.resolve.resolve_latest`; also applies to pinned versions.
        require_replicated: Whether replication to ``region`` must have completed.

    Returns:
        The version (for a proxy, the publisher's version).

    Raises:
        NoEligibleVersionError: "latest" has no eligible version in the region.
        ImageVersionNotFoundError: The pinned version does not exist.
        VersionNotInRegionError: The pinned version is not replicated to the region.
        VersionNotReplicatedError: Its replication to the region has not completed.
        VersionEndOfLifeError: It (or its definition) is past end of life (policy ``"skip"``).
        ResourceNotFoundError: The definition (or, for a proxy, the gallery) is not in the
            inventory.
        InvalidImageReferenceError: The reference names no gallery image.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> shared = ("/SharedGalleries/22222222-2222-2222-2222-222222222222-SHAREDGALLERY"
        ...           "/Images/winBase/Versions/latest")
        >>> str(resolve_reference(inv, {"sharedGalleryImageId": shared}, region="westeurope",
        ...                       at=at).id)
        '/subscriptions/2222.../galleries/sharedGallery/images/winBase/versions/2025.1.0'
    """
    reference = _parse(image_reference)
    query = make_query(_required_region(region), at, None, end_of_life, require_replicated)
    return _resolve(_check_inventory(inventory), reference, query)


@attrs.frozen
class ScaleOutImage:
    """The answer of :func:`scale_out_image`: the version new instances get, or why none.

    Attributes:
        reference: The image reference, as an id.
        region: The region of the scale set (ARM form).
        at: The moment of the scale-out.
        floating: Whether the reference follows "latest" (else it pins a version).
        version: The version new instances are created from, or ``None`` when blocked.
        reason: The answer in words.
        error: The error a deployment would get, or ``None``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image1 = ("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups"
        ...           "/rg-images/providers/Microsoft.Compute/galleries/myGallery/images/myImage1")
        >>> answer = scale_out_image(sample_inventory(), image1 + "/versions/1.0.9",
        ...                          region="eastus", at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> answer.blocked, answer.floating, str(answer)
        (False, False, 'scale-out in eastus uses the pinned version 1.0.9')
    """

    reference: str
    region: str
    at: datetime
    floating: bool
    version: ImageVersion | None
    reason: str
    error: ImageGalleryError | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def blocked(self) -> bool:
        """Whether the scale-out cannot proceed."""
        return self.version is None

    def __str__(self) -> str:
        return self.reason


def scale_out_image(
    inventory: Inventory,
    image_reference: ImageReference,
    *,
    region: str,
    at: datetime,
    end_of_life: EndOfLifePolicy = "skip",
) -> ScaleOutImage:
    """Which image a scale set's scale-out in ``region`` at ``at`` would use, or why it is blocked.

    With "latest" in the scale set's model, each scale-out creates instances from the newest
    version available then; the model itself is not updated. With a pinned version, the
    version must still be available in the region: once it is removed (deleted, or its
    region dropped), the scale set cannot scale out until its model names another version.

    Invalid references and arguments still raise; an unavailable image does not, it is the
    answer.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> image1 = ("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups"
        ...           "/rg-images/providers/Microsoft.Compute/galleries/myGallery/images/myImage1")
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> print(scale_out_image(inv, image1, region="westeurope", at=at))
        scale-out in westeurope uses 1.0.10 (latest: the newest version available there)
        >>> answer = scale_out_image(inv, image1 + "/versions/1.0.0", region="eastus", at=at)
        >>> answer.blocked, type(answer.error).__name__
        (True, 'VersionNotInRegionError')
    """
    if at is None:
        raise InvalidTypeError("expected a timezone-aware datetime", field="at", value=at)
    reference = _parse(image_reference)
    query = make_query(_required_region(region), at, None, end_of_life, True)
    region_name = query.region
    assert region_name is not None
    try:
        version = _resolve(_check_inventory(inventory), reference, query)
    except (NoEligibleVersionError, ImageVersionUnavailableError, ResourceNotFoundError) as err:
        advice = (
            ""
            if reference.floating
            else "; a pinned version must stay available in the region: point the scale set's"
            " model at another version, or at latest"
        )
        return ScaleOutImage(
            reference.text,
            region_name,
            query.at,
            reference.floating,
            None,
            f"scale-out in {region_name} is blocked: {err}{advice}",
            err,
        )
    if reference.floating:
        reason = (
            f"scale-out in {region_name} uses {version.name}"
            " (latest: the newest version available there)"
        )
    else:
        reason = f"scale-out in {region_name} uses the pinned version {version.name}"
    return ScaleOutImage(reference.text, region_name, query.at, reference.floating, version, reason)
