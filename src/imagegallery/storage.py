"""What an image version is made of: its source and its disk images.

ARM reports each disk image's provisioned size (``sizeInGB``) but not how much of it is used, which
is what replicas are billed on. ``used_gb`` is that measurement when you have it; it is not an Azure
property, so it is written to JSON under the namespaced key ``x-imagegallery-usedSizeInGB`` (strip
it with ``to_arm(annotations=False)`` before sending a body to Azure).

Example:
    >>> from imagegallery import DataDiskImage, OsDiskImage, StorageProfile
    >>> profile = StorageProfile(
    ...     os_disk_image=OsDiskImage(size_gb=127, used_gb=10),
    ...     data_disk_images=[DataDiskImage(lun=0, size_gb=32, used_gb=0)],
    ... )
    >>> profile.provisioned_gb, profile.used_gb
    (159, 10)
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _validators as v
from imagegallery._codecs import INT, NUMBER
from imagegallery._schema import ArmObject, arm
from imagegallery.enums import HostCaching
from imagegallery.errors import ConstraintViolationError

__all__ = [
    "USED_SIZE_KEY",
    "DataDiskImage",
    "DiskImage",
    "DiskImageSource",
    "OsDiskImage",
    "StorageProfile",
    "VersionSource",
]

USED_SIZE_KEY = "x-imagegallery-usedSizeInGB"
"""The JSON key of the used-size annotation of a disk image."""


def _used_size(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if type(value) is not int and type(value) is not float:
        raise ConstraintViolationError("expected a number of GB", field=attribute.name, value=value)
    if value < 0:
        raise ConstraintViolationError("must not be negative", field=attribute.name, value=value)
    if inst.size_gb is not None and value > inst.size_gb:
        raise ConstraintViolationError(
            f"used size exceeds the provisioned size of {inst.size_gb} GB",
            field=attribute.name,
            value=value,
        )


@attrs.frozen(kw_only=True)
class DiskImageSource(ArmObject):
    """Where a disk image came from: a snapshot or disk id, or a VHD uri in a storage account."""

    id: str | None = f.text("id")
    uri: str | None = f.text("uri")
    storage_account_id: str | None = f.text("storageAccountId")


@attrs.frozen(kw_only=True)
class DiskImage(ArmObject):
    """What the OS and data disk images of a version have in common.

    Attributes:
        size_gb: Provisioned size in GB (``sizeInGB``, read-only in Azure).
        host_caching: Host caching of the disk.
        source: Where the disk came from.
        used_gb: The used size in GB, when measured (not an Azure property).
    """

    size_gb: int | None = f.whole("sizeInGB")
    host_caching: HostCaching | None = attrs.field(
        default=None, converter=optional(HostCaching), metadata=arm("hostCaching", HostCaching)
    )
    source: DiskImageSource | None = f.part("source", DiskImageSource)
    used_gb: float | None = attrs.field(
        metadata=arm(USED_SIZE_KEY, NUMBER), default=None, validator=_used_size
    )


@attrs.frozen(kw_only=True)
class OsDiskImage(DiskImage):
    """The OS disk image of a version."""


@attrs.frozen(kw_only=True)
class DataDiskImage(DiskImage):
    """A data disk image of a version, at a logical unit number (LUN)."""

    lun: int = attrs.field(metadata=arm("lun", INT, required=True), validator=v.int_range(0))


@attrs.frozen(kw_only=True)
class VersionSource(ArmObject):
    """``storageProfile.source``: a managed image, VM, other gallery version or community image."""

    id: str | None = f.text("id")
    community_gallery_image_id: str | None = f.text("communityGalleryImageId")
    virtual_machine_id: str | None = f.text("virtualMachineId")


def _data_disks(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    for i, disk in enumerate(value or ()):
        if not isinstance(disk, DataDiskImage):
            raise ConstraintViolationError(
                "expected a DataDiskImage", field=f"{attribute.name}[{i}]", value=disk
            )


def _total(values: list[Any]) -> Any:
    """The sum, or ``None`` when there are no values or one of them is unknown."""
    if not values or any(x is None for x in values):
        return None
    return sum(values)


@attrs.frozen(kw_only=True)
class StorageProfile(ArmObject):
    """``properties.storageProfile`` of an image version.

    Example:
        >>> profile = StorageProfile(
        ...     source=VersionSource(id="/subscriptions/0/resourceGroups/rg/providers"
        ...                             "/Microsoft.Compute/images/build-42"),
        ...     os_disk_image=OsDiskImage(size_gb=30, used_gb=8.5),
        ... )
        >>> profile.provisioned_gb, profile.used_gb, len(profile.disks)
        (30, 8.5, 1)
    """

    source: VersionSource | None = f.part("source", VersionSource)
    os_disk_image: OsDiskImage | None = f.part("osDiskImage", OsDiskImage)
    data_disk_images: tuple[DataDiskImage, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        metadata=arm("dataDiskImages", [DataDiskImage]),
        validator=[_data_disks, v.unique_luns],
    )

    @property
    def disks(self) -> tuple[DiskImage, ...]:
        """The OS disk image (if any) followed by the data disk images."""
        os_disk = (self.os_disk_image,) if self.os_disk_image is not None else ()
        return (*os_disk, *(self.data_disk_images or ()))

    @property
    def provisioned_gb(self) -> int | None:
        """Total provisioned size, or ``None`` if some disk's size is unknown."""
        total: int | None = _total([d.size_gb for d in self.disks])
        return total

    @property
    def used_gb(self) -> float | None:
        """Total used size, or ``None`` unless every disk's used size is known."""
        total: float | None = _total([d.used_gb for d in self.disks])
        return total
