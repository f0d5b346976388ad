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

from imagegallery import _validators as v
from imagegallery._schema import INT, NUMBER, STR, ArmObject, arm, enum_codec, list_of, obj
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

    id: str | None = attrs.field(metadata=arm("id", STR), default=None, validator=v.optional_str)
    uri: str | None = attrs.field(metadata=arm("uri", STR), default=None, validator=v.optional_str)
    storage_account_id: str | None = attrs.field(
        metadata=arm("storageAccountId", STR), default=None, validator=v.optional_str
    )


@attrs.frozen(kw_only=True)
class DiskImage(ArmObject):
    """What the OS and data disk images of a version have in common.

    Attributes:
        size_gb: Provisioned size in GB (``sizeInGB``, read-only in Azure).
        host_caching: Host caching of the disk.
        source: Where the disk came from.
        used_gb: The used size in GB, when measured (not an Azure property).
    """

    size_gb: int | None = attrs.field(
        metadata=arm("sizeInGB", INT), default=None, validator=v.int_range(0)
    )
    host_caching: HostCaching | None = attrs.field(
        metadata=arm("hostCaching", enum_codec(HostCaching)),
        default=None,
        converter=attrs.converters.optional(HostCaching),
    )
    source: DiskImageSource | None = attrs.field(
        metadata=arm("source", obj(DiskImageSource)),
        default=None,
        validator=v.optional_instance_of(DiskImageSource),
    )
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

    id: str | None = attrs.field(metadata=arm("id", STR), default=None, validator=v.optional_str)
    community_gallery_image_id: str | None = attrs.field(
        metadata=arm("communityGalleryImageId", STR), default=None, validator=v.optional_str
    )
    virtual_machine_id: str | None = attrs.field(
        metadata=arm("virtualMachineId", STR), default=None, validator=v.optional_str
    )


def _unique_luns(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    seen: set[int] = set()
    for i, disk in enumerate(value or ()):
        if not isinstance(disk, DataDiskImage):
            raise ConstraintViolationError(
                "expected a DataDiskImage", field=f"{attribute.name}[{i}]", value=disk
            )
        if disk.lun in seen:
            raise ConstraintViolationError(
                "duplicate LUN", field=f"{attribute.name}[{i}].lun", value=disk.lun
            )
        seen.add(disk.lun)


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

    source: VersionSource | None = attrs.field(
        metadata=arm("source", obj(VersionSource)),
        default=None,
        validator=v.optional_instance_of(VersionSource),
    )
    os_disk_image: OsDiskImage | None = attrs.field(
        metadata=arm("osDiskImage", obj(OsDiskImage)),
        default=None,
        validator=v.optional_instance_of(OsDiskImage),
    )
    data_disk_images: tuple[DataDiskImage, ...] | None = attrs.field(
        metadata=arm("dataDiskImages", list_of(obj(DataDiskImage))),
        default=None,
        converter=v.optional_tuple,
        validator=_unique_luns,
    )

    @property
    def disks(self) -> tuple[DiskImage, ...]:
        """The OS disk image (if any) followed by the data disk images."""
        os_disk = (self.os_disk_image,) if self.os_disk_image is not None else ()
        return (*os_disk, *(self.data_disk_images or ()))

    @property
    def provisioned_gb(self) -> int | None:
        """Total provisioned size, or ``None`` if some disk's size is unknown."""
        sizes = [d.size_gb for d in self.disks]
        if not sizes or any(s is None for s in sizes):
            return None
        return sum(s for s in sizes if s is not None)

    @property
    def used_gb(self) -> float | None:
        """Total used size, or ``None`` unless every disk's used size is known."""
        used = [d.used_gb for d in self.disks]
        if not used or any(u is None for u in used):
            return None
        return sum(u for u in used if u is not None)
