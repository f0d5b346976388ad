"""Direct and community sharing profiles and their caps."""

from __future__ import annotations

import attrs
import pytest

from imagegallery import (
    Gallery,
    InvalidResourceIdError,
    ResourceId,
    SharingProfile,
    SharingProfileGroup,
)
from imagegallery.access import (
    GallerySharing,
)
from imagegallery.errors import SharingLimitError
from tests.access._fixture import (
    GAL1,
    GAL_DIRECT,
    GAL_PUBLIC,
    reference_inventory,
)


def _gallery(gid: str) -> Gallery:
    found = reference_inventory()[gid]
    assert isinstance(found, Gallery)
    return found


SHARED_V = "/SharedGalleries/S1-GALDIRECT/Images/img/Versions/1.0.0"


COMMUNITY_V = "/CommunityGalleries/pub-1/Images/img/Versions/1.0.0"


def test_sharing_profiles_and_caps() -> None:
    shared = GallerySharing.from_gallery(_gallery(GAL_DIRECT))
    assert shared.is_direct and shared.reaches("s2", None) and not shared.reaches("s3", "t")
    assert str(shared.proxy_id(ResourceId.parse(GAL_DIRECT))) == "/SharedGalleries/S1-GALDIRECT"
    proxy = ResourceId.parse(SHARED_V)
    assert shared.names_proxy(proxy)
    assert str(shared.real_id(proxy)) == f"{GAL_DIRECT}/images/img/versions/1.0.0"
    with pytest.raises(InvalidResourceIdError):
        shared.real_id(ResourceId.parse(COMMUNITY_V))
    public = GallerySharing.from_gallery(_gallery(GAL_PUBLIC))
    assert public.is_community and public.names_proxy(ResourceId.parse(COMMUNITY_V))
    private = GallerySharing.from_gallery(_gallery(GAL1))
    assert private.proxy_id(ResourceId.parse(GAL1)) is None
    too_many = SharingProfile(
        permissions="Groups",
        groups=[SharingProfileGroup(type="Subscriptions", ids=[f"s{i}" for i in range(31)])],
    )
    with pytest.raises(SharingLimitError) as err:
        GallerySharing.from_gallery(attrs.evolve(_gallery(GAL_DIRECT), sharing_profile=too_many))
    assert (err.value.limit, err.value.value) == (30, 31)
    tenants = SharingProfile(
        permissions="Groups",
        groups=[SharingProfileGroup(type="AADTenants", ids=[f"t{i}" for i in range(6)])],
    )
    with pytest.raises(SharingLimitError):
        GallerySharing.from_gallery(attrs.evolve(_gallery(GAL_DIRECT), sharing_profile=tenants))
